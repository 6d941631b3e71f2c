"""Decoding activity-log answers: the seed's samples and the variants servers send."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from viewer.api.activity_types import (
    ActivityPage,
    PageMeta,
    TypesResponse,
    parse_unread_count,
)

DATA = Path(__file__).parent / "data"


def test_seed_samples_decode():
    page = msgspec.json.decode(
        (DATA / "seed_activities_response.json").read_bytes(), type=ActivityPage
    )
    assert page.meta.total == 107 and page.meta.per_page == 50
    activity = page.data[0]
    assert activity.is_read is False and activity.is_push_sent is True
    types = msgspec.json.decode(
        (DATA / "seed_types_response.json").read_bytes(), type=TypesResponse
    )
    assert types.data[0].subtypes[0].key == "..."
    counts = parse_unread_count(
        msgspec.json.decode((DATA / "seed_unread_count_response.json").read_bytes())
    )
    assert counts.unread == 20 and counts.for_type("...") == 20
    assert counts.for_subtype("...", "...") == 15


@pytest.mark.parametrize(
    ("meta_data", "expected"),
    [
        ('{"device": "Pixel", "n": 2}', ({"device": "Pixel", "n": 2}, True)),
        (None, (None, True)),
        ("not json {", ("not json {", False)),
        ({"already": "an object"}, ({"already": "an object"}, True)),
    ],
)
def test_meta_data_is_json_when_it_can_be_and_raw_otherwise(meta_data, expected):
    raw = msgspec.json.encode({"data": [{"uuid": "u", "meta_data": meta_data}]})
    activity = msgspec.json.decode(raw, type=ActivityPage).data[0]
    assert activity.meta() == expected


def test_activity_with_only_a_uuid_and_unknown_fields_decodes():
    raw = b'{"data": [{"uuid": "u1", "colour": "red", "is_read": null}], "meta": {"page": 1}}'
    page = msgspec.json.decode(raw, type=ActivityPage)
    assert page.data[0].uuid == "u1" and page.data[0].is_read is None
    assert page.meta.total is None


@pytest.mark.parametrize(
    ("value", "unread", "per_type", "per_subtype"),
    [
        ({"unread": 20, "types": {"t": {"total": 20, "subtypes": {"s": 15}}}}, 20, 20, 15),
        ({"data": {"unread": 3, "types": {"t": {"total": 3, "subtypes": {"s": 1}}}}}, 3, 3, 1),
        ({"unread": 4, "types": {"t": 4}}, 4, 4, 0),
        ({"types": {"t": {"subtypes": {"s": 2, "x": 3}}}}, 5, 5, 2),
        ({"unread": "7", "types": {"t": {"total": "7"}}}, 7, 7, 0),
        (
            {
                "unread": 2,
                "types": [{"name": "t", "total": 2, "subtypes": [{"name": "s", "count": 2}]}],
            },
            2,
            2,
            2,
        ),
        ({"total": 9}, 9, 0, 0),
        (11, 11, 0, 0),
    ],
)
def test_unread_count_shapes(value, unread, per_type, per_subtype):
    counts = parse_unread_count(value)
    assert counts is not None
    assert counts.unread == unread
    assert counts.for_type("t") == per_type
    assert counts.for_subtype("t", "s") == per_subtype


@pytest.mark.parametrize("value", [None, "x", [], {"foo": 1}, True])
def test_unrecognisable_unread_count_is_none(value):
    assert parse_unread_count(value) is None


@pytest.mark.parametrize(
    ("value", "unread", "per_type", "per_subtype"),
    [
        ({"unread": -5, "types": {"t": {"total": -5, "subtypes": {"s": -2}}}}, 0, 0, 0),
        ({"unread": -1, "types": {"t": {"total": 3, "subtypes": {"s": -2, "x": 3}}}}, 3, 3, 0),
        ({"types": {"t": -4.0, "u": 2}}, 2, 0, 0),
        (
            {"unread": 4, "types": [{"name": "t", "subtypes": [{"name": "s", "count": -9}]}]},
            4,
            0,
            0,
        ),
    ],
)
def test_negative_unread_counts_are_not_counts(value, unread, per_type, per_subtype):
    counts = parse_unread_count(value)
    assert counts is not None
    assert (counts.unread, counts.for_type("t"), counts.for_subtype("t", "s")) == (
        unread,
        per_type,
        per_subtype,
    )


@pytest.mark.parametrize("value", [-5, -5.0, {"unread": -5}, {"total": -1}])
def test_a_negative_unread_count_alone_is_unrecognisable(value):
    assert parse_unread_count(value) is None


def test_negative_paging_numbers_are_unknown():
    raw = b'{"data": [], "meta": {"page": -1, "per_page": -50, "total": -7}}'
    assert msgspec.json.decode(raw, type=ActivityPage).meta == PageMeta(None, None, None)
    raw = b'{"data": [], "meta": {"page": 2, "per_page": 0, "total": 0}}'
    assert msgspec.json.decode(raw, type=ActivityPage).meta == PageMeta(2, 0, 0)
