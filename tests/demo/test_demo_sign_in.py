"""The demo's globaliD sign-in: /connect approves at once, the token endpoint, expiry."""

from __future__ import annotations

import base64
import hashlib
import time

import httpx
import pytest

from viewer.demo.server import DemoServer

REDIRECT = "http://127.0.0.1:53682/callback"


def connect(http, server, **params):
    query = {
        "client_id": server.client_id,
        "response_type": "code",
        "scope": "public",
        "redirect_uri": REDIRECT,
        "state": "s-123",
        **params,
    }
    return http.get("/connect", params={k: v for k, v in query.items() if v is not None})


def location_params(response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    url = httpx.URL(response.headers["Location"])
    assert str(url).startswith(REDIRECT + "?")
    return dict(url.params)


def token(http, server, **form):
    body = {"client_id": server.client_id, "client_secret": server.client_secret, **form}
    return http.post("/v1/auth/token", data=body)


def test_connect_approves_at_once_and_redirects_with_a_code_and_the_state(http, server):
    params = location_params(connect(http, server))
    assert params["state"] == "s-123" and len(params["code"]) >= 20


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "openid"}, "invalid_request"),  # openid without a nonce
        ({"scope": "openid", "nonce": "short"}, "invalid_request"),
        ({"code_challenge": "abc", "code_challenge_method": "plain"}, "invalid_request"),
    ],
)
def test_connect_redirects_with_an_error_for_a_bad_request(http, server, changes, error):
    params = location_params(connect(http, server, **changes))
    assert params["error"] == error and params["state"] == "s-123"


def test_connect_with_an_openid_nonce_is_approved(http, server):
    assert "code" in location_params(connect(http, server, scope="openid", nonce="n" * 8))


@pytest.mark.parametrize(
    "changes",
    [
        {"client_id": "someone-else"},
        {"redirect_uri": "https://evil.example/callback"},
        {"redirect_uri": "http://127.0.0.1/callback"},  # no port
    ],
)
def test_connect_never_redirects_for_an_unknown_client_or_a_foreign_address(http, server, changes):
    response = connect(http, server, **changes)
    assert response.status_code == 400 and "Location" not in response.headers


def test_a_denied_connect_answers_access_denied(http, server):
    server.sign_in.deny = True
    assert location_params(connect(http, server))["error"] == "access_denied"


def test_the_code_is_exchanged_once_with_the_same_redirect_and_the_verifier(http, server):
    verifier = "v" * 50
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    code = location_params(
        connect(http, server, code_challenge=challenge, code_challenge_method="S256")
    )["code"]
    grant = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    wrong = token(http, server, **grant, code_verifier="x" * 50)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    code = location_params(
        connect(http, server, code_challenge=challenge, code_challenge_method="S256")
    )["code"]
    grant["code"] = code
    moved = token(http, server, **{**grant, "redirect_uri": "http://127.0.0.1:1/callback"})
    assert moved.json()["error"] == "invalid_grant"
    code = location_params(
        connect(http, server, code_challenge=challenge, code_challenge_method="S256")
    )["code"]
    grant["code"] = code
    answer = token(http, server, **grant, code_verifier=verifier)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 28799
    assert body["scope"] == "public" and answer.headers["Cache-Control"] == "no-store"
    again = token(http, server, **grant, code_verifier=verifier)
    assert again.json()["error"] == "invalid_grant"


def test_client_credentials_need_the_right_secret(http, server):
    answer = token(http, server, grant_type="client_credentials")
    assert answer.status_code == 200 and answer.json()["access_token"].startswith("demo-oauth.")
    refused = http.post(
        "/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": server.client_id,
            "client_secret": "wrong",
        },
    )
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"


def test_the_token_endpoint_wants_a_posted_form_and_a_known_grant(http, server):
    assert http.get("/v1/auth/token").status_code == 405
    as_json = http.post("/v1/auth/token", json={"grant_type": "client_credentials"})
    assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"
    odd = token(http, server, grant_type="password")
    assert odd.status_code == 400 and odd.json()["error"] == "unsupported_grant_type"


def test_issued_tokens_expire_and_then_get_401_while_the_static_token_lives_on():
    with (
        DemoServer(seed=2, users=5, inbox=5, activities=2, token_ttl=0.5) as server,
        httpx.Client(base_url=server.url, timeout=10) as http,
    ):
        issued = token(http, server, grant_type="client_credentials").json()
        assert issued["expires_in"] == 1  # whole seconds, never 0
        headers = {"Authorization": f"Bearer {issued['access_token']}"}
        assert http.get("/v1/activities/unread-count", headers=headers).status_code == 200
        deadline = time.monotonic() + 10
        while server.sign_in.token_state_of(issued["access_token"]) != "expired":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        expired = http.get("/v1/activities/unread-count", headers=headers)
        assert expired.status_code == 401
        assert "expired" in expired.json()["message"]
        assert 'error="invalid_token"' in expired.headers["WWW-Authenticate"]
        static = {"Authorization": f"Bearer {server.activity_token}"}
        assert http.get("/v1/activities/unread-count", headers=static).status_code == 200


def test_auth_faults_apply_to_the_sign_in_endpoints_only(http, server):
    server.faults.set(status=503, api="auth", times=1)
    failed = token(http, server, grant_type="client_credentials")
    assert failed.status_code == 503 and failed.json()["error"] == "server_error"
    assert token(http, server, grant_type="client_credentials").status_code == 200
