"""Redirects followed only within the origin, or to https elsewhere, and never with a body.

The servers are the tests' own on loopback: one that redirects as told, a recorder for the
other origin (plain http), and an https one with a certificate made for the test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.faults.hostile import HostileServer, json_answer, pathway_answer, redirect, self_signed
from tests.faults.support import RecordingServer
from viewer.api import ActivityClient, PathwayClient, PathwayQuery
from viewer.api.errors import RedirectRefusedError
from viewer.api.http import NO_RETRY

STATUSES = [301, 302, 303, 307, 308]
PATHWAY_PATH = "/v1/logs/pathway-logs"
TYPES_PATH = "/v1/activities/types"


@pytest.fixture
def other_origin() -> Iterator[RecordingServer]:
    server = RecordingServer().start()
    yield server
    server.stop()


@pytest.fixture
def tls(tmp_path):
    pytest.importorskip("cryptography")
    return self_signed(tmp_path)


def _pathway(url: str, **options) -> PathwayClient:
    return PathwayClient(url, "pathway-secret", retry=NO_RETRY, **options)


def _inbox(url: str, **options) -> ActivityClient:
    return ActivityClient(url, "inbox-secret", retry=NO_RETRY, **options)


@pytest.mark.parametrize("status", STATUSES)
def test_a_pathway_query_is_never_sent_on_to_plain_http_elsewhere(status, other_origin):
    behaviour = redirect(status, other_origin.url + PATHWAY_PATH)
    with (
        HostileServer(behaviour) as server,
        _pathway(server.url) as client,
        pytest.raises(RedirectRefusedError, match=other_origin.url) as caught,
    ):
        client.fetch(PathwayQuery("Pathway A", groups=("Secret group",)))
    assert other_origin.requests == []
    assert "pathway-secret" not in str(caught.value)


@pytest.mark.parametrize("status", STATUSES)
def test_a_get_is_not_followed_to_plain_http_elsewhere(status, other_origin):
    behaviour = redirect(status, other_origin.url + TYPES_PATH)
    with (
        HostileServer(behaviour) as server,
        _inbox(server.url) as client,
        pytest.raises(RedirectRefusedError, match="plain http"),
    ):
        client.types()
    assert other_origin.requests == []


def test_a_redirect_within_the_origin_keeps_the_token_and_the_body():
    def behaviour(conn, request, stop):
        if request.path == PATHWAY_PATH:
            redirect(307, PATHWAY_PATH + "?moved=1")(conn, request, stop)
        else:
            conn.sendall(pathway_answer())

    query = PathwayQuery("Pathway A", users=("ann@example.test",))
    with HostileServer(behaviour) as server, _pathway(server.url) as client:
        assert client.fetch(query).pathway.name == "Pathway A"
    first, second = server.requests
    assert second.path == PATHWAY_PATH + "?moved=1"
    assert second.headers["authorization"] == "Basic pathway-secret"
    assert json.loads(second.body) == json.loads(first.body) == query.body()


@pytest.mark.parametrize("status", [302, 307])
def test_https_never_goes_down_to_http_even_on_the_same_host(status, tls, other_origin):
    context, ca_file = tls
    behaviour = redirect(status, other_origin.url + TYPES_PATH)
    with (
        HostileServer(behaviour, tls=context) as server,
        _inbox(server.url, verify=ca_file) as client,
        pytest.raises(RedirectRefusedError, match="leaving https"),
    ):
        client.types()
    assert server.requests, "the https server was not reached"
    assert other_origin.requests == []


def test_a_get_is_followed_to_https_elsewhere_without_the_token(tls):
    context, ca_file = tls
    secure = HostileServer(lambda c, r, s: c.sendall(json_answer({"data": []})), tls=context)
    with secure:
        behaviour = redirect(302, secure.url + TYPES_PATH)
        with HostileServer(behaviour) as server, _inbox(server.url, verify=ca_file) as client:
            assert client.types() == []
    assert server.requests[0].headers["authorization"] == "Bearer inbox-secret"
    (arrived,) = secure.requests
    assert arrived.path == TYPES_PATH
    assert "authorization" not in arrived.headers
    assert "inbox-secret" not in json.dumps(arrived.headers)


@pytest.mark.parametrize("status", [302, 307, 308])
def test_a_request_with_a_body_is_not_sent_to_another_origin_even_over_https(status, tls):
    context, ca_file = tls
    secure = HostileServer(lambda c, r, s: c.sendall(pathway_answer()), tls=context)
    with secure:
        behaviour = redirect(status, secure.url + PATHWAY_PATH)
        with (
            HostileServer(behaviour) as server,
            _pathway(server.url, verify=ca_file) as client,
            pytest.raises(RedirectRefusedError, match="another server"),
        ):
            client.fetch(PathwayQuery("Pathway A"))
        assert len(server.requests) == 1
    assert secure.requests == []


def test_a_redirect_to_something_other_than_the_web_is_refused():
    behaviour = redirect(302, "file:///etc/passwd")
    with (
        HostileServer(behaviour) as server,
        _inbox(server.url) as client,
        pytest.raises(RedirectRefusedError, match="not a web address"),
    ):
        client.types()


def test_a_redirect_loop_ends_with_a_message():
    behaviour = redirect(307, TYPES_PATH)
    with (
        HostileServer(behaviour) as server,
        _inbox(server.url) as client,
        pytest.raises(Exception, match="redirected too many times"),
    ):
        client.types()
    assert len(server.requests) == 6
