"""What each column of the inbox list shows for an activity, and the tooltips.

Plain text only: the Qt model hands these strings to the view as they are. Tooltips are
rich text in Qt, so their text is escaped here, once, for every caller.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from enum import IntEnum
from functools import lru_cache

from viewer.api.activity_types import Activity
from viewer.formats import date_time, exact_time, relative_time

_TOOLTIP_LIMIT = 600


class Column(IntEnum):
    TITLE = 0
    TYPE = 1
    SUBTYPE = 2
    WHEN = 3
    STATE = 4


HEADERS = {
    Column.TITLE: "Title",
    Column.TYPE: "Type",
    Column.SUBTYPE: "Subtype",
    Column.WHEN: "When",
    Column.STATE: "Unread",
}

UNREAD_MARK = "●"


_WORD_BREAK = re.compile(r"[_\s]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_ID_LIKE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-|[0-9a-fA-F-]{8,}$")


@lru_cache(maxsize=4096)
def humanize(name: str | None) -> str:
    """A type or subtype name as words: ``two_factor_enabled`` → "Two factor enabled".

    camelCase is split too and acronyms keep their capitals (``API_key`` → "API key"); a
    name that looks like an id (a UUID, a run of hex digits) is shown as it came.
    """
    if not name:
        return ""
    if _ID_LIKE.search(name):
        return name
    words = [w for w in _WORD_BREAK.split(name.strip()) if w]
    if not words:
        return name
    words = [w if w.isupper() and len(w) > 1 else w.lower() for w in words]
    first = words[0]
    words[0] = first[:1].upper() + first[1:]
    return " ".join(words)


def rich_tooltip(text: str) -> str:
    """Tooltips are rich text in Qt: escape server text and make Qt render it as such."""
    if len(text) > _TOOLTIP_LIMIT:
        text = text[: _TOOLTIP_LIMIT - 1] + "…"
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def display_text(activity: Activity, column: int, subtype_label: str, when: datetime | None) -> str:
    if column == Column.TITLE:
        return activity.title or "(no title)"
    if column == Column.TYPE:
        return humanize(activity.type)
    if column == Column.SUBTYPE:
        return humanize(subtype_label)
    if column == Column.WHEN:
        return date_time(when) or (activity.created_at or "")
    if column == Column.STATE:
        return "" if activity.is_read else UNREAD_MARK
    return ""


def tooltip_text(
    activity: Activity, column: int, when: datetime | None, subtype_label: str = ""
) -> str | None:
    """The tooltip of a cell; types and subtypes show the name the server sent."""
    if column == Column.TYPE:
        return rich_tooltip(activity.type) if activity.type else None
    if column == Column.SUBTYPE:
        if not activity.subtype:
            return rich_tooltip("No subtype")
        raw = subtype_label or activity.subtype
        if raw != activity.subtype:
            raw += f"\nid {activity.subtype}"
        return rich_tooltip(raw)
    if column == Column.TITLE:
        text = activity.title or ""
        if activity.description:
            text += "\n\n" + activity.description
        return rich_tooltip(text) if text else None
    if column == Column.WHEN:
        text = exact_time(when) or activity.created_at or ""
        ago = relative_time(when)
        if ago and text:
            text += f" ({ago})"
        return rich_tooltip(text) if text else None
    if column == Column.STATE:
        return rich_tooltip("Read" if activity.is_read else "Unread")
    return None
