"""Tokens stay with their server: no Authorization to another origin, no cleartext abroad."""

from __future__ import annotations

import pytest

from tests.faults.support import RecordingServer
from viewer.api import ActivityClient, InsecureUrlError, PathwayClient, PathwayQuery
from viewer.api.errors import RedirectRefusedError
from viewer.api.http import NO_RETRY
from viewer.connections import PATHWAY_SERVICE, Connections, ServiceConfig


@pytest.fixture
def other_origin():
    server = RecordingServer().start()
    yield server
    server.stop()


def test_nothing_is_sent_to_another_origin_on_a_redirect_to_plain_http(demo_server, other_origin):
    # Over https another origin is reached without the token: see test_redirects.
    demo_server.faults.set(redirect_to=other_origin.url)
    pathways = PathwayClient(demo_server.url, demo_server.pathway_token, retry=NO_RETRY)
    inbox = ActivityClient(demo_server.url, demo_server.activity_token, retry=NO_RETRY)
    with pathways, inbox:
        with pytest.raises(RedirectRefusedError):
            pathways.fetch(PathwayQuery("Pathway A"))
        with pytest.raises(RedirectRefusedError):
            inbox.page()
    assert other_origin.requests == []
    paths = [path for _method, path, _body in demo_server.request_log]
    assert paths[0] == "/v1/logs/pathway-logs" and paths[1].startswith("/v1/activities?")


def test_authorization_is_kept_on_a_redirect_within_the_same_origin(demo_server):
    demo_server.faults.set(redirect_to=demo_server.url, times=1)
    with ActivityClient(demo_server.url, demo_server.activity_token, retry=NO_RETRY) as inbox:
        assert inbox.page().data  # the second request carried the token again


@pytest.mark.parametrize(
    "url", ["http://api.example.test", "http://10.0.0.1:8080", "http://[2001:db8::1]/v1"]
)
@pytest.mark.parametrize("client", [PathwayClient, ActivityClient])
def test_plain_http_to_another_machine_is_refused_unless_allowed(url, client):
    with pytest.raises(InsecureUrlError, match="unencrypted"):
        client(url, "token")
    client(url, "token", allow_insecure_http=True).close()  # opted in: no request is made


@pytest.mark.parametrize("url", ["http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1"])
def test_plain_http_to_this_machine_is_allowed(url):
    PathwayClient(url, "token").close()


def test_connections_refuse_plain_http_abroad_without_the_opt_in():
    connections = Connections(ServiceConfig("http://api.example.test", "token"))
    with pytest.raises(InsecureUrlError):
        connections.pathway_client()
    connections.set_config(
        PATHWAY_SERVICE, ServiceConfig("http://api.example.test", "token", allow_insecure_http=True)
    )
    connections.pathway_client()
    connections.close()


def test_connections_dialog_refuses_plain_http_abroad_without_the_opt_in(qtbot):
    from viewer.window.service_panel import ServicePanel

    panel = ServicePanel(PATHWAY_SERVICE)
    qtbot.addWidget(panel)
    panel.url.setText("http://api.example.test")
    panel.token.setText("token")
    assert not panel.insecure_warning.isHidden()
    with pytest.raises(InsecureUrlError):
        panel.config()
    panel.allow_insecure.setChecked(True)
    assert panel.config().allow_insecure_http
    panel.url.setText("http://127.0.0.1:8080")
    assert panel.insecure_warning.isHidden()
