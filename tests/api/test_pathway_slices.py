"""Sliced decoding gives exactly what a one-pass decode gives, whatever the layout."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from viewer.api import pathway_slices
from viewer.api.pathway import _decode_sliced, decode_pathway_logs
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
    return {
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
    assert _decode_sliced(body, None, None) is not None


def test_nested_logs_key_in_a_payload_falls_back_and_still_decodes():
    doc = json.loads(json.dumps(SEED))
    doc["data"][0]["activities"][0]["logs"][0]["fulfilment"]["upload"] = {"logs": [1, 2]}
    body = json.dumps(doc).encode()
    assert _decode_sliced(body, None, None) is None
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
