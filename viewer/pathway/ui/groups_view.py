"""The Groups view: per group and activity, how many users completed, are on it, or not.

One row per group x activity and a total per group over the required activities (see
``viewer.pathway.groups`` for how people count). A click on a count lists the users
behind it in a small window, with their addresses to copy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from viewer.export.scopes import GROUPS
from viewer.formats import elided, percent
from viewer.pathway.data import COMPLETED, IN_PROGRESS, NOT_STARTED, STATE_LABELS, PathwayData
from viewer.pathway.groups import ALL_REQUIRED_ID, GroupRow, group_rows, users_behind
from viewer.pathway.ui.computed_view import ComputedView
from viewer.pathway.ui.delegates import ProgressDelegate
from viewer.pathway.ui.style import (
    ALIGN_RIGHT,
    ALIGNMENT,
    BAR_COLOR_ROLE,
    DISPLAY,
    FONT,
    PROGRESS_ROLE,
    TOOLTIP,
    state_bar_color,
    tooltip,
)
from viewer.pathway.ui.users_list import UsersWindow
from viewer.tasks import TaskRunner
from viewer.widgets.table_model import AnyIndex, RowTableModel
from viewer.widgets.transient import open_transient

GROUPS_SCOPE = GROUPS
HEADERS = ("Group", "Activity", "Users", "Completed", "In progress", "Not started", "Done")
GROUP, ACTIVITY, USERS, DONE, STARTED, WAITING, SHARE = range(7)
#: Which state each count column lists (``None``: everyone of the group).
COLUMN_STATE: dict[int, int | None] = {
    USERS: None,
    DONE: COMPLETED,
    STARTED: IN_PROGRESS,
    WAITING: NOT_STARTED,
}
_ATTRIBUTES = {
    USERS: "users",
    DONE: "completed",
    STARTED: "in_progress",
    WAITING: "not_started",
    SHARE: "percent_completed",
}


_SAMPLES = (
    "Group A, Sales",
    "Digital Tools Survey",
    "Users",
    "Completed",
    "In progress",
    "Not started",
    "100.0% 000",  # Done: a bar wider than its number
)


class GroupsModel(RowTableModel[GroupRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(HEADERS, parent)
        self._bold = QFont()
        self._bold.setBold(True)

    def headerData(self, section: int, orientation: Any, role: int = DISPLAY) -> Any:
        if role == TOOLTIP and section == SHARE:
            return "Share of the group's users who completed the activity"
        if role == TOOLTIP and section in COLUMN_STATE:
            return "Click a count to list the users behind it"
        return super().headerData(section, orientation, role)

    def cell(self, item: GroupRow, column: int, role: int) -> Any:
        if role == DISPLAY:
            if column == GROUP:
                return elided(item.group)
            if column == ACTIVITY:
                return elided(item.activity_name)
            if column == SHARE:
                return percent(round(item.percent_completed, 1))
            return f"{getattr(item, _ATTRIBUTES[column]):,}"
        if role == ALIGNMENT and column >= USERS:
            return ALIGN_RIGHT
        if role == FONT and item.activity_id == ALL_REQUIRED_ID:
            return self._bold
        if column == SHARE and role == PROGRESS_ROLE:
            return item.percent_completed / 100
        if column == SHARE and role == BAR_COLOR_ROLE:
            return state_bar_color(COMPLETED)
        if role == TOOLTIP:
            state = COLUMN_STATE.get(column, -1)
            if state == -1:
                return elided(tooltip(item.group, item.activity_name))
            what = "users" if state is None else STATE_LABELS[state].lower()
            count = getattr(item, _ATTRIBUTES[column])
            return elided(tooltip(f"{item.group} · {item.activity_name}", f"{count:,} {what}"))
        return None

    def sort_key(self, column: int) -> Callable[[GroupRow], Any]:
        if column == GROUP:
            return lambda row: row.group.casefold()
        if column == ACTIVITY:
            return lambda row: row.activity_name.casefold()
        attribute = _ATTRIBUTES[column]
        return lambda row: getattr(row, attribute)


class GroupsView(ComputedView[GroupRow]):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(
            runner,
            GroupsModel(),
            name="pathwayGroups",
            scope=GROUPS_SCOPE,
            waiting="Counting users by group…",
            parent=parent,
        )
        self.table.setAccessibleName("Completion by group")
        self.model.setParent(self)
        self.users_window: UsersWindow | None = None
        self.table.setItemDelegateForColumn(SHARE, ProgressDelegate(self.table))
        self.set_widths(_SAMPLES, stretch=ACTIVITY)
        self.table.clicked.connect(self.open_cell)
        self.table.activated.connect(self.open_cell)

    def compute(self, data: PathwayData) -> Callable[[], list[GroupRow]]:
        return lambda: group_rows(data)

    def describe(self, rows: list[GroupRow]) -> str:
        groups = len({row.group for row in rows})
        return (
            f"{groups:,} {'group' if groups == 1 else 'groups'}; a user in several groups "
            "counts in each. Click a count to see who is behind it."
        )

    @Slot(QModelIndex)
    def open_cell(self, index: AnyIndex) -> UsersWindow | None:
        """List the users behind the count at ``index`` (nothing for other columns)."""
        data, row = self.data, self.model.row_at(index.row())
        if data is None or row is None or index.column() not in COLUMN_STATE:
            return None
        state = COLUMN_STATE[index.column()]
        title = f"{row.group} · {row.activity_name}"
        if state is not None:
            title = f"{STATE_LABELS[state]}: {title}"
        window = self.users_window
        if window is not None and window.windowTitle() == title:
            return window  # already open (a click may also activate)
        if window is not None:
            window.destroyed.disconnect(self._window_gone)
            window.close()
        uids = users_behind(data, row.group, row.activity_id, state)
        uids.sort(key=data.user_sort_names.__getitem__)
        self.users_window = UsersWindow(title, data, uids, self)
        return open_transient(self.users_window, self._window_gone)

    @Slot()
    def _window_gone(self) -> None:
        self.users_window = None
