"""Pathway answers, valid and hostile: decoded like a plain JSON reader does, or refused."""

from __future__ import annotations

import contextlib
import json

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import PAYLOADS
from tests.fuzz.strategies import (
    activity,
    encoded,
    fulfilment,
    fuzz,
    garbled,
    json_value,
    log,
    pathway_answer,
)
from viewer.api import pathway
from viewer.api.errors import ApiError, BadResponseError
from viewer.api.pathway_types import Fulfilment, Log
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.fold_helper import FoldHelper

_ACTIVITY_FIELDS = ("ID", "name", "type", "fulfilmentType", "required", "level")
_LOG_FIELDS = ("firstname", "lastname", "email", "telephone", "country", "city")
#: What the decoders give for an answer holding more than one pathway.
REFUSED = "refused: more than one pathway"


def _outcome(decode, body: bytes):
    """What ``decode`` gives, or ``REFUSED`` when it refuses more than one pathway."""
    try:
        return decode(body)
    except BadResponseError as exc:
        if "pathways for one request" not in exc.message:
            raise
        return REFUSED


def _reference(body: bytes) -> list[tuple] | str:
    """What a person reading the JSON would expect, from ``json.loads`` alone."""
    data = json.loads(body)["data"]
    if len(data) > 1:
        return REFUSED  # one request names one pathway: the rows of others are not its
    item = data[0]
    return [
        (
            tuple(a.get(f) for f in _ACTIVITY_FIELDS),
            [_reference_log(log) for log in a.get("logs") or []],
        )
        for a in item.get("activities") or []
    ]


def _reference_log(log: dict) -> tuple:
    status = log.get("status") or {}
    progress = status.get("progress")
    groups = log.get("groups")
    return (
        tuple(log.get(f) for f in _LOG_FIELDS),
        None if groups is None else tuple(groups),
        (
            status.get("complete"),
            None if progress is None else float(progress),
            status.get("state"),
            status.get("timestamp"),
        ),
        log.get("fulfilment", []),
    )


def _seen_log(log: Log) -> tuple:
    s = log.status
    return (
        tuple(getattr(log, f) for f in _LOG_FIELDS),
        log.groups,
        (s.complete, s.progress, s.state, s.timestamp),
        json.loads(bytes(log.fulfilment)),
    )


def _seen(result) -> list[tuple]:
    return [
        (tuple(getattr(a, f) for f in _ACTIVITY_FIELDS), [_seen_log(log) for log in a.logs])
        for a in result.activities
    ]


def _one_pass(body: bytes) -> dict[int, list]:
    """The plain path alone: the whole envelope at once, then each activity's logs."""
    envelope = pathway._decode_whole_envelope(body)
    item = pathway._checked_item(envelope, body, None)
    logs: dict[int, list] = {}
    pathway._read_each(item.activities or [], body, logs.__setitem__, None, None)
    return logs


@fuzz()
@given(encoded(pathway_answer))
def test_valid_answers_decode_as_a_plain_json_reader_reads_them(body: bytes):
    PAYLOADS["pathway: valid answers"] += 1
    decoded = _outcome(lambda b: _seen(pathway.decode_pathway_logs(b)), body)
    assert decoded == _reference(body)


@fuzz()
@given(encoded(pathway_answer))
def test_sliced_decoding_gives_what_one_pass_gives(body: bytes):
    PAYLOADS["pathway: sliced vs one pass"] += 1
    sliced: dict[int, list] = {}

    def read_sliced(b: bytes) -> dict[int, list]:
        head = pathway.read_pathway_logs(b, sliced.__setitem__)
        return {i: sliced[i] for i in range(len(head.activities))}

    assert _outcome(read_sliced, body) == _outcome(_one_pass, body)


@st.composite
def _misplaced_logs(draw) -> bytes:
    """Valid answers with a ``logs`` key where no activity's logs are."""
    answer = draw(pathway_answer)
    item = answer["data"][0]
    where = draw(st.sampled_from(["pathway", "item", "envelope", "activity-without"]))
    extra = draw(st.lists(log, min_size=1, max_size=2))
    if where == "pathway":
        item["pathway"] = {"logs": extra, **item["pathway"]}
    elif where == "item":
        answer["data"][0] = {"logs": extra, **item}
    elif where == "envelope":
        answer = {"logs": extra, **answer}
    else:
        activities = item["activities"]
        activities.insert(draw(st.integers(0, len(activities))), {"name": "no logs key"})
        item["pathway"] = {"logs": extra, **item["pathway"]}
    return draw(encoded(st.just(answer)))


@fuzz()
@given(_misplaced_logs())
def test_logs_keys_in_odd_places_do_not_move_logs_between_activities(body: bytes):
    PAYLOADS["pathway: logs keys in odd places"] += 1
    decoded = _outcome(lambda b: _seen(pathway.decode_pathway_logs(b)), body)
    assert decoded == _reference(body)


def _refused_or_decoded(body: bytes) -> None:
    with contextlib.suppress(ApiError):
        pathway.decode_pathway_logs(body)
    with contextlib.suppress(ApiError):
        build_pathway_data(body)


@st.composite
def _wrong_types(draw) -> bytes:
    answer = draw(pathway_answer)
    item = answer["data"][0]
    activities = item["activities"] or [{"logs": [{}]}]
    item["activities"] = activities
    target = draw(st.sampled_from(activities))
    if target.get("logs") and draw(st.booleans()):
        target = draw(st.sampled_from(target["logs"]))
    key = draw(
        st.sampled_from(
            ["logs", "groups", "status", "firstname", "stats", "level", "required", "fulfilment"]
        )
    )
    target[key] = draw(json_value)
    if draw(st.booleans()):
        answer[draw(st.sampled_from(["data", "status", "hash", "response_time"]))] = draw(
            json_value
        )
    return draw(encoded(st.just(answer)))


@fuzz()
@given(
    st.one_of(
        _wrong_types(),
        garbled(encoded(pathway_answer)),
        encoded(json_value),
        st.binary(max_size=200),
        st.builds(lambda n: b'{"data":[{"activities":[' * n, st.integers(1, 5000)),
    )
)
def test_hostile_answers_are_decoded_or_refused_with_the_apps_error(body: bytes):
    PAYLOADS["pathway: hostile answers"] += 1
    _refused_or_decoded(body)


@pytest.fixture(scope="module")
def fold_helper():
    helper = FoldHelper(smallest=0)  # shares every answer, however small
    helper.start()
    yield helper
    helper.close()


def _folded(body: bytes, share=None) -> object:
    """The prepared data, comparably, or the error that refused the answer."""
    try:
        data = build_pathway_data(body, share=share)
    except ApiError as exc:
        return type(exc).__name__, str(exc)
    return repr(
        (
            data.users,
            data.user_search,
            data.choices,
            [
                [list(getattr(a, n)) if n == "fulfilment" else getattr(a, n) for n in a.__slots__]
                for a in data.activities
            ],
        )
    )


@fuzz()
@given(st.one_of(encoded(pathway_answer), _wrong_types(), _misplaced_logs()))
def test_answers_folded_with_the_helper_are_those_folded_alone(fold_helper, body: bytes):
    PAYLOADS["pathway: helper vs alone"] += 1
    # An answer the quick path gives up on stops the helper mid-share; the next starts one.
    assert _folded(body, fold_helper.share) == _folded(body)


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"data": [{"activities": [{"name": "x" * 5_000_000, "logs": []}]}]}).encode(),
        json.dumps(
            {"data": [{"activities": [{"logs": [{"firstname": "é" * 1_000_000}]}]}]}
        ).encode(),
        b'{"data":[{"activities":[{"logs":' + b"[" * 100_000 + b"]" * 100_000 + b"}]}]}",
        b'{"data":[{"activities":[{"logs":[{"fulfilment":' + b'{"a":' * 50_000 + b"1",
    ],
    ids=["huge-name", "huge-unicode", "deep-logs", "deep-fulfilment"],
)
def test_huge_and_deep_answers_are_decoded_or_refused(body: bytes):
    PAYLOADS["pathway: huge and deep answers"] += 1
    _refused_or_decoded(body)


@fuzz()
@given(st.one_of(encoded(fulfilment), st.binary(max_size=60)))
def test_fulfilment_parse_and_summary_never_fail(raw: bytes):
    PAYLOADS["pathway: fulfilments"] += 1
    info = Fulfilment.parse(msgspec.Raw(raw))
    if info is not None:
        assert isinstance(info.summary(), str)


@fuzz(50)
@given(encoded(activity))
def test_one_activity_alone_is_refused_cleanly(body: bytes):
    PAYLOADS["pathway: wrong envelope"] += 1
    with pytest.raises(ApiError):
        pathway.decode_pathway_logs(body)
