"""The whole sign-in against the demo server, the browser played by an HTTP client."""

from __future__ import annotations

import pytest

from tests.auth.support import Browser, query_of, with_query
from viewer.api.activity import ActivityClient
from viewer.api.errors import AuthError, ServerError
from viewer.api.http import NO_RETRY
from viewer.auth.loopback import SignInError
from viewer.auth.settings import APP, SIGN_IN, OAuthSettings
from viewer.auth.sign_in import SignInAttempt
from viewer.auth.token_endpoint import TokenEndpoint


def sign_in_settings(server, **changes) -> OAuthSettings:
    values = {
        "method": SIGN_IN,
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "connect_url": server.connect_url,
        "scope": "public",
        "ports": "0",
    }
    values.update(changes)
    return OAuthSettings(**values)


def sign_in(server, browser: Browser, **changes):
    with SignInAttempt(server.url, sign_in_settings(server, **changes), timeout=20) as attempt:
        browser(attempt.url)
        try:
            return attempt, attempt.finish()
        finally:
            browser.join()


def test_signing_in_gives_a_token_the_activity_log_accepts(demo_server):
    browser = Browser()
    attempt, token = sign_in(demo_server, browser)
    sent = query_of(browser.opened[0])
    assert sent["client_id"] == demo_server.client_id
    assert sent["response_type"] == "code" and sent["scope"] == "public"
    assert sent["redirect_uri"] == attempt.redirect_uri
    assert sent["redirect_uri"].startswith("http://127.0.0.1:")
    assert len(sent["state"]) >= 16 and sent["code_challenge_method"] == "S256"
    assert "nonce" not in sent  # only with openid
    assert "close this window" in browser.last_page
    assert token.seconds_left() > 28000
    with ActivityClient(demo_server.url, token.value, retry=NO_RETRY) as client:
        assert client.unread_count().unread >= 0
    form = [body for method, path, body in demo_server.request_log if path == "/v1/auth/token"]
    assert form == [None]  # one exchange, its body a form (not JSON)


def test_the_openid_scope_sends_a_nonce_of_at_least_eight_characters(demo_server):
    browser = Browser()
    _attempt, token = sign_in(demo_server, browser, scope="openid public")
    assert len(query_of(browser.opened[0])["nonce"]) >= 8
    assert token.scope == "openid public"


def test_a_forged_state_on_the_way_back_ends_the_sign_in(demo_server):
    browser = Browser(rewrite=lambda url: with_query(url, state="forged"))
    with pytest.raises(SignInError, match="state did not match"):
        sign_in(demo_server, browser)
    assert demo_server.sign_in.issued == 0


def test_a_declined_sign_in_comes_back_as_an_error_and_says_so(demo_server):
    demo_server.sign_in.deny = True
    browser = Browser()
    with pytest.raises(SignInError, match="declined"):
        sign_in(demo_server, browser)
    assert "Sign-in failed" in browser.last_page


def test_a_code_works_once(demo_server):
    codes = []

    def keep(url: str) -> str:
        codes.append(query_of(url)["code"])
        return url

    browser = Browser(rewrite=keep)
    attempt, _token = sign_in(demo_server, browser)
    endpoint = TokenEndpoint(demo_server.url, sign_in_settings(demo_server))
    with pytest.raises(AuthError, match="invalid_grant"):
        endpoint.exchange_code(codes[0], attempt.redirect_uri, "a-verifier-never-sent")
    endpoint.close()


def test_a_wrong_client_secret_is_refused_without_quoting_it(demo_server):
    settings = OAuthSettings(APP, demo_server.client_id, "wrong-secret-42")
    endpoint = TokenEndpoint(demo_server.url, settings)
    with pytest.raises(AuthError) as raised:
        endpoint.client_credentials()
    endpoint.close()
    assert "client ID or secret" in raised.value.message
    assert "invalid_client" in raised.value.message
    assert "wrong-secret-42" not in raised.value.message


def test_app_credentials_are_sent_as_form_fields_and_give_a_token(demo_server):
    settings = OAuthSettings(APP, demo_server.client_id, demo_server.client_secret)
    endpoint = TokenEndpoint(demo_server.url, settings)
    token = endpoint.client_credentials()
    endpoint.close()
    assert token.value.startswith("demo-oauth.") and token.seconds_left() > 28000


def test_a_failing_token_endpoint_is_a_server_error(demo_server):
    demo_server.faults.set(status=503, api="auth")
    endpoint = TokenEndpoint(
        demo_server.url, OAuthSettings(APP, demo_server.client_id, demo_server.client_secret)
    )
    with pytest.raises(ServerError, match="HTTP 503"):
        endpoint.client_credentials()
    endpoint.close()
