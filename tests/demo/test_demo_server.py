"""The demo server over real HTTP on loopback: the pathway-logs API and the life cycle."""

from __future__ import annotations

import hashlib
import time
from datetime import datetime

import httpx
import msgspec
import pytest

from viewer.api import (
    AuthError,
    NotFoundError,
    PathwayClient,
    PathwayQuery,
)
from viewer.demo.data import ANCHOR
from viewer.demo.server import DemoServer

from .support import NO_RETRY, PATH, STATES, emails, logs_of, post_logs

# -- pathway logs ---------------------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "Basic wrong", "Bearer {token}", "{token}"])
def test_pathway_auth_is_required(server, http, header):
    headers = {} if header is None else {"Authorization": header.format(token=server.pathway_token)}
    response = http.post(PATH, json={"pathway": "Pathway A"}, headers=headers)
    assert response.status_code == 401
    assert response.json()["status"] == "error" and response.json()["message"]


def test_pathway_wrong_token_through_the_client(server):
    client = PathwayClient(server.url, "bm9wZQ==", retry=NO_RETRY)
    with client, pytest.raises(AuthError):
        client.fetch(PathwayQuery("Pathway A"))


def test_full_answer_has_the_seed_shape(server, http):
    body = logs_of(post_logs(http, server, {"pathway": "Pathway A"}))
    assert list(body) == ["status", "data", "hash", "response_time"]
    assert body["hash"] == hashlib.md5(msgspec.json.encode(body["data"])).hexdigest()
    assert isinstance(body["response_time"], float)
    item = body["data"][0]
    assert item["pathway"] == {"name": "Pathway A", "type": "pathway", "ID": "EVPA-7RTD-21KM"}
    names = [act["name"] for act in item["activities"]]
    assert {"Story A", "Video A", "Audio A", "Data Tracking"} <= set(names)
    assert len(names) == 8
    kinds, not_started = set(), 0
    for act in item["activities"]:
        assert list(act) == [
            "ID",
            "name",
            "type",
            "fulfilmentType",
            "required",
            "level",
            "stats",
            "logs",
        ]
        assert 1 <= act["level"] <= 4 and isinstance(act["required"], bool)
        assert act["stats"]["total"] == len(act["logs"]) == 40
        done = [log for log in act["logs"] if log["status"]["state"] == "completed"]
        assert act["stats"]["completed"] == len(done)
        kinds.add(act["type"])
        for log in act["logs"]:
            status, fulfilment = log["status"], log["fulfilment"]
            assert status["state"] in STATES
            if status["state"] == "not started":
                not_started += 1
                assert fulfilment == [] and status["timestamp"] is None
                continue
            when = datetime.fromisoformat(status["timestamp"])
            assert when.utcoffset() is not None and when.timestamp() <= ANCHOR
            assert status["complete"] == (status["state"] == "completed")
            assert fulfilment["type"] == act["type"] and fulfilment["state"] == status["state"]
            assert fulfilment["timestamp"] == status["timestamp"]
            assert set(fulfilment) - {"type", "state", "progress", "timestamp"}
    assert not_started and "data" in kinds and "story" in kinds
    data_log = next(
        log
        for act in item["activities"]
        if act["name"] == "Data Tracking"
        for log in act["logs"]
        if log["fulfilment"]
    )
    assert set(data_log["fulfilment"]["data"]) == {"category", "current", "target"}


def test_seed_invalid_example_is_rejected_as_not_json(server, http):
    response = post_logs(http, server, None, raw=b'{\n    pathway : "Pathway A"\n  }')
    assert response.status_code == 400
    assert response.json()["status"] == "error"
    assert "not valid JSON" in response.json()["message"]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"[]",
        b"{}",
        b'{"pathway": ""}',
        b'{"pathway": 12}',
        b'{"pathway": "Pathway A", "types": "Stories"}',
        b'{"pathway": "Pathway A", "users": [1, 2]}',
    ],
)
def test_bad_bodies_are_400(server, http, raw):
    response = post_logs(http, server, None, raw=raw)
    assert response.status_code == 400
    assert response.json()["status"] == "error" and response.json()["message"]


def test_unknown_pathway_is_404(server, http, pathways):
    response = post_logs(http, server, {"pathway": "No Such Pathway"})
    assert response.status_code == 404 and response.json()["status"] == "error"
    with pytest.raises(NotFoundError):
        pathways.fetch(PathwayQuery("No Such Pathway"))


def test_wrong_method_is_405(server, http):
    response = http.get(PATH, headers={"Authorization": f"Basic {server.pathway_token}"})
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    assert response.json()["status"] == "error"


def test_seed_examples(server, http):
    data = logs_of(post_logs(http, server, {"pathway": "Pathway A", "types": ["Data Target"]}))
    acts = data["data"][0]["activities"]
    assert "Data Tracking" in [a["name"] for a in acts]
    assert {a["type"] for a in acts} <= {"data", "checkpoint"}

    joe = logs_of(
        post_logs(http, server, {"pathway": "Pathway A", "users": ["joe.soap@example.com"]})
    )
    assert emails(joe) == {"joe.soap@example.com"}
    assert all(a["stats"]["total"] == 1 for a in joe["data"][0]["activities"])

    story = logs_of(post_logs(http, server, {"pathway": "Pathway A", "activities": ["Story A"]}))
    [act] = story["data"][0]["activities"]
    assert (act["ID"], act["type"], act["fulfilmentType"]) == (
        "EVPA-KWOI-80AI",
        "story",
        "complete",
    )
    done = next(log for log in act["logs"] if log["email"] == "user.one@example.com")
    assert done["fulfilment"]["story"] == {
        "ID": "EV72-RQZY-80AH",
        "name": "Story A",
        "score": done["fulfilment"]["story"]["score"],
    }

    both = logs_of(
        post_logs(
            http,
            server,
            {
                "pathway": "Pathway A",
                "user": ["joe.soap@example.com", "user.two@example.com"],
                "types": ["Data Target", "Assessments", "Stories"],
            },
        )
    )
    assert emails(both) == {"joe.soap@example.com", "user.two@example.com"}
    assert {a["type"] for a in both["data"][0]["activities"]} >= {"data", "story"}


@pytest.mark.parametrize(
    ("filters", "expected_names"),
    [
        ({"activities": ["story a", "EVPA-WVZF-56QJ"]}, {"Story A", "Data Tracking"}),
        ({"types": ["story"]}, {"Story A"}),
        ({"types": ["Story"]}, {"Story A"}),
        ({"types": ["STORIES"]}, {"Story A"}),
        ({"types": ["Video", "audio"]}, {"Video A", "Audio A"}),
        ({"activities": ["Story A"], "types": ["Video"]}, set()),
        ({"activities": ["Nothing"]}, set()),
    ],
)
def test_activity_filters(server, http, filters, expected_names):
    body = logs_of(post_logs(http, server, {"pathway": "pathway a", **filters}))
    assert {a["name"] for a in body["data"][0]["activities"]} == expected_names


@pytest.mark.parametrize("who", ["joe.soap@example.com", "Joe", "soap", "JOE SOAP", " joe  soap "])
def test_user_filter_matches_email_and_names(server, http, who):
    body = logs_of(post_logs(http, server, {"pathway": "Pathway A", "users": [who]}))
    people = {
        (log["firstname"], log["lastname"])
        for a in body["data"][0]["activities"]
        for log in a["logs"]
    }
    assert ("Joe", "Soap") in people
    assert all(
        "joe" in (first.lower(), last.lower()) or last.lower() == "soap" for first, last in people
    )


def test_group_filter_and_pathway_by_id(server, http):
    full = logs_of(post_logs(http, server, {"pathway": "EV67-ZCNS-56AD"}))
    assert full["data"][0]["pathway"]["name"] == "Become A Store Owner"
    body = logs_of(post_logs(http, server, {"pathway": "ev67-zcns-56ad", "groups": ["sales"]}))
    for act in body["data"][0]["activities"]:
        assert act["logs"] and all("Sales" in log["groups"] for log in act["logs"])
        assert act["stats"]["total"] < 40


def test_client_fetch_and_summaries(server, pathways):
    logs = pathways.fetch(PathwayQuery("Become A Store Owner"))
    assert logs.pathway.ID == "EV67-ZCNS-56AD" and logs.log_count == 8 * 40
    summaries = {
        log.fulfilment_info().summary()
        for act in logs.activities
        for log in act.logs
        if log.fulfilment_info() is not None
    }
    assert len(summaries) > 8


def test_same_seed_same_bytes_other_seed_differs(server, http):
    first = post_logs(http, server, {"pathway": "Become A Store Owner"}).json()
    with (
        DemoServer(seed=7, users=40, inbox=10, activities=8) as twin,
        httpx.Client(base_url=twin.url) as other,
    ):
        again = post_logs(other, twin, {"pathway": "Become A Store Owner"}).json()
        assert twin.pathway_token == server.pathway_token
    assert first["hash"] == again["hash"] and first["data"] == again["data"]
    with (
        DemoServer(seed=8, users=40, inbox=10, activities=8) as stranger,
        httpx.Client(base_url=stranger.url) as other,
    ):
        assert stranger.pathway_token != server.pathway_token
        different = post_logs(other, stranger, {"pathway": "Become A Store Owner"}).json()
    assert different["hash"] != first["hash"]


def test_advance_changes_the_answer(server, http):
    before = logs_of(post_logs(http, server, {"pathway": "Pathway A"}))
    assert logs_of(post_logs(http, server, {"pathway": "Pathway A"}))["hash"] == before["hash"]
    assert server.advance_pathway("Pathway A", 5) == 5
    after = logs_of(post_logs(http, server, {"pathway": "Pathway A"}))
    assert after["hash"] != before["hash"]
    changed = 0
    for old, new in zip(
        before["data"][0]["activities"], after["data"][0]["activities"], strict=True
    ):
        for a, b in zip(old["logs"], new["logs"], strict=True):
            if a != b:
                changed += 1
                assert datetime.fromisoformat(b["status"]["timestamp"]).timestamp() > ANCHOR
    assert changed == 5
    with pytest.raises(ValueError):
        server.advance_pathway("No Such Pathway", 1)


def test_gzip_only_when_asked(server, http):
    small = post_logs(http, server, {"pathway": "Pathway A"})
    assert small.headers["Content-Encoding"] == "gzip"
    plain = http.post(
        PATH,
        json={"pathway": "Pathway A"},
        headers={"Authorization": f"Basic {server.pathway_token}", "Accept-Encoding": "identity"},
    )
    assert "Content-Encoding" not in plain.headers
    assert int(plain.headers["Content-Length"]) == len(plain.content)
    assert plain.json()["hash"] == small.json()["hash"]


def test_larger_scale_is_quick_and_uncompressed():
    started = time.perf_counter()
    with DemoServer(users=2000, activities=12, inbox=10) as big:
        with PathwayClient(big.url, big.pathway_token, retry=NO_RETRY) as client:
            body = client.fetch_body(PathwayQuery("Become A Store Owner"))
            assert client.decode(body).log_count == 2000 * 12
        assert len(body) > 4 << 20
        with httpx.Client(base_url=big.url) as http:
            response = post_logs(http, big, {"pathway": "Become A Store Owner"})
            assert "Content-Encoding" not in response.headers
            assert response.json()["hash"] == msgspec.json.decode(body)["hash"]
    assert time.perf_counter() - started < 30


def test_request_log_records_what_arrived(server, pathways):
    pathways.fetch(PathwayQuery("Pathway A", types=("Stories",)))
    assert server.request_log[-1] == ("POST", PATH, {"pathway": "Pathway A", "types": ["Stories"]})


def test_stop_ends_open_keep_alive_connections():
    demo = DemoServer(users=5, inbox=5).start()
    with httpx.Client(base_url=demo.url) as client:
        assert client.get("/v1/activities/types").status_code == 401
        started = time.perf_counter()
        demo.stop()
        assert time.perf_counter() - started < 5
        with pytest.raises(httpx.TransportError):
            client.get("/v1/activities/types")
    demo.stop()
