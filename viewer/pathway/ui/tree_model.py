"""The pathway tree: the pathway, its activities, and each activity's logs.

Rows are addressed by small integers in ``internalId``: 1 for the pathway row, 2 for an
activity row, ``3 + activity index`` for a log row of that activity (0: the invalid index).
Sorting and the quick search work on lists of row numbers inside the model; an activity's
visible rows are worked out only when a view asks for them (usually the expanded ones).

Qt's tree lays out every row of every expanded activity on each change (one call into
Python a row), so an activity offers its first ``FIRST_LOGS`` logs and more as the view
scrolls to their end (``has_more_logs``, ``show_more_logs``): the work of a search, a sort
or an expand follows what was scrolled through, not the size of the activity.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtGui import QFont

from viewer.formats import elided, fraction, local_time, percent
from viewer.pathway.columns import (
    ACTIVITY_KEYS,
    COLUMNS,
    EMAIL,
    FULFILMENT,
    GROUPS,
    LEVEL,
    NAME,
    PROGRESS,
    REQUIRED,
    RESULT,
    STATE,
    TYPE,
    UPDATED,
    log_order,
    result_texts,
)
from viewer.pathway.data import COMPLETED, OTHER, STATE_LABELS, ActivityData, PathwayData
from viewer.pathway.ui.search_sort import SearchSortMixin
from viewer.pathway.ui.style import (
    ALIGN_CENTER,
    ALIGN_RIGHT,
    ALIGNMENT,
    BAR_COLOR_ROLE,
    DECORATION,
    DISPLAY,
    FONT,
    PROGRESS_ROLE,
    STATE_ROLE,
    TOOLTIP,
    state_bar_color,
    state_icon,
    tooltip,
)
from viewer.widgets.table_model import NO_PARENT, AnyIndex

PATHWAY_ID, ACTIVITY_ID, LOG_BASE = 1, 2, 3
#: Log rows an activity offers at first; each ``show_more_logs`` doubles what it offers.
FIRST_LOGS = 1000
_COLUMNS = len(COLUMNS)
_NEVER_HAS_CHILDREN = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)
_PLAIN = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
#: The roles any cell answers.
_ANSWERED = frozenset(
    (DISPLAY, DECORATION, STATE_ROLE, FONT, TOOLTIP, PROGRESS_ROLE, BAR_COLOR_ROLE, ALIGNMENT)
)


class PathwayTreeModel(SearchSortMixin, QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._acts: list[int] = []  # activity indices in display order
        self._act_row: list[int] = []  # activity index -> row, -1 when hidden
        self._counts: list[int] = []  # activity index -> visible logs
        self._offered: list[int] = []  # activity index -> log rows offered to the views
        self._rows: list[Sequence[int] | None] = []  # activity index -> visible log rows
        self._summaries: dict[int, list[str | None]] = {}
        self._searched: str | None = None  # the search ``_offered`` was counted for
        #: (activity, column, descending) -> every log row in that order
        self._orders: dict[tuple[int, int, bool], Sequence[int] | None] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- loading, searching, sorting ----------------------------------------------------

    def set_pathway_data(self, data: PathwayData | None) -> None:
        self._summaries = {}  # of the logs of the data shown until now
        self._orders = {}
        self._searched = None
        super().set_pathway_data(data)

    def _shown(self, a: int) -> int:
        """Log rows of activity ``a`` the views see now."""
        count = self._counts[a]
        offered = self._offered[a]
        return count if count <= offered else offered

    def has_more_logs(self, parent: AnyIndex) -> bool:
        """Whether the activity at ``parent`` has logs beyond those offered so far."""
        if parent.internalId() != ACTIVITY_ID or parent.column():
            return False
        a = self._acts[parent.row()]
        return self._offered[a] < self._counts[a]

    def show_more_logs(self, parent: AnyIndex) -> None:
        """Offer more logs of the activity at ``parent`` (twice as many as before)."""
        if not self.has_more_logs(parent):
            return
        a = self._acts[parent.row()]
        first = self._offered[a]
        last = min(self._counts[a], 2 * first)
        self.beginInsertRows(parent, first, last - 1)
        self._offered[a] = last
        self.endInsertRows()

    def _recompute(self) -> None:
        data = self._data
        if data is None:
            self._acts, self._act_row, self._counts, self._rows = [], [], [], []
            self._offered = []
            return
        search = self._search
        counts = [search.count(activity) for activity in data.activities]
        if self._searched != search.needle or len(self._offered) != len(counts):
            # New rows: back to the first page (a sort keeps what was scrolled through).
            self._searched = search.needle
            self._offered = [FIRST_LOGS] * len(counts)
        acts = [a for a, count in enumerate(counts) if count or not search.active]
        key = ACTIVITY_KEYS.get(self._sort_column)
        if key is not None:
            acts.sort(key=lambda a: key(data.activities[a]), reverse=self._descending)
        act_row = [-1] * len(data.activities)
        for row, a in enumerate(acts):
            act_row[a] = row
        self._acts, self._act_row, self._counts = acts, act_row, counts
        self._rows = [None] * len(data.activities)

    def _order(self, a: int) -> Sequence[int] | None:
        """Every log row of activity ``a`` in the sort order, kept for the next search."""
        key = (a, self._sort_column, self._descending)
        if key not in self._orders:
            assert self._data is not None
            activity = self._data.activities[a]
            self._orders[key] = log_order(
                self._data, activity, self._sort_column, self._descending, self._all_summaries
            )
        return self._orders[key]

    def _visible_rows(self, a: int) -> Sequence[int]:
        rows = self._rows[a]
        if rows is None:
            assert self._data is not None
            activity = self._data.activities[a]
            rows = self._search.rows(activity, self._order(a))
            self._rows[a] = rows
        return rows

    # -- stable keys for persistent indexes -----------------------------------------------

    def _persistent_keys(self, old: list[QModelIndex]) -> list[tuple[int, int]]:
        return [self._key(index) for index in old]

    def _moved_indexes(
        self, old: list[QModelIndex], keys: list[tuple[int, int]]
    ) -> list[QModelIndex]:
        positions: dict[int, dict[int, int]] = {}
        return [
            self._index_for_key(key, index.column(), positions)
            for index, key in zip(old, keys, strict=True)
        ]

    def _key(self, index: QModelIndex) -> tuple[int, int]:
        kind = index.internalId()
        if kind == PATHWAY_ID:
            return (PATHWAY_ID, 0)
        if kind == ACTIVITY_ID:
            return (ACTIVITY_ID, self._acts[index.row()])
        return (kind, self._visible_rows(kind - LOG_BASE)[index.row()])

    def _index_for_key(
        self, key: tuple[int, int], column: int, positions: dict[int, dict[int, int]]
    ) -> QModelIndex:
        kind, value = key
        if kind == PATHWAY_ID:
            return self.createIndex(0, column, PATHWAY_ID) if self._data else QModelIndex()
        if kind == ACTIVITY_ID:
            row = self._act_row[value]
            return self.createIndex(row, column, ACTIVITY_ID) if row >= 0 else QModelIndex()
        a = kind - LOG_BASE
        if self._act_row[a] < 0:
            return QModelIndex()
        where = positions.get(a)
        if where is None:
            where = positions[a] = {row: i for i, row in enumerate(self._visible_rows(a))}
        position = where.get(value)
        if position is None:
            return QModelIndex()
        offered = self._offered[a]
        while position >= offered:  # a selected log stays within reach
            offered *= 2
        self._offered[a] = offered
        return self.createIndex(position, column, kind)

    # -- what the views ask ---------------------------------------------------------------

    def columnCount(self, parent: AnyIndex = NO_PARENT) -> int:
        return len(COLUMNS)

    def rowCount(self, parent: AnyIndex = NO_PARENT) -> int:
        kind = parent.internalId()  # 0 for the invalid (root) index
        if kind == ACTIVITY_ID:
            return self._shown(self._acts[parent.row()]) if parent.column() == 0 else 0
        if kind == PATHWAY_ID:
            return len(self._acts) if parent.column() == 0 else 0
        if kind == 0 and not parent.isValid():
            return 1 if self._data is not None else 0
        return 0

    def hasChildren(self, parent: AnyIndex = NO_PARENT) -> bool:
        return self.rowCount(parent) > 0

    def index(self, row: int, column: int, parent: AnyIndex = NO_PARENT) -> QModelIndex:
        # Views ask this for every log row of an expanded activity: the common case first.
        kind = parent.internalId()
        if kind == ACTIVITY_ID:
            a = self._acts[parent.row()]
            if 0 <= row < self._shown(a) and 0 <= column < _COLUMNS and not parent.column():
                return self.createIndex(row, column, LOG_BASE + a)
            return QModelIndex()
        if row < 0 or not 0 <= column < _COLUMNS:
            return QModelIndex()
        if kind == PATHWAY_ID:
            if row < len(self._acts) and not parent.column():
                return self.createIndex(row, column, ACTIVITY_ID)
            return QModelIndex()
        if kind == 0 and row == 0 and self._data is not None and not parent.isValid():
            return self.createIndex(0, column, PATHWAY_ID)
        return QModelIndex()

    def parent(self, index: AnyIndex = NO_PARENT) -> QModelIndex:  # type: ignore[override]
        kind = index.internalId()
        if kind >= LOG_BASE:
            return self.createIndex(self._act_row[kind - LOG_BASE], 0, ACTIVITY_ID)
        if kind == ACTIVITY_ID:
            return self.createIndex(0, 0, PATHWAY_ID)
        return QModelIndex()

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        kind = index.internalId()
        if kind >= LOG_BASE:
            return _NEVER_HAS_CHILDREN
        return _PLAIN if kind else Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == DISPLAY
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if role not in _ANSWERED:  # a paint asks seven roles a cell: skip the others quickly
            return None
        return elided(self._value(index, role))  # never a megabyte for Qt to lay out

    def _value(self, index: AnyIndex, role: int) -> Any:
        if not index.isValid() or self._data is None:
            return None
        kind = index.internalId()
        if kind >= LOG_BASE:
            a = kind - LOG_BASE
            rows = self._visible_rows(a)
            row = index.row()
            if row >= len(rows):
                return None
            return self._log_data(self._data.activities[a], rows[row], index.column(), role)
        if kind == ACTIVITY_ID:
            return self._activity_data(
                self._data.activities[self._acts[index.row()]], index.column(), role
            )
        return self._pathway_data(index.column(), role)

    # -- cells --------------------------------------------------------------------------

    def _log_data(self, activity: ActivityData, row: int, column: int, role: int) -> Any:
        assert self._data is not None
        user = self._data.users[activity.users[row]]
        if role == DISPLAY:
            if column == NAME:
                return user.name
            if column == EMAIL:
                return user.email or ""
            if column == GROUPS:
                return ", ".join(user.groups)
            if column == STATE:
                return self._state_text(activity, row)
            if column == PROGRESS:
                return percent(activity.progress[row])
            if column == UPDATED:
                return local_time(activity.timestamps[row])
            if column == RESULT:
                return self._summary(activity, row)
            return None
        if column == STATE:
            code = activity.states[row]
            if role == STATE_ROLE:  # the delegate colours the text by the view's palette
                return code
            if role == DECORATION:
                return state_icon(code)
        elif column == PROGRESS:
            if role == PROGRESS_ROLE:
                value = activity.progress[row]
                return None if value != value else value / 100.0
            if role == BAR_COLOR_ROLE:
                return state_bar_color(activity.states[row])
        if role == TOOLTIP:
            if column == NAME:
                return tooltip(user.name, user.email, ", ".join(user.groups))
            if column == GROUPS:
                return tooltip(*user.groups)
            if column == EMAIL:  # whole, where the column shows it cut
                return tooltip(user.email)
            if column == RESULT:
                return tooltip(self._summary(activity, row))
            if column == UPDATED:
                return tooltip(activity.timestamps[row])
            if column == STATE:
                return tooltip(activity.state_text[row])
        return None

    def _activity_data(self, activity: ActivityData, column: int, role: int) -> Any:
        if role == DISPLAY:
            if column == NAME:
                return activity.label
            if column == PROGRESS:
                return fraction(activity.completed, activity.total)
            if column == TYPE:
                return activity.type or ""
            if column == FULFILMENT:
                return activity.fulfilment_type or ""
            if column == REQUIRED:
                return "" if activity.required is None else ("Yes" if activity.required else "No")
            if column == LEVEL:
                return "" if activity.level is None else str(activity.level)
            if column == STATE and self._search.active:
                return f"{self._counts[activity.index]:,} matching"
            return None
        if role == PROGRESS_ROLE and column == PROGRESS:
            return activity.completed / activity.total if activity.total else 0.0
        if role == BAR_COLOR_ROLE and column == PROGRESS:
            return state_bar_color(COMPLETED)
        if role == FONT and column == NAME:
            return self._bold
        if role == ALIGNMENT and column in (LEVEL, REQUIRED):
            return ALIGN_CENTER
        if role == TOOLTIP and column == NAME:
            return tooltip(activity.label, activity.ID)
        return None

    def _pathway_data(self, column: int, role: int) -> Any:
        data = self._data
        assert data is not None
        if role == DISPLAY:
            if column == NAME:
                return data.pathway.name or data.pathway.ID or "Pathway"
            if column == TYPE:
                return data.pathway.type or ""
            if column == PROGRESS:
                total = data.log_count
                return fraction(data.state_counts()[COMPLETED], total)
            return None
        if role == PROGRESS_ROLE and column == PROGRESS:
            total = data.log_count
            return data.state_counts()[COMPLETED] / total if total else 0.0
        if role == FONT and column == NAME:
            return self._bold
        if role == TOOLTIP and column == NAME:
            return tooltip(data.pathway.name, data.pathway.ID)
        if role == ALIGNMENT and column == LEVEL:
            return ALIGN_RIGHT
        return None

    @staticmethod
    def _state_text(activity: ActivityData, row: int) -> str:
        code = activity.states[row]
        if code == OTHER:
            return activity.state_text[row] or STATE_LABELS[OTHER]
        return STATE_LABELS[code]

    def _summary(self, activity: ActivityData, row: int) -> str:
        cache = self._summaries.get(activity.index)
        if cache is None:
            cache = self._summaries[activity.index] = [None] * len(activity)
        text = cache[row]
        if text is None:
            info = activity.fulfilment_at(row)
            text = cache[row] = "" if info is None else info.summary()
        return text

    def _all_summaries(self, activity: ActivityData) -> list[str]:
        cache = self._summaries.get(activity.index)
        if cache is None or None in cache:
            cache = self._summaries[activity.index] = list(result_texts(activity))
        return cast(list[str], cache)

    # -- what the tab asks ----------------------------------------------------------------

    def item_at(self, index: AnyIndex) -> tuple[str, ActivityData | None, int]:
        """("pathway" | "activity" | "log" | "", activity, log row) of an index."""
        if not index.isValid() or self._data is None:
            return ("", None, -1)
        kind = index.internalId()
        if kind == PATHWAY_ID:
            return ("pathway", None, -1)
        if kind == ACTIVITY_ID:
            return ("activity", self._data.activities[self._acts[index.row()]], -1)
        a = kind - LOG_BASE
        return ("log", self._data.activities[a], self._visible_rows(a)[index.row()])

    def visible_selection(self) -> list[tuple[ActivityData, list[int] | None]]:
        """The activities and log rows shown, in display order (``None``: every log).

        Read from the model's own tables, not index by index, so it stays cheap on a
        pathway of hundreds of thousands of logs; the lists are copies a worker may keep.
        """
        if self._data is None:
            return []
        selection = []
        for a in self._acts:
            activity, count = self._data.activities[a], self._counts[a]
            if count:
                rows = None if count == len(activity) else list(self._visible_rows(a))
                selection.append((activity, rows))
        return selection

    def activity_index(self, activity_id: str | None, name: str | None) -> QModelIndex:
        """The row of an activity, found by ID (or name), for restoring expansion."""
        if self._data is None:
            return QModelIndex()
        for a, activity in enumerate(self._data.activities):
            if (activity.ID, activity.name) == (activity_id, name) and self._act_row[a] >= 0:
                return self.createIndex(self._act_row[a], 0, ACTIVITY_ID)
        return QModelIndex()
