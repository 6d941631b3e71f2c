"""The demo server's fault switches and loopback control endpoints."""

from __future__ import annotations

import time

import pytest

from viewer.api import (
    ActivityClient,
    ApiReportedError,
    AuthError,
    BadResponseError,
    NetworkError,
    PathwayQuery,
    RateLimitedError,
    RetryPolicy,
    ServerError,
)
from viewer.demo.faults import FaultSwitches
from viewer.demo.wire import Request

from .support import bearer, post_logs

# -- faults ---------------------------------------------------------------------------------


def test_fault_switches_validate_and_expire():
    faults = FaultSwitches()
    with pytest.raises(ValueError):
        faults.set(status="500")
    with pytest.raises(ValueError):
        faults.set(colour="red")
    faults.latency = 0.5
    faults.set(status=503, times=2, api="pathway")
    assert faults.latency == 0.5 and faults.status == 503
    assert faults.take("activity") is None
    assert faults.take("pathway").times == 2 and faults.take("pathway").times == 1
    assert faults.take("pathway") is None and faults.status is None and faults.latency == 0
    faults.set(truncate=True)
    faults.reset()
    assert not faults.snapshot().active


def test_latency(server, inbox):
    server.faults.set(latency=0.3)
    started = time.perf_counter()
    inbox.types()
    assert time.perf_counter() - started >= 0.3


@pytest.mark.parametrize(
    ("status", "error"),
    [(503, ServerError), (429, RateLimitedError), (400, ApiReportedError), (401, AuthError)],
)
def test_status_fault(server, http, pathways, inbox, status, error):
    server.faults.set(status=status, retry_after="7")
    response = post_logs(http, server, {"pathway": "Pathway A"})
    assert response.status_code == status and response.headers["Retry-After"] == "7"
    assert response.json()["status"] == "error"
    body = http.get("/v1/activities", headers=bearer(server)).json()
    assert body["statusCode"] == status and body["error_code"] and body["trace_id"]
    with pytest.raises(error) as caught:
        pathways.fetch(PathwayQuery("Pathway A"))
    with pytest.raises(error):
        inbox.page()
    if status == 429:
        assert caught.value.retry_after == 7


def test_truncate_breaks_the_connection(server, pathways, inbox):
    server.faults.set(truncate=True)
    with pytest.raises(NetworkError):
        pathways.fetch(PathwayQuery("Pathway A"))
    with pytest.raises(NetworkError):
        inbox.page()
    server.faults.reset()
    assert pathways.fetch(PathwayQuery("Pathway A")).log_count == 8 * 40


@pytest.mark.parametrize("switch", ["not_json", "empty_body"])
def test_bad_bodies_from_a_proxy(server, http, pathways, inbox, switch):
    server.faults.set(**{switch: True})
    response = post_logs(http, server, {"pathway": "Pathway A"})
    assert response.status_code == 200
    if switch == "not_json":
        assert response.text.startswith("<!DOCTYPE html>") and "<h1>Gateway</h1>" in response.text
    else:
        assert response.content == b"" and response.headers["Content-Length"] == "0"
    with pytest.raises(BadResponseError):
        pathways.fetch(PathwayQuery("Pathway A"))
    with pytest.raises(BadResponseError):
        inbox.types()


def test_times_lets_a_retry_succeed(server):
    server.faults.set(status=503, times=1)
    retrying = RetryPolicy(attempts=2, backoff=0.01)
    with ActivityClient(server.url, server.activity_token, retry=retrying) as client:
        assert client.page().meta.total == 150
    assert [entry[1] for entry in server.request_log].count(
        "/v1/activities?page=1&per_page=50"
    ) == 2
    assert server.faults.status is None


def test_api_scoping(server, pathways, inbox):
    server.faults.set(status=500, api="activity")
    assert pathways.fetch(PathwayQuery("Pathway A")).log_count == 8 * 40
    with pytest.raises(ServerError):
        inbox.page()
    server.faults.set(api="pathway")
    assert inbox.page().meta.total == 150
    with pytest.raises(ServerError):
        pathways.fetch(PathwayQuery("Pathway A"))


def test_control_endpoints(server, http, inbox):
    server.faults.set(status=500)
    reply = http.post("/_demo/faults", json={"status": 503, "times": 1, "api": "activity"})
    assert reply.status_code == 200 and reply.json()["faults"]["status"] == 503
    assert http.get("/_demo/faults").json()["faults"]["times"] == 1
    assert http.get("/v1/activities", headers=bearer(server)).status_code == 503
    assert http.get("/v1/activities", headers=bearer(server)).status_code == 200
    http.post("/_demo/faults", json={"latency": 5})
    assert http.post("/_demo/faults", json={}).json()["faults"]["latency"] == 0
    assert http.post("/_demo/faults", json={"nope": 1}).status_code == 400
    added = http.post("/_demo/add-activities", json={"count": 2}).json()["uuids"]
    assert [a.uuid for a in inbox.page(1, 2).data] == added
    assert http.post("/_demo/advance", json={"pathway": "Pathway A", "count": 3}).json() == {
        "changed": 3
    }
    assert http.post("/_demo/advance", json={"pathway": "Nope", "count": 3}).status_code == 400
    assert http.get("/_demo/unknown").status_code == 404
    assert not any(entry[1].startswith("/_demo/") for entry in server.request_log)
    foreign = Request("POST", "/_demo/faults", "/_demo/faults", "", {}, b"{}", "192.0.2.7")
    assert server.handle(foreign).status == 403


# -- switches for the fault matrix ----------------------------------------------------------


def test_new_switches_validate():
    faults = FaultSwitches()
    for bad in (
        {"redirect_to": "ftp://x"},
        {"redirect_to": 5},
        {"padding": -1},
        {"padding": True},
        {"truncate_json": "yes"},
        {"reported_error": 1},
    ):
        with pytest.raises(ValueError):
            faults.set(**bad)
    assert faults.set(redirect_to="http://127.0.0.1:1/").redirect_to == "http://127.0.0.1:1"
    assert faults.snapshot().active


def test_truncate_json_sends_a_whole_answer_that_stops_half_way(server, http, pathways, inbox):
    server.faults.set(truncate_json=True)
    headers = {**bearer(server), "Accept-Encoding": "identity"}
    response = http.get("/v1/activities", headers=headers)
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(response.content)
    assert response.content.startswith(b'{"data":[') and not response.content.endswith(b"}")
    with pytest.raises(BadResponseError, match="JSON"):
        inbox.page()
    with pytest.raises(BadResponseError, match="JSON"):
        pathways.fetch(PathwayQuery("Pathway A"))


def test_reported_error_is_a_200_with_the_error_shape(server, http, pathways, inbox):
    server.faults.set(reported_error=True)
    response = http.get("/v1/activities", headers=bearer(server))
    assert response.status_code == 200 and response.json()["status"] == "error"
    for call in (
        lambda: pathways.fetch(PathwayQuery("Pathway A")),
        inbox.page,
        inbox.types,
        inbox.unread_count,
    ):
        with pytest.raises(ApiReportedError, match="Simulated error"):
            call()


def test_redirect_to_answers_307_to_the_other_origin_with_path_and_query(server, http):
    server.faults.set(redirect_to="http://127.0.0.1:9", times=1)
    response = http.get("/v1/activities?page=2", headers=bearer(server))
    assert response.status_code == 307
    assert response.headers["Location"] == "http://127.0.0.1:9/v1/activities?page=2"
    assert http.get("/v1/activities", headers=bearer(server)).status_code == 200


def test_padding_makes_answers_larger_and_still_valid(server, pathways, inbox):
    usual_page = inbox.page(1, 20)
    usual = pathways.fetch_body(PathwayQuery("Pathway A"))
    server.faults.set(padding=10 * len(usual))
    padded = pathways.fetch_body(PathwayQuery("Pathway A"))
    assert len(padded) > 10 * len(usual)
    assert pathways.decode(padded).log_count == pathways.decode(usual).log_count
    assert [a.uuid for a in inbox.page(1, 20).data] == [a.uuid for a in usual_page.data]


def test_truncate_json_cuts_error_answers_too(server, http):
    server.faults.set(truncate_json=True)
    response = post_logs(http, server, {"pathway": "No Such Pathway"})
    assert response.status_code == 404
    assert response.content.startswith(b'{"status":"error"') and not response.content.endswith(b"}")
