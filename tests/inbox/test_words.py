"""The inbox's words and numbers: names in words, counts that say "unread", real plurals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from viewer.api.activity_types import TypeUnread, UnreadCount
from viewer.formats import date_time, plural
from viewer.inbox.counts import count_split, gap_note, with_unread
from viewer.inbox.paging import EndReason, WalkEnd
from viewer.inbox.rows import humanize
from viewer.inbox.status import ListState, empty_text, status_text


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("two_factor_enabled", "Two factor enabled"),
        ("security", "Security"),
        ("newDevice", "New device"),
        ("API_key_added", "API key added"),
        ("HTTPError", "HTTP error"),
        ("sign-in", "Sign-in"),
        ("Already words", "Already words"),
        ("3f2a1c4e-1111-2222-3333-444455556666", "3f2a1c4e-1111-2222-3333-444455556666"),
        ("deadbeef", "deadbeef"),
        ("", ""),
        (None, ""),
    ],
)
def test_humanize_turns_names_into_words_and_leaves_ids_alone(name, words):
    assert humanize(name) == words


def test_plurals_and_thousands_separators():
    assert plural(1, "activity") == "1 activity"
    assert plural(2, "activity") == "2 activities"
    assert plural(2634, "activity") == "2,634 activities"
    assert plural(0, "match", "matches") == "0 matches"
    assert plural(3, "page") == "3 pages"


def test_the_when_column_has_the_time_of_day_as_well_as_the_date():
    now = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
    local = now.astimezone()
    for when in (now - timedelta(minutes=5), now - timedelta(days=1), now - timedelta(days=40)):
        text = date_time(when, now)
        assert text.endswith(when.astimezone().strftime("%H:%M"))
    assert date_time(now - timedelta(minutes=5), now).startswith("Today")
    assert date_time(now - timedelta(days=1), now).startswith("Yesterday")
    older = now - timedelta(days=40)
    assert date_time(older, now).startswith(f"{older.astimezone().day} ")
    assert str(local.year - 1) in date_time(now - timedelta(days=400), now)
    assert date_time(None, now) == ""


def test_counts_say_unread_and_zero_keeps_its_bracket():
    assert with_unread("All types", 2634) == "All types (2,634 unread)"
    assert with_unread("Login", 0) == "Login (0 unread)"
    assert with_unread("Login", None) == "Login"  # not known yet
    assert count_split("All types (398 unread)") == ("All types", " (398 unread)")
    assert count_split("Plain") == ("Plain", "")


def test_a_note_says_when_entries_without_a_subtype_make_the_sums_differ():
    counts = UnreadCount(
        unread=27,
        types={
            "security": TypeUnread(total=20, subtypes={"login": 10, "new_device": 5}),
            "payment": TypeUnread(total=7, subtypes={"payment_sent": 7}),
        },
    )
    assert gap_note(counts, "security", "Security") == (
        "5 unread Security activities have no subtype, so the subtypes add up to 15 of 20."
    )
    assert gap_note(counts, "payment", "Payment") == ""
    assert gap_note(counts, None) == ""  # the types add up to the whole
    one_short = UnreadCount(unread=28, types=counts.types)
    assert gap_note(one_short, None) == (
        "1 unread activity has no type, so the types add up to 27 of 28."
    )
    assert gap_note(None, "security") == ""


def test_status_lines_count_in_words():
    assert status_text(ListState(shown=100, loaded=100, total=2634)) == "100 of 2,634 activities"
    assert status_text(ListState(shown=1, loaded=1, total=None)) == "1 activity"
    assert (
        status_text(ListState(shown=3, loaded=1200, total=2634, unread_only=True))
        == "3 unread shown · 1,200 of 2,634 loaded"
    )
    assert (
        status_text(ListState(shown=1, loaded=100, total=None, search="login"))
        == "1 match · 100 loaded"
    )
    title, text = empty_text(ListState(shown=0, loaded=100, total=400, search="zz", more=True))
    assert title == "No activity matches “zz”"
    assert "100 loaded activities" in text and "Look further" in text
    _title, text = empty_text(ListState(shown=0, loaded=400, total=400, search="zz"))
    assert "Look further" not in text


def test_the_end_of_a_walk_counts_in_words():
    assert WalkEnd(EndReason.LIMIT, 3, 2500).message.startswith("Stopped at 2,500 activities")
    assert WalkEnd(EndReason.REPEATING, 1, 5).message.endswith("stopped after 1 page.")
