"""What the inbox remembers between runs: filters, splitter, column widths, refresh period,
and how many activities the list may load."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter

from viewer.inbox.paging import DEFAULT_MAX_ACTIVITIES
from viewer.inbox.ui.filters import InboxFilters

PREFIX = "inbox/"
#: How often counts and new activities are checked, unless the settings say otherwise.
DEFAULT_REFRESH_SECONDS = 60
_MIN_REFRESH_SECONDS = 5


def refresh_seconds(settings: QSettings) -> int:
    try:
        seconds = int(settings.value(PREFIX + "refreshSeconds", DEFAULT_REFRESH_SECONDS))
    except (TypeError, ValueError):
        seconds = DEFAULT_REFRESH_SECONDS
    return max(_MIN_REFRESH_SECONDS, seconds)


def max_activities(settings: QSettings) -> int:
    """The most activities the list loads: a bound on what a looping server can cost."""
    try:
        limit = int(str(settings.value(PREFIX + "maxActivities", DEFAULT_MAX_ACTIVITIES)))
    except (TypeError, ValueError):
        limit = DEFAULT_MAX_ACTIVITIES
    return max(1, limit)


def restore_inbox(
    settings: QSettings, filters: InboxFilters, splitter: QSplitter, header: QHeaderView
) -> None:
    value = settings.value
    filters.restore(
        str(value(PREFIX + "type", "") or "") or None,
        str(value(PREFIX + "subtype", "") or "") or None,
        str(value(PREFIX + "reference", "") or ""),
        value(PREFIX + "unreadOnly", False, type=bool),
    )
    for key, widget in (("splitter", splitter), ("header", header)):
        state = value(PREFIX + key)
        if state is not None:
            widget.restoreState(state)


def save_inbox(
    settings: QSettings, filters: InboxFilters, splitter: QSplitter, header: QHeaderView
) -> None:
    query = filters.query()
    settings.setValue(PREFIX + "type", query.type or "")
    settings.setValue(PREFIX + "subtype", query.subtype or "")
    settings.setValue(PREFIX + "reference", query.reference_uuid or "")
    settings.setValue(PREFIX + "unreadOnly", filters.unread_only())
    settings.setValue(PREFIX + "splitter", splitter.saveState())
    settings.setValue(PREFIX + "header", header.saveState())
