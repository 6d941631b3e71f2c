"""The by-user matrix: one row per user, one column per activity, each cell the user's state."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from viewer.formats import elided, percent
from viewer.pathway.data import NO_LOG, STATE_LABELS, PathwayData
from viewer.pathway.ui.search_sort import SearchSortMixin
from viewer.pathway.ui.style import (
    ALIGN_CENTER,
    ALIGNMENT,
    BAR_COLOR_ROLE,
    DISPLAY,
    PROGRESS_ROLE,
    STATE_MARKS,
    STATE_ROLE,
    TOOLTIP,
    state_bar_color,
    tooltip,
)
from viewer.widgets.table_model import NO_PARENT, AnyIndex

NAME, EMAIL, GROUPS, SHARE = range(4)
FIXED_COLUMNS = ("Name", "Email", "Groups", "Required done")
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def short_header(activity: int) -> str:
    """An activity column's header: its number (the name is in the header's tooltip)."""
    return str(activity + 1)


#: Persistent rows up to which each is looked up alone after a change (see ``_rows_of``).
_LOOKED_UP = 8


class PathwayMatrixModel(SearchSortMixin, QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._users: Sequence[int] = []  # user numbers in display order

    def _recompute(self) -> None:
        self._users = self._ordered()

    def _persistent_keys(self, old: list[QModelIndex]) -> list[int]:
        return [self._users[index.row()] for index in old]

    def _moved_indexes(self, old: list[QModelIndex], keys: list[int]) -> list[QModelIndex]:
        where = self._rows_of(set(keys))
        new = []
        for index, user in zip(old, keys, strict=True):
            row = where.get(user)
            new.append(QModelIndex() if row is None else self.index(row, index.column()))
        return new

    def _rows_of(self, users: set[int]) -> dict[int, int]:
        """Where each of ``users`` is now, for those still shown.

        Usually the current cell's user alone: found by a C-level ``index`` each, rather
        than a table of every user (10 ms a keystroke at 100,000 users).
        """
        if len(users) > _LOOKED_UP:
            return {user: row for row, user in enumerate(self._users) if user in users}
        where = {}
        for user in users:
            with suppress(ValueError):  # raised for a user no longer shown
                where[user] = self._users.index(user)
        return where

    def _ordered(self) -> Sequence[int]:
        data = self._data
        if data is None:
            return []
        users = self._search.users(len(data.users))
        key = self._sort_key(data)
        if key is None:
            return users
        return sorted(users, key=key.__getitem__, reverse=self._descending)

    def _sort_key(self, data: PathwayData) -> Sequence[Any] | None:
        column = self._sort_column
        if column == NAME:
            return data.user_sort_names
        if column == EMAIL:
            return [(u.email or "").lower() for u in data.users]
        if column == GROUPS:
            return [", ".join(u.groups).lower() for u in data.users]
        if column == SHARE:
            return [-1.0 if s != s else s for s in data.required_share]
        a = column - len(FIXED_COLUMNS)
        if 0 <= a < len(data.activities):
            return data.activities[a].user_states  # NO_LOG (255) sorts after every state
        return None

    # -- what the views ask ---------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._users)

    def columnCount(self, parent: AnyIndex = NO_PARENT) -> int:
        if parent.isValid():
            return 0
        return len(FIXED_COLUMNS) + (len(self._data.activities) if self._data else 0)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section < len(FIXED_COLUMNS):
            if role == DISPLAY and section >= 0:
                return FIXED_COLUMNS[section]
            if role == TOOLTIP:  # the whole title, where a narrow column elides it
                if section == SHARE:
                    return tooltip(
                        FIXED_COLUMNS[section],
                        "Share of the pathway's required activities each user has completed",
                    )
                return tooltip(FIXED_COLUMNS[section]) if section >= 0 else None
            return None
        data = self._data
        a = section - len(FIXED_COLUMNS)
        if data is None or a >= len(data.activities):
            return None
        activity = data.activities[a]
        if role == DISPLAY:
            return short_header(a)
        if role == TOOLTIP:
            required = "required" if activity.required else "optional"
            kind = f"{activity.type} · {required}" if activity.type else required
            return elided(tooltip(f"{a + 1}. {activity.label}", kind))
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        return elided(self._value(index, role))  # never a megabyte for Qt to lay out

    def _value(self, index: AnyIndex, role: int) -> Any:
        data = self._data
        if data is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if row >= len(self._users):
            return None
        uid = self._users[row]
        if column >= len(FIXED_COLUMNS):
            activity = data.activities[column - len(FIXED_COLUMNS)]
            code = activity.user_states[uid]
            if role == DISPLAY:
                return STATE_MARKS[code] if code in STATE_MARKS else STATE_MARKS[NO_LOG]
            if role == STATE_ROLE:
                return code
            if role == ALIGNMENT:
                return ALIGN_CENTER
            if role == TOOLTIP:
                state = "no log" if code == NO_LOG else self._state_text(data, activity, uid)
                return tooltip(data.users[uid].name, f"{activity.label}: {state}")
            return None
        user = data.users[uid]
        if role == DISPLAY:
            if column == NAME:
                return user.name
            if column == EMAIL:
                return user.email or ""
            if column == GROUPS:
                return ", ".join(user.groups)
            share = data.required_share[uid]
            return "—" if share != share else percent(share * 100)
        if column == SHARE:
            share = data.required_share[uid]
            if role == PROGRESS_ROLE:
                return None if share != share else share
            if role == BAR_COLOR_ROLE:
                return state_bar_color(2)
        if role == TOOLTIP and column in (NAME, EMAIL, GROUPS):  # whole when elided
            return tooltip(user.name, user.email, ", ".join(user.groups))
        return None

    @staticmethod
    def _state_text(data: PathwayData, activity: Any, uid: int) -> str:
        row = activity.by_user[uid]
        text = activity.state_text[row] if row >= 0 else None
        return text or STATE_LABELS.get(activity.user_states[uid], "")

    # -- what the tab asks ----------------------------------------------------------------

    def visible_users(self) -> list[int]:
        """The user numbers shown, in display order (a copy a worker may keep)."""
        return list(self._users)

    def user_at(self, row: int) -> int:
        return self._users[row] if 0 <= row < len(self._users) else -1
