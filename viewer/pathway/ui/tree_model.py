"""The pathway tree: the pathway, its activities, and each activity's logs.

Rows are addressed by small integers in ``internalId``: 1 for the pathway row, 2 for an
activity row, ``3 + activity index`` for a log row of that activity (0: the invalid index).
Sorting and the quick search work on lists of row numbers inside the model; an activity's
visible rows are worked out only when a view asks for them (usually the expanded ones).

Qt's tree lays out every row of every expanded activity on each change (one call into
Python a row), so an activity offers its first ``FIRST_LOGS`` logs and more as the view
scrolls to their end (``has_more_logs``, ``show_more_logs``): the work of a search, a sort
or an expand follows what was scrolled through, not the size of the activity. What a row's
cells show is worked out once for all its columns and roles (``tree_cells``) and kept until
the shown rows change, so a repaint only looks answers up.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont

from viewer.formats import elided
from viewer.pathway.columns import ACTIVITY_KEYS, COLUMNS, log_order
from viewer.pathway.data import ActivityData, PathwayData
from viewer.pathway.sort_keys import WARM_FROM, LogKeys
from viewer.pathway.ui.colours import state_bar_color
from viewer.pathway.ui.search_sort import SearchSortMixin
from viewer.pathway.ui.style import BAR_COLOR_ROLE, DISPLAY, TOOLTIP
from viewer.pathway.ui.tree_cells import (
    BAR_CODE,
    BLANK_ROW,
    SLOT,
    Row,
    activity_cells,
    activity_tooltip,
    log_cells,
    log_tooltip,
    pathway_cells,
    pathway_tooltip,
)
from viewer.widgets.table_model import NO_PARENT, AnyIndex

PATHWAY_ID, ACTIVITY_ID, LOG_BASE = 1, 2, 3
#: Log rows an activity offers at first; each ``show_more_logs`` doubles what it offers.
FIRST_LOGS = 250
_COLUMNS = len(COLUMNS)
_NEVER_HAS_CHILDREN = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)
_PLAIN = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_DONE = object()
#: From opening a large activity to the first step of its sort keys (``warm_sort_keys``).
_WARM_AFTER_MS = 50
#: Rows whose cells are kept: a few screens' worth.
_KEPT_ROWS = 2000


class PathwayTreeModel(SearchSortMixin, QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._acts: list[int] = []  # activity indices in display order
        self._act_row: list[int] = []  # activity index -> row, -1 when hidden
        self._counts: list[int] = []  # activity index -> visible logs
        self._offered: list[int] = []  # activity index -> log rows offered to the views
        self._rows: list[Sequence[int] | None] = []  # activity index -> visible log rows
        self._keys = LogKeys()  # of the data shown: Result texts, timestamps' seconds
        self._warming: deque[Iterator[None]] = deque()
        self._warmed: set[int] = set()  # activities whose keys are (being) worked out
        self._warm_timer = QTimer(self)
        self._warm_timer.timeout.connect(self._warm_step)
        self._searched: str | None = None  # the search ``_offered`` was counted for
        #: (activity, column, descending) -> every log row in that order
        self._orders: dict[tuple[int, int, bool], Sequence[int] | None] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        #: (internalId, row) -> the row's cells, for the rows painted since the last change
        self._cells: dict[tuple[int, int], Row] = {}

    # -- loading, searching, sorting ----------------------------------------------------

    def set_pathway_data(self, data: PathwayData | None) -> None:
        self._keys = LogKeys()  # of the logs of the data shown until now
        self._warming.clear()
        self._warmed.clear()
        self._warm_timer.stop()
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
        self._cells = {}  # rows are about to mean other logs
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
                self._data, activity, self._sort_column, self._descending, self._keys
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
        # A paint asks seven roles or more of every cell: those are looked up in the row's
        # cells (``tree_cells``), kept from the paint before.
        slot = SLOT.get(role)
        if slot is not None:
            cells = self._cells.get((index.internalId(), index.row()))
            if cells is None:
                cells = self._row_cells(index)
            return cells[index.column()][slot]
        if role == BAR_COLOR_ROLE:
            code = self._row_cells(index)[index.column()][BAR_CODE]
            return None if code is None else state_bar_color(code)
        if role == TOOLTIP:
            return elided(self._tooltip(index))  # never a megabyte for Qt to lay out
        return None

    def _row_cells(self, index: AnyIndex) -> Row:
        """The cells of the row of ``index``, kept until the shown rows change."""
        key = (index.internalId(), index.row())
        cells = self._cells.get(key)
        if cells is not None:
            return cells
        found = self._log_at(index)
        data = self._data
        if found is not None:
            assert data is not None
            activity, row = found
            cells = log_cells(data, activity, row, self._summary(activity, row))
        elif data is None or not index.isValid():
            return BLANK_ROW
        elif key[0] == ACTIVITY_ID:
            activity = data.activities[self._acts[key[1]]]
            matching = self._counts[activity.index] if self._search.active else None
            cells = activity_cells(activity, matching, self._bold)
        elif key[0] == PATHWAY_ID:
            cells = pathway_cells(data, self._bold)
        else:
            return BLANK_ROW
        if len(self._cells) >= _KEPT_ROWS:  # scrolled far: forget the rows left behind
            self._cells.clear()
        self._cells[key] = cells
        return cells

    def _log_at(self, index: AnyIndex) -> tuple[ActivityData, int] | None:
        """The activity and log row behind a log row's index (None for any other index)."""
        kind = index.internalId()
        if kind < LOG_BASE or self._data is None:
            return None
        a = kind - LOG_BASE
        rows = self._visible_rows(a)
        row = index.row()
        if not 0 <= row < len(rows):
            return None
        return self._data.activities[a], rows[row]

    def _tooltip(self, index: AnyIndex) -> str | None:
        data = self._data
        if data is None or not index.isValid():
            return None
        column = index.column()
        found = self._log_at(index)
        if found is not None:
            activity, row = found
            return log_tooltip(data, activity, row, column, self._summary(activity, row))
        kind = index.internalId()
        if kind == ACTIVITY_ID:
            return activity_tooltip(data.activities[self._acts[index.row()]], column)
        return pathway_tooltip(data, column) if kind == PATHWAY_ID else None

    def _summary(self, activity: ActivityData, row: int) -> str:
        return self._keys.summary(activity, row)

    def warm_sort_keys(self, index: AnyIndex) -> None:
        """Work out, a few thousand logs an event, the sort keys of the large activity at
        ``index`` that take long to make (``LogKeys.warm``): a sort clicked later finds them
        ready. Opening an activity asks for this."""
        if self._data is None or index.internalId() != ACTIVITY_ID:
            return
        activity = self._data.activities[self._acts[index.row()]]
        if len(activity) >= WARM_FROM and activity.index not in self._warmed:
            self._warmed.add(activity.index)
            self._warming.append(self._keys.warm(activity))
            if not self._warm_timer.isActive():  # after the opened rows have painted
                self._warm_timer.start(_WARM_AFTER_MS)

    @property
    def warming(self) -> bool:
        """Whether sort keys are still being worked out."""
        return bool(self._warming)

    def _warm_step(self) -> None:
        self._warm_timer.setInterval(0)  # then a step each time the window is idle
        if self._warming and next(self._warming[0], _DONE) is _DONE:
            self._warming.popleft()
        if not self._warming:
            self._warm_timer.stop()

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
