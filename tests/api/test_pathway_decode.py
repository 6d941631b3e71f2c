"""Decoding pathway-logs answers: the seed's sample, and what real servers might send."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from viewer.api.errors import ApiReportedError, BadResponseError, Cancelled, NotFoundError
from viewer.api.http import CancelToken
from viewer.api.pathway import PathwayQuery, decode_pathway_logs
from viewer.api.pathway_types import Fulfilment

DATA = Path(__file__).parent / "data"
SEED = (DATA / "seed_pathway_response.json").read_bytes()


def _with(mutate) -> bytes:
    doc = json.loads(SEED)
    mutate(doc)
    return json.dumps(doc).encode()


def _first_log(doc):
    return doc["data"][0]["activities"][0]["logs"][0]


def test_seed_sample_decodes_with_every_documented_field():
    result = decode_pathway_logs(SEED)
    assert result.pathway.name == "Become A Store Owner"
    assert result.pathway.ID == "EV67-ZCNS-56AD"
    assert result.hash == "bcce5ca8f5ea870a16f43c411136be31"
    assert result.response_time == pytest.approx(0.2224, abs=1e-3)
    data, story = result.activities
    assert (data.ID, data.type, data.fulfilmentType, data.required, data.level) == (
        "EVPA-WVZF-56QJ",
        "data",
        "tracking",
        True,
        1,
    )
    assert (data.stats.total, data.stats.completed) == (2, 2)
    log = data.logs[0]
    assert log.full_name == "User One"
    assert log.groups == ("Group A", "Group B")
    assert log.status.state == "completed" and log.status.complete is True
    assert log.status.progress == 100
    assert log.fulfilment_info().summary() == "Current Score 500 / 159"
    assert story.logs[0].fulfilment_info().summary() == "Score 100"
    assert result.log_count == 2


def test_unknown_fields_are_ignored_at_every_level():
    def mutate(doc):
        doc["extra"] = {"x": 1}
        doc["data"][0]["surprise"] = [1, 2]
        doc["data"][0]["pathway"]["colour"] = "red"
        doc["data"][0]["activities"][0]["icon"] = "data.svg"
        _first_log(doc)["avatar"] = None
        _first_log(doc)["status"]["note"] = "x"

    result = decode_pathway_logs(_with(mutate))
    assert result.activities[0].logs[0].email == "user.one@example.com"


def test_missing_and_null_optional_fields_decode_as_none():
    def mutate(doc):
        log = _first_log(doc)
        for key in ("telephone", "city", "groups"):
            log[key] = None
        del log["country"]
        log["status"]["timestamp"] = None
        del doc["data"][0]["activities"][0]["level"]
        doc["data"][0]["activities"][0]["stats"] = {}
        del doc["hash"]

    result = decode_pathway_logs(_with(mutate))
    activity = result.activities[0]
    log = activity.logs[0]
    assert (log.telephone, log.city, log.groups, log.country) == (None, None, None, None)
    assert log.status.timestamp is None
    assert activity.level is None and activity.stats.total is None
    assert result.hash is None


def test_empty_fulfilment_array_means_nothing_recorded():
    result = decode_pathway_logs(_with(lambda doc: _first_log(doc).update(fulfilment=[])))
    assert result.activities[0].logs[0].fulfilment_info() is None


def test_unknown_fulfilment_payload_is_kept_whole():
    payload = {"file": "proof.pdf", "reviewed": True, "reviewer": {"name": "Ann"}}

    def mutate(doc):
        _first_log(doc)["fulfilment"] = {
            "type": "upload",
            "state": "in progress",
            "progress": 50,
            "upload": payload,
            "extra_top_level": [1, 2],
        }

    info = decode_pathway_logs(_with(mutate)).activities[0].logs[0].fulfilment_info()
    assert info.type == "upload" and info.state == "in progress" and info.progress == 50
    assert info.payload == {"upload": payload, "extra_top_level": [1, 2]}
    assert info.summary().startswith("Upload: file proof.pdf")


@pytest.mark.parametrize(
    ("checkin", "summary"),
    [
        ({"eventID": "E", "virtual": True, "guid": "g", "distance": -1}, "Checked in, virtual"),
        (
            {"eventID": "E", "virtual": False, "guid": "g", "distance": 12653},
            "Checked in, 12.7 km away",
        ),
        ({"eventID": "E", "virtual": False, "distance": -1}, "Checked in"),
    ],
)
def test_checkin_summary(checkin, summary):
    raw = msgspec.json.encode({"type": "checkin", "checkin": checkin})
    assert Fulfilment.parse(msgspec.Raw(raw)).summary() == summary


def test_fulfilment_of_odd_shapes_never_raises():
    assert Fulfilment.parse(msgspec.Raw(b"null")) is None
    assert Fulfilment.parse(msgspec.Raw(b'"done"')).payload == {"value": "done"}
    assert Fulfilment.parse(msgspec.Raw(b"[1]")).payload == {"value": [1]}
    odd = Fulfilment.parse(msgspec.Raw(b'{"progress": "50", "type": 3}'))
    assert odd.progress is None and odd.type == "3"


def test_api_error_answer_raises_api_reported_error_with_its_message():
    body = b'{"status": "error", "message": "Pathway is archived"}'
    with pytest.raises(ApiReportedError, match="Pathway is archived"):
        decode_pathway_logs(body)


def test_empty_data_means_pathway_not_found():
    body = b'{"status": "success", "data": []}'
    with pytest.raises(NotFoundError, match="Nope"):
        decode_pathway_logs(body, query=PathwayQuery("Nope"))


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"", "empty"),
        (b"   ", "empty"),
        (b"<html><body><h1>502 Bad Gateway</h1></body></html>", "not valid JSON"),
        (SEED[: len(SEED) // 2], "not valid JSON"),
        (b'{"status": "success"}', "without"),
        (b'{"status": "success", "data": {"pathway": 1}}', "unexpected shape"),
        (b"[1, 2, 3]", "unexpected shape"),
    ],
)
def test_malformed_answers_raise_bad_response_with_an_excerpt(body, fragment):
    with pytest.raises(BadResponseError, match=fragment) as caught:
        decode_pathway_logs(body)
    assert "check the server URL" in str(caught.value)


def test_wrong_type_inside_logs_names_the_activity():
    body = _with(lambda doc: _first_log(doc)["status"].update(progress="lots"))
    with pytest.raises(BadResponseError, match="Data Tracking"):
        decode_pathway_logs(body)


def test_decoding_reports_each_slice_and_stops_when_cancelled():
    seen = []
    decode_pathway_logs(SEED, on_slice=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]

    token = CancelToken()
    with pytest.raises(Cancelled):
        decode_pathway_logs(SEED, cancel=token, on_slice=lambda done, total: token.cancel())


def test_query_body_sends_only_given_filters_without_duplicates():
    query = PathwayQuery(" Pathway A ", types=("Data Target", "Data Target", " "), users=["a@b"])
    assert query.body() == {"pathway": "Pathway A", "types": ["Data Target"], "users": ["a@b"]}


def test_story_without_a_score_says_so_instead_of_listing_its_ids():
    raw = msgspec.json.encode({"type": "story", "story": {"ID": "EV72", "name": "Story A"}})
    assert Fulfilment.parse(msgspec.Raw(raw)).summary() == "Not scored yet"
