"""Relative and exact times of activities."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from viewer.formats import exact_time, fraction, joined, parse_time, percent, plural, relative_time

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (timedelta(seconds=20), "just now"),
        (timedelta(minutes=5, seconds=30), "5 min ago"),
        (timedelta(hours=3), "3 h ago"),
        (timedelta(hours=13), "yesterday"),
        (timedelta(days=3), "3 days ago"),
        (timedelta(days=20), "18 Feb"),
        (timedelta(days=400), "4 Feb 2024"),
        (timedelta(minutes=-30), "10 Mar"),
    ],
)
def test_relative_time_reads_like_a_mail_client(ago, expected):
    assert relative_time(NOW - ago, NOW) == expected


def test_parse_time_reads_iso_8601_with_z_and_offsets():
    assert parse_time("2025-02-27T08:15:02.123Z") == datetime(
        2025, 2, 27, 8, 15, 2, 123000, tzinfo=UTC
    )
    assert parse_time("2025-02-27T09:15:02+01:00") == datetime(2025, 2, 27, 8, 15, 2, tzinfo=UTC)
    assert parse_time("2025-02-27T08:15:02") == datetime(2025, 2, 27, 8, 15, 2, tzinfo=UTC)
    assert parse_time("last tuesday") is None
    assert parse_time(None) is None


def test_exact_time_is_local_with_its_zone():
    assert exact_time(datetime(2025, 2, 27, 8, 15, 2, tzinfo=UTC)) == "2025-02-27 08:15:02 UTC"
    assert exact_time(None) == ""


def test_long_text_is_elided_and_everything_else_passes_through():
    from viewer.formats import SHOWN_CHARS, elided

    long = "x" * 10_000_000
    shown = elided(long)
    assert len(shown) == SHOWN_CHARS and shown.endswith("…") and long.startswith(shown[:-1])
    assert elided("short") == "short"
    assert elided("y" * SHOWN_CHARS) == "y" * SHOWN_CHARS
    assert elided(None) is None and elided(5) == 5


def test_elided_rich_text_never_ends_inside_an_entity_or_a_tag():
    from viewer.formats import elided

    escaped = "a" * 295 + "&amp;" + "b" * 100
    assert elided(escaped) == "a" * 295 + "…"
    tagged = "a" * 297 + "<br>" + "b" * 100
    assert elided(tagged) == "a" * 297 + "…"
    whole = "a" * 290 + "&amp;" + "b" * 100
    assert elided(whole).startswith("a" * 290 + "&amp;")


@pytest.mark.parametrize(
    ("number", "singular", "expected"),
    [
        (0, "activity", "0 activities"),
        (1, "activity", "1 activity"),
        (2, "activity", "2 activities"),
        (1, "user", "1 user"),
        (2634, "user", "2,634 users"),
        (3, "day", "3 days"),
        (2, "match", "2 matches"),
        (2, "box", "2 boxes"),
        (-1, "log", "-1 logs"),
    ],
)
def test_plural_agrees_with_the_number(number, singular, expected):
    assert plural(number, singular) == expected


def test_plural_takes_an_irregular_form():
    assert plural(1, "person", "people") == "1 person"
    assert plural(12, "person", "people") == "12 people"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (57.1, "57%"),
        (57.5, "58%"),
        (0, "0%"),
        (0.2, "<1%"),
        (99.7, "99%"),
        (100, "100%"),
        (float("nan"), ""),
    ],
)
def test_percent_is_whole_and_never_rounds_to_done(value, expected):
    assert percent(value) == expected


def test_fraction_and_names_read_as_written():
    assert fraction(2634, 6000) == "2,634 / 6,000"
    assert joined(["Sales", "", "Support"]) == "Sales, Support"
