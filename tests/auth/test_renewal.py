"""Tokens that renew themselves: before they expire, and once after a 401, mid-walk."""

from __future__ import annotations

import threading
import time

import pytest

from viewer.api.activity import ActivityClient
from viewer.api.errors import AuthError, TokenRenewedError
from viewer.api.http import NO_RETRY
from viewer.auth.settings import APP, SIGN_IN, OAuthSettings
from viewer.auth.token_endpoint import TokenEndpoint
from viewer.auth.token_sources import RenewingToken
from viewer.auth.tokens import AccessToken
from viewer.connections import ACTIVITY_SERVICE, Connections, ServiceConfig
from viewer.demo.server import DemoServer


@pytest.fixture
def short_lived():
    """A demo server whose tokens live two seconds."""
    with DemoServer(seed=3, users=5, inbox=450, activities=3, token_ttl=2) as server:
        yield server


def app_source(server, **options) -> RenewingToken:
    settings = OAuthSettings(APP, server.client_id, server.client_secret)
    return RenewingToken(TokenEndpoint(server.url, settings), **options)


def token_requests(server) -> int:
    return sum(1 for _m, path, _b in server.request_log if path == "/v1/auth/token")


def test_app_credentials_fetch_a_token_on_first_use_only(demo_server):
    source = app_source(demo_server)
    with ActivityClient(demo_server.url, source, retry=NO_RETRY) as client:
        client.unread_count()
        client.types()
    assert token_requests(demo_server) == 1


def test_a_token_is_renewed_before_it_expires_in_the_middle_of_a_walk(short_lived):
    renewed = []
    source = app_source(short_lived, on_renewed=renewed.append)
    seen = []
    with ActivityClient(short_lived.url, source, retry=NO_RETRY) as client:
        for item in client.walk(per_page=100):
            seen.append(item.uuid)
            if len(seen) == 100:
                first = source.token
                # Wait, on the clock, until the first token is within its renewal margin.
                deadline = time.monotonic() + 10
                while not source.policy.due(first, source.endpoint.lifetime):
                    assert time.monotonic() < deadline
                    time.sleep(0.05)
    assert len(seen) == len(set(seen)) == 450
    assert len(renewed) >= 2 and renewed[-1].value != renewed[0].value
    pages = [p for _m, p, _b in short_lived.request_log if p.startswith("/v1/activities?")]
    assert len(pages) == len(set(pages))  # renewed in time: no page was refused and repeated


def test_a_401_mid_walk_renews_once_and_repeats_the_page(short_lived):
    source = app_source(short_lived)
    seen = []
    with ActivityClient(short_lived.url, source, retry=NO_RETRY) as client:
        for item in client.walk(per_page=100):
            seen.append(item.uuid)
            if len(seen) == 100:
                before = short_lived.sign_in.issued
                short_lived.clear_request_log()
                short_lived.sign_in.revoke_all()  # the server forgets every token at once
    assert len(seen) == 450
    assert short_lived.sign_in.issued == before + 1
    pages = [p for _m, p, _b in short_lived.request_log if p.startswith("/v1/activities?")]
    assert pages[0] == pages[1]  # refused, then the same page again with the new token


def test_several_workers_refused_together_renew_only_once(demo_server):
    source = app_source(demo_server)
    rejected = source.current()
    issued = demo_server.sign_in.issued
    barrier = threading.Barrier(6)
    results = []

    def worker():
        barrier.wait()
        results.append(source.renew(rejected))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    source.close()
    assert results == [True] * 6
    assert demo_server.sign_in.issued == issued + 1


def test_a_request_that_changes_data_is_not_repeated_after_a_401(demo_server):
    source = app_source(demo_server)
    with ActivityClient(demo_server.url, source, retry=NO_RETRY) as client:
        uuid = client.page(1, 1).data[0].uuid
        demo_server.sign_in.revoke_all()
        demo_server.clear_request_log()
        with pytest.raises(TokenRenewedError, match="press Retry"):
            client.mark_read(uuid)
        marks = [p for m, p, _b in demo_server.request_log if m == "POST" and "/read" in p]
        assert len(marks) == 1
        client.mark_read(uuid)  # the renewed token works


def test_an_ended_sign_in_asks_for_a_new_one_instead_of_renewing(demo_server):
    settings = OAuthSettings(SIGN_IN, demo_server.client_id, demo_server.client_secret)
    endpoint = TokenEndpoint(demo_server.url, settings, grant_type="authorization_code")
    token = AccessToken("demo-oauth.unknown-or-ended", time.time() + 60)
    source = RenewingToken(endpoint, token)
    with (
        ActivityClient(demo_server.url, source, retry=NO_RETRY) as client,
        pytest.raises(AuthError, match="Sign in again"),
    ):
        client.unread_count()
    assert token_requests(demo_server) == 0


def test_connections_build_clients_that_renew_and_tell_of_new_tokens(short_lived):
    config = ServiceConfig(
        short_lived.url, oauth=OAuthSettings(APP, short_lived.client_id, short_lived.client_secret)
    )
    connections = Connections(None, config)
    told = []
    connections.token_renewed = lambda service, token: told.append((service, token))
    try:
        assert connections.is_configured(ACTIVITY_SERVICE)
        connections.activity_client().unread_count()
        short_lived.sign_in.revoke_all()
        connections.activity_client().unread_count()
    finally:
        connections.close()
    assert [service for service, _ in told] == [ACTIVITY_SERVICE, ACTIVITY_SERVICE]
    assert config.access == told[-1][1]
