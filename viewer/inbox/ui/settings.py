"""What the inbox remembers between runs: filters, splitter, column widths, refresh period,
how many activities the list may load, and two habits: marking read when selected, and
desktop notifications of new activities. The search is not remembered: each run starts
with a fresh one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QSplitter

from viewer.inbox.paging import DEFAULT_MAX_ACTIVITIES

if TYPE_CHECKING:  # the window reads its options before the inbox tab is built
    from viewer.inbox.ui.filters import InboxFilters

PREFIX = "inbox/"
#: How often counts and new activities are checked, unless the settings say otherwise.
DEFAULT_REFRESH_SECONDS = 60
_MIN_REFRESH_SECONDS = 5
#: Selecting an activity (j and k, arrows, a click) marks it read, as mail clients do.
MARK_READ_ON_SELECT = PREFIX + "markReadOnSelect"
#: A desktop notification when new activities arrive while the window is not active.
NOTIFY_NEW = PREFIX + "notifyNew"
_OPTIONS = (
    (MARK_READ_ON_SELECT, "Mark read when &selected", False, "markReadOnSelectAction"),
    (NOTIFY_NEW, "&Notify of new activities", True, "notifyNewAction"),
)


def mark_read_on_select(settings: QSettings) -> bool:
    return bool(settings.value(MARK_READ_ON_SELECT, False, type=bool))


def notify_new(settings: QSettings) -> bool:
    return bool(settings.value(NOTIFY_NEW, True, type=bool))


def option_actions(settings: QSettings, parent: QObject) -> list[QAction]:
    """Checkable actions for the inbox's habits, each kept in ``settings`` when toggled."""
    actions = []
    for key, text, default, name in _OPTIONS:
        action = QAction(text, parent)
        action.setObjectName(name)
        action.setCheckable(True)
        action.setChecked(bool(settings.value(key, default, type=bool)))
        action.toggled.connect(lambda on, key=key: settings.setValue(key, on))
        actions.append(action)
    return actions


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
) -> bool:
    """Restore what was saved; whether the splitter had sizes saved (else the tab picks)."""
    value = settings.value
    filters.restore(
        str(value(PREFIX + "type", "") or "") or None,
        str(value(PREFIX + "subtype", "") or "") or None,
        str(value(PREFIX + "reference", "") or ""),
        value(PREFIX + "unreadOnly", False, type=bool),
    )
    state = value(PREFIX + "header")
    if state is not None:
        header.restoreState(state)
    state = value(PREFIX + "splitter")
    return state is not None and splitter.restoreState(state)


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
