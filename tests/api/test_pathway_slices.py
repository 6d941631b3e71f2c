"""Sliced decoding gives exactly what a one-pass decode gives, whatever the layout."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import msgspec
import pytest

from viewer.api import pathway_slices
from viewer.api.pathway import (
    _read_sliced,
    decode_pathway_logs,
    last_array_limit,
    read_pathway_logs,
)
from viewer.api.pathway_types import decode_envelope

SEED = json.loads((Path(__file__).parent / "data" / "seed_pathway_response.json").read_bytes())


def _plain(body: bytes):
    """A one-pass decode, independent of the slicing code."""
    envelope = decode_envelope(body)
    return [
        (
            raw.name,
            [msgspec.to_builtins(log, builtin_types=(msgspec.Raw,)) for log in raw.decode().logs],
        )
        for raw in envelope.data[0].activities
    ]


def _as_seen(result):
    return [
        (a.name, [msgspec.to_builtins(log, builtin_types=(msgspec.Raw,)) for log in a.logs])
        for a in result.activities
    ]


def _variants():
    compact = json.dumps(SEED, separators=(",", ":")).encode()
    pretty = json.dumps(SEED, indent=4).encode()
    logs_first = json.loads(json.dumps(SEED))
    for activity in logs_first["data"][0]["activities"]:
        activity_logs = activity.pop("logs")
        rest = dict(activity)
        activity.clear()
        activity["logs"] = activity_logs
        activity.update(rest)
        activity["tags"] = ["a]", "b"]  # a bracket in the next header
    tricky_strings = json.loads(json.dumps(SEED))
    log = tricky_strings["data"][0]["activities"][0]["logs"][0]
    log["firstname"] = 'say "logs": [ ] ]]'
    log['odd "logs'] = "key with an escaped quote"
    reordered = json.loads(json.dumps(SEED))
    reordered = {
        "hash": reordered["hash"],
        "data": [
            {
                "activities": reordered["data"][0]["activities"],
                "pathway": reordered["data"][0]["pathway"],
            }
        ],
        "status": "success",
    }
    id_in_payload = json.loads(json.dumps(SEED))
    id_in_payload["data"][0]["activities"][1]["logs"][0]["fulfilment"] = {
        "type": "x",
        "items": [{"ID": 1}, {"ID": 2}],
    }
    pattern_in_names = json.loads(json.dumps(SEED))
    pattern_in_names["data"][0]["activities"][1]["name"] = 'x",{"ID":"y'
    pattern_in_names["data"][0]["pathway"]["name"] = '"activities":[{"ID":"z"}], "logs": ['
    return {
        "keys reordered": json.dumps(reordered).encode(),
        "id inside a payload": json.dumps(id_in_payload).encode(),
        "patterns inside names": json.dumps(pattern_in_names).encode(),
        "compact": compact,
        "pretty": pretty,
        "logs first": json.dumps(logs_first).encode(),
        "tricky strings": json.dumps(tricky_strings).encode(),
    }


@pytest.mark.parametrize("name", list(_variants()))
def test_sliced_decoding_matches_a_one_pass_decode(name):
    body = _variants()[name]
    result = decode_pathway_logs(bytearray(body))
    assert _as_seen(result) == _plain(body)


def test_usual_layout_takes_the_sliced_path():
    body = json.dumps(SEED).encode()
    assert _read_sliced(body, lambda i, logs: None, None, None) is not None


def test_nested_logs_key_in_a_payload_falls_back_and_still_decodes():
    doc = json.loads(json.dumps(SEED))
    doc["data"][0]["activities"][0]["logs"][0]["fulfilment"]["upload"] = {"logs": [1, 2]}
    body = json.dumps(doc).encode()
    assert _read_sliced(body, lambda i, logs: None, None, None) is None
    result = decode_pathway_logs(body)
    info = result.activities[0].logs[0].fulfilment_info()
    assert info.payload["upload"] == {"logs": [1, 2]}
    assert _as_seen(result) == _plain(body)


def test_logs_that_are_not_an_array_fall_back_to_a_clear_error():
    doc = json.loads(json.dumps(SEED))
    doc["data"][0]["activities"][0]["logs"] = {"oops": True}
    assert pathway_slices.array_starts(json.dumps(doc).encode()) is None


def test_blank_bodies():
    assert pathway_slices.is_blank(b"")
    assert pathway_slices.is_blank(bytearray(b" \n\t"))
    assert not pathway_slices.is_blank(b" {}")


def test_read_hands_each_activitys_logs_to_the_sink_in_order_and_keeps_none():
    body = json.dumps(SEED).encode()
    received = []
    head = read_pathway_logs(body, lambda index, logs: received.append((index, len(logs))))
    assert received == [(0, 1), (1, 1)]
    assert [a.name for a in head.activities] == ["Data Tracking", "Story A"]
    assert all(bytes(a.logs) == b"[]" for a in head.activities)
    assert head.hash == "bcce5ca8f5ea870a16f43c411136be31"


def test_a_quick_path_that_gives_up_half_way_hands_on_every_index_again():
    doc = json.loads(json.dumps(SEED))
    doc["data"][0]["activities"][1]["logs"][0]["fulfilment"]["upload"] = {"logs": []}
    calls = []
    head = read_pathway_logs(
        json.dumps(doc).encode(), lambda index, logs: calls.append((index, len(logs)))
    )
    assert calls == [(0, 1), (0, 1), (1, 1)]  # the quick path read 0, then started over
    assert len(head.activities) == 2


def test_what_each_activity_leaves_goes_on_to_the_oldest_generation_at_once():
    # Left in the middle generation, every activity's columns would be walked again by
    # its first collection after the answer: a long pause for a large one.
    body = json.dumps(SEED).encode()
    kept: list[list[object]] = []
    read_pathway_logs(body, lambda index, logs: kept.append(logs))
    oldest = {id(thing) for thing in gc.get_objects(generation=2)}
    assert len(kept) == 2 and all(id(logs) in oldest for logs in kept)


class _Counting:
    """A logs decoder that records the size of each array it is asked to decode."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def decode(self, buf):
        self.sizes.append(len(buf))
        return msgspec.json.decode(buf)


def test_the_last_activitys_logs_are_decoded_once_not_against_every_later_bracket():
    body = json.dumps(SEED).encode()  # the answer ends "]}]}]...}": three "]" past its logs
    decoder = _Counting()
    read_pathway_logs(body, lambda index, logs: None, decoder=decoder)
    assert len(decoder.sizes) == 2  # one decode an activity, and the right span each time
    starts = pathway_slices.array_starts(body)
    assert starts is not None
    assert pathway_slices.decode_array(body, starts[-1], len(body), msgspec.json) is not None
    limit = last_array_limit(body, starts)
    assert limit < len(body) and body[limit - 1 : limit] == b"]"
    assert decoder.sizes[-1] == limit - starts[-1]


@pytest.mark.parametrize("after", [[[1], [2]], json.loads("[" * 12 + "1" + "]" * 12)])
def test_arrays_after_the_last_logs_still_leave_its_end_found(after):
    doc = json.loads(json.dumps(SEED))
    doc["data"][0]["activities"][-1]["after"] = after  # more "]" past the last logs
    body = json.dumps(doc).encode()
    starts = pathway_slices.array_starts(body)
    assert starts is not None
    limit = last_array_limit(body, starts)
    end = starts[-1] + len(json.dumps(doc["data"][0]["activities"][-1]["logs"]))
    assert end <= limit  # the end is found trying each "]" before, as it always was
    assert _as_seen(decode_pathway_logs(body)) == _plain(body)


@pytest.mark.parametrize("size", [1, 40, 200, 10_000])
def test_array_pieces_decode_to_the_whole_array(size):
    logs = [{"n": i, "s": "},{" * (i % 3), "in": [{"a": 1}, {"b": 2}]} for i in range(300)]
    raw = json.dumps(logs, indent=1).encode()
    pieces = list(pathway_slices.array_pieces(raw, size))
    decoded = []
    try:
        for piece in pieces:
            decoded += msgspec.json.decode(piece)
    except msgspec.DecodeError:
        decoded = msgspec.json.decode(raw)  # a cut in the wrong place: what callers do
    assert decoded == logs
    assert (len(pieces) == 1) == (len(raw) <= 2 * size)


def test_a_piece_cut_inside_a_string_does_not_decode():
    logs = [{"s": "x" * 50 + '"},{"' + "y" * 50}, {"s": "z"}]
    raw = json.dumps(logs).encode()
    first = next(iter(pathway_slices.array_pieces(raw, 20)))
    with pytest.raises(msgspec.DecodeError):
        msgspec.json.decode(first)


def test_arrays_found_by_the_caller_are_not_looked_for_again(monkeypatch):
    body = json.dumps(SEED).encode()
    starts = pathway_slices.array_starts(body)
    assert starts is not None
    expected = _plain(body)

    def scan(*_args, **_kwargs):
        raise AssertionError("the answer was scanned again")

    monkeypatch.setattr(pathway_slices, "array_starts", scan)
    received = []
    head = read_pathway_logs(body, lambda i, logs: received.append((i, logs)), starts=starts)
    assert head.spans is not None and [start for start, _ in head.spans] == starts
    assert [i for i, _ in received] == [0, 1]
    assert [
        (a.name, [msgspec.to_builtins(log, builtin_types=(msgspec.Raw,)) for log in logs])
        for a, (_, logs) in zip(head.activities, received, strict=True)
    ] == expected


def test_arrays_wrongly_found_by_the_caller_give_what_a_plain_decode_gives():
    body = json.dumps(SEED).encode()
    starts = pathway_slices.array_starts(body)
    assert starts is not None
    for wrong in ([starts[0] + 1, starts[1]], starts[:1], [starts[1], starts[0]]):
        received: dict[int, object] = {}
        head = read_pathway_logs(body, received.__setitem__, starts=wrong)
        assert head.spans is None  # the quick path gave up
        assert [
            (
                a.name,
                [msgspec.to_builtins(log, builtin_types=(msgspec.Raw,)) for log in received[i]],
            )
            for i, a in enumerate(head.activities)
        ] == _plain(body)
