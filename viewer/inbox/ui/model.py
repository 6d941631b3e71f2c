"""The inbox's item model: activities newest first, fetched page by page as the view scrolls.

``fetchMore`` asks the ``PageLoader`` for the next page, which runs in the tab's
``TaskRunner``; at most one page request is in flight. Read state changes are optimistic:
they show at once, stay pending until the server answers, and are rolled back when it
refuses. While a change is pending, a page that arrives with the old state does not undo it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication

from viewer.api.activity_types import Activity
from viewer.formats import elided, parse_time
from viewer.inbox.query import PER_PAGE, ClientFactory, InboxQuery
from viewer.inbox.ui.columns import ACTIVITY_ROLE, HEADERS, Column, display_text, tooltip_text
from viewer.inbox.ui.paging import PageLoader
from viewer.tasks import TaskRunner
from viewer.widgets.table_model import AnyIndex

# Roles as plain ints: ``data`` runs for every painted cell, so comparisons must be cheap.
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_CENTER = Qt.AlignmentFlag.AlignCenter
_ACTIVITY = int(ACTIVITY_ROLE)
_COLUMNS = len(Column)


@dataclass
class ReadChange:
    """One optimistic change of read state, to settle when the server answers."""

    id: int
    read: bool
    previous: dict[str, bool] = field(default_factory=dict)

    @property
    def uuids(self) -> list[str]:
        return list(self.previous)


class InboxModel(QAbstractTableModel):
    """Activities in a table. Unread-only filtering happens here, not in a proxy."""

    loadingChanged = Signal(bool)
    #: A page arrived: how many new activities it brought, and whether it replaced the list.
    pageLoaded = Signal(int, bool)
    #: A page request failed with this ``ApiError``; ``retry()`` tries again.
    loadFailed = Signal(object)

    _change_ids = itertools.count(1)

    def __init__(
        self,
        runner: TaskRunner,
        client_factory: ClientFactory,
        *,
        per_page: int = PER_PAGE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.loader = PageLoader(runner, client_factory, per_page=per_page, parent=self)
        self.loader.arrived.connect(self._page_arrived)
        self.loader.failed.connect(self.loadFailed)
        self.loader.loadingChanged.connect(self.loadingChanged)
        self._all: list[Activity] = []
        self._by_uuid: dict[str, Activity] = {}
        self._rows: list[Activity] = []
        self._row_of: dict[str, int] = {}
        self._times: dict[str, datetime | None] = {}
        self._whens: dict[str, str] = {}
        self._unread_only = False
        self._sticky: set[str] = set()  # read while shown unread-only: kept until refiltered
        self._pending: dict[str, tuple[int, bool]] = {}
        self._subtype_labels: dict[str, str] = {}
        self._regular = QFont(QGuiApplication.font())
        self._regular.setBold(False)
        self._bold = QFont(self._regular)
        self._bold.setBold(True)

    # -- state --------------------------------------------------------------------------

    @property
    def query(self) -> InboxQuery:
        return self.loader.query

    @property
    def loading(self) -> bool:
        return self.loader.loading

    @property
    def exhausted(self) -> bool:
        return self.loader.exhausted

    @property
    def failed(self) -> bool:
        return self.loader.has_failed

    @property
    def total(self) -> int | None:
        """How many activities the server reports for the current filters."""
        return self.loader.total

    @property
    def loaded_count(self) -> int:
        return len(self._all)

    @property
    def unread_only(self) -> bool:
        return self._unread_only

    def newest(self) -> Activity | None:
        return self._all[0] if self._all else None

    def activity(self, row: int) -> Activity | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def activity_by_uuid(self, uuid: str) -> Activity | None:
        return self._by_uuid.get(uuid)

    def row_of(self, uuid: str) -> int:
        return self._row_of.get(uuid, -1)

    def time_of(self, activity: Activity) -> datetime | None:
        if activity.uuid not in self._times:
            self._times[activity.uuid] = parse_time(activity.created_at)
        return self._times[activity.uuid]

    def subtype_label(self, subtype: str | None) -> str:
        return self._subtype_labels.get(subtype, subtype) if subtype else ""

    # -- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    # ``flags`` is QAbstractTableModel's: enabled, selectable, never has children.

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        # One call instead of the base class's rowCount and columnCount for every cell.
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < _COLUMNS):
            return QModelIndex()
        return self.createIndex(row, column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return HEADERS[Column(section)]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self._value(self._rows[index.row()], index.column(), int(role))

    def _value(self, activity: Activity, column: int, role: int) -> Any:
        if role == _DISPLAY:
            if column == Column.WHEN:
                return self._when_text(activity)
            label = self.subtype_label(activity.subtype) if column == Column.SUBTYPE else ""
            return elided(display_text(activity, column, label, None))
        if role == _FONT:
            return self._regular if activity.is_read else self._bold
        if role == _TOOLTIP:
            return tooltip_text(activity, column, self.time_of(activity))
        if role == _ALIGNMENT and column == Column.STATE:
            return _CENTER
        if role == _ACTIVITY:
            return activity
        if role == _ACCESSIBLE and column == Column.STATE:
            return "Read" if activity.is_read else "Unread"
        return None

    def _when_text(self, activity: Activity) -> str:
        """Relative times, kept until ``refresh_times`` (painting asks for them often)."""
        text = self._whens.get(activity.uuid)
        if text is None:
            text = display_text(activity, Column.WHEN, "", self.time_of(activity))
            self._whens[activity.uuid] = text
        return text

    def set_subtype_labels(self, labels: dict[str, str]) -> None:
        """Names for subtype ids (activities carry ids; people read names)."""
        self._subtype_labels = dict(labels)
        self._column_changed(Column.SUBTYPE)

    def refresh_times(self) -> None:
        """Repaint the relative times ("5 min ago" grows older)."""
        self._whens = {}
        self._column_changed(Column.WHEN)

    def _column_changed(self, column: Column) -> None:
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, column), self.index(last, column))

    # -- paging -------------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.loader.can_fetch

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self.loader.next()

    def set_query(self, query: InboxQuery) -> None:
        """Show the activities matching ``query``, from the newest."""
        self.beginResetModel()
        self._clear()
        self.endResetModel()
        self.loader.start(query)

    def reload(self) -> None:
        """Fetch again from the newest; the current rows stay until page 1 replaces them."""
        self.loader.start(self.loader.query)

    def retry(self) -> None:
        """Try the failed page request again."""
        self.loader.retry()

    def close(self) -> None:
        """No more requests (the tab is shutting down)."""
        self.loader.close()

    def _clear(self) -> None:
        self._all, self._rows = [], []
        self._by_uuid, self._row_of, self._times, self._whens = {}, {}, {}, {}
        self._sticky = set()

    def _page_arrived(self, fresh: list[Activity], replace: bool) -> None:
        for activity in fresh:
            pending = self._pending.get(activity.uuid)
            if pending is not None:
                activity.is_read = pending[1]
        if replace:
            self.beginResetModel()
            self._clear()
            added = self._add(fresh)
            self.endResetModel()
        else:
            first = len(self._rows)
            count = sum(1 for a in fresh if self._shows(a))
            if count:
                self.beginInsertRows(QModelIndex(), first, first + count - 1)
            added = self._add(fresh)
            if count:
                self.endInsertRows()
        self.pageLoaded.emit(len(fresh), replace)
        if added == 0:
            # Nothing new to show (all read, or all seen before): go on so the view fills.
            self.loader.next()

    def _add(self, fresh: list[Activity]) -> int:
        """Append ``fresh`` to the data; how many of them became visible rows."""
        self._all.extend(fresh)
        added = 0
        for activity in fresh:
            self._by_uuid[activity.uuid] = activity
            if self._shows(activity):
                self._row_of[activity.uuid] = len(self._rows)
                self._rows.append(activity)
                added += 1
        return added

    # -- unread-only filter -------------------------------------------------------------

    def _shows(self, activity: Activity) -> bool:
        return not self._unread_only or not activity.is_read or activity.uuid in self._sticky

    def set_unread_only(self, unread_only: bool) -> None:
        if unread_only == self._unread_only:
            return
        self.beginResetModel()
        self._unread_only = unread_only
        self._sticky = set()
        self._rows = [a for a in self._all if self._shows(a)]
        self._row_of = {a.uuid: row for row, a in enumerate(self._rows)}
        self.endResetModel()
        if not self._rows:
            self.loader.next()

    # -- read state ---------------------------------------------------------------------

    def apply_read(self, uuids: Iterable[str], read: bool) -> ReadChange:
        """Show ``uuids`` as read (or unread) now; settle the change when the server answers."""
        change = ReadChange(next(self._change_ids), read)
        for uuid in uuids:
            activity = self._by_uuid.get(uuid)
            if activity is None or uuid in change.previous:
                continue
            change.previous[uuid] = bool(activity.is_read)
            self._pending[uuid] = (change.id, read)
            activity.is_read = read
            if self._unread_only:
                self._sticky.add(uuid)
        self._rows_changed(change.previous)
        return change

    def apply_read_where(
        self, type_name: str | None, subtype: str | None, read: bool
    ) -> ReadChange:
        """Like ``apply_read``, for every loaded activity of a type (and subtype)."""
        uuids = [
            a.uuid
            for a in self._all
            if (type_name is None or a.type == type_name)
            and (subtype is None or a.subtype == subtype)
            and bool(a.is_read) != read
        ]
        return self.apply_read(uuids, read)

    def settle(self, change: ReadChange, failed: Iterable[str] = ()) -> list[str]:
        """End a change; the ``failed`` uuids go back to their state before it.

        Returns the uuids rolled back (when a newer change of a row is pending, it wins).
        """
        failed_set = set(failed)
        rolled_back = []
        for uuid, previous in change.previous.items():
            pending = self._pending.get(uuid)
            if pending is None or pending[0] != change.id:
                continue
            del self._pending[uuid]
            activity = self._by_uuid.get(uuid)
            if uuid in failed_set and activity is not None:
                activity.is_read = previous
                rolled_back.append(uuid)
        self._rows_changed(rolled_back)
        return rolled_back

    def _rows_changed(self, uuids: Iterable[str]) -> None:
        rows = sorted(r for r in (self._row_of.get(u, -1) for u in uuids) if r >= 0)
        runs: list[list[int]] = []
        for row in rows:
            if runs and row == runs[-1][1] + 1:
                runs[-1][1] = row
            else:
                runs.append([row, row])
        for first, last in runs:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(Column) - 1))
