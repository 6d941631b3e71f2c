"""Numbers, words and times as people read them, the same in every view and export.

Timestamps from either API are ISO-8601 text; a time without a zone is taken as UTC.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any


def parse_time(text: str | None) -> datetime | None:
    """An aware datetime from an ISO-8601 string; naive times are taken as UTC."""
    if not text or not isinstance(text, str):
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


def relative_time(when: datetime | None, now: datetime | None = None) -> str:
    """A short description of ``when`` relative to ``now``, in the local calendar."""
    if when is None:
        return ""
    now = now or datetime.now(UTC)
    delta = now - when
    local = when.astimezone()
    today = now.astimezone().date()
    if delta < timedelta(seconds=-60):
        # A clock ahead of ours: say when, not how long ago.
        return _date_text(local, today)
    if delta < timedelta(minutes=1):
        return "just now"
    if delta < timedelta(hours=1):
        return f"{int(delta.total_seconds() // 60)} min ago"
    days = (today - local.date()).days
    if days <= 0:
        hours = int(delta.total_seconds() // 3600)
        return f"{hours} h ago"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return _date_text(local, today)


def _date_text(local: datetime, today: date) -> str:
    if local.year == today.year:
        return f"{local.day} {local.strftime('%b')}"
    return f"{local.day} {local.strftime('%b')} {local.year}"


def date_time(when: datetime | None, now: datetime | None = None) -> str:
    """The local date and time of day, short: ``Today 14:05``, ``Yesterday 09:12``,
    ``28 Feb 14:05``, ``28 Feb 2024 14:05`` (a list column where the hour matters)."""
    if when is None:
        return ""
    local = when.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    clock = local.strftime("%H:%M")
    days = (today - local.date()).days
    if days == 0:
        return f"Today {clock}"
    if days == 1:
        return f"Yesterday {clock}"
    return f"{_date_text(local, today)} {clock}"


def plural(number: int, singular: str, plural: str | None = None) -> str:
    """``1 activity``, ``2,634 activities``: the number and the word that agrees with it.

    Without ``plural`` the English rules for regular nouns make it: ``activity`` →
    ``activities``, ``match`` → ``matches``, ``user`` → ``users``.
    """
    if number == 1:
        return f"1 {singular}"
    return f"{number:,} {plural or _plural_of(singular)}"


def _plural_of(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u", ""):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


#: The most characters of one server value a list, tree or tooltip lays out. Qt lays out a
#: whole string to draw even its start: one 100 MB name cost gigabytes and minutes.
SHOWN_CHARS = 300


def elided(value: Any, limit: int = SHOWN_CHARS) -> Any:
    """A string longer than ``limit`` cut short with "…"; any other value as it is.

    Safe for escaped rich text (tooltips): it never ends inside an entity or a tag.
    """
    if not isinstance(value, str) or len(value) <= limit:
        return value
    cut = limit - 1
    for opener, closer in (("&", ";"), ("<", ">")):
        start = value.rfind(opener, max(0, cut - 12), cut)
        if start != -1 and value.find(closer, start, cut) == -1:
            cut = start
    return value[:cut] + "…"


def exact_time(when: datetime | None) -> str:
    """The full local date and time with its zone, for tooltips and the details pane."""
    if when is None:
        return ""
    local = when.astimezone()
    return local.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


@lru_cache(maxsize=8192)
def local_time(text: str | None) -> str:
    """An ISO timestamp shown in this computer's time zone; odd text is shown as it came."""
    moment = parse_time(text)
    if moment is None:
        return text or ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def time_key(text: str | None) -> float:
    """A sort key for a timestamp: seconds since the epoch, missing ones first."""
    moment = parse_time(text)
    if moment is None:
        return -math.inf
    try:
        return moment.timestamp()
    except (OverflowError, OSError, ValueError):
        return -math.inf


def percent(value: float) -> str:
    """A share of 0 to 100 as a whole percentage, ``57%``; empty for NaN.

    Never says 0% of something begun or 100% of something unfinished: those are ``<1%`` and
    ``99%``, so a glance at the number tells done from nearly done.
    """
    if value != value:  # NaN
        return ""
    if 0 < value < 0.5:
        return "<1%"
    if 99.5 <= value < 100:
        return "99%"
    return f"{round(value)}%"


def fraction(done: int, total: int) -> str:
    """``2,634 / 6,000``: how many of how many."""
    return f"{done:,} / {total:,}"


def joined(values: Iterable[str]) -> str:
    """Names as a person writes them: ``Sales, Support``."""
    return ", ".join(value for value in values if value)
