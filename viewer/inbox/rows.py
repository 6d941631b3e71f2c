"""What each column of the inbox list shows for an activity, and the tooltips.

Plain text only: the Qt model hands these strings to the view as they are. Tooltips are
rich text in Qt, so their text is escaped here, once, for every caller.
"""

from __future__ import annotations

import html
from datetime import datetime
from enum import IntEnum

from viewer.api.activity_types import Activity
from viewer.formats import exact_time, relative_time

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


def rich_tooltip(text: str) -> str:
    """Tooltips are rich text in Qt: escape server text and make Qt render it as such."""
    if len(text) > _TOOLTIP_LIMIT:
        text = text[: _TOOLTIP_LIMIT - 1] + "…"
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def display_text(activity: Activity, column: int, subtype_label: str, when: datetime | None) -> str:
    if column == Column.TITLE:
        return activity.title or "(no title)"
    if column == Column.TYPE:
        return activity.type or ""
    if column == Column.SUBTYPE:
        return subtype_label
    if column == Column.WHEN:
        return relative_time(when) or (activity.created_at or "")
    if column == Column.STATE:
        return "" if activity.is_read else UNREAD_MARK
    return ""


def tooltip_text(activity: Activity, column: int, when: datetime | None) -> str | None:
    if column == Column.TITLE:
        text = activity.title or ""
        if activity.description:
            text += "\n\n" + activity.description
        return rich_tooltip(text) if text else None
    if column == Column.WHEN:
        text = exact_time(when) or activity.created_at or ""
        return rich_tooltip(text) if text else None
    if column == Column.STATE:
        return rich_tooltip("Read" if activity.is_read else "Unread")
    return None
