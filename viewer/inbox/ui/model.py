"""The inbox's item model: a Qt face on ``InboxState``, fetched page by page as the view scrolls.

The list itself, its unread-only filter and its optimistic read marks are plain Python in
``viewer.inbox.state``; this model only tells Qt what changed. ``fetchMore`` asks the
``PageLoader`` for the next page, which runs in the tab's ``TaskRunner``; at most one page
request is in flight, and ``viewer.inbox.paging`` decides when the list asks unasked and
when it stops.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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

from viewer.api.activity import STALLED
from viewer.api.activity_types import Activity
from viewer.formats import elided
from viewer.inbox.paging import DEFAULT_MAX_ACTIVITIES, PageWalk, WalkEnd
from viewer.inbox.query import PER_PAGE, ClientFactory, InboxQuery
from viewer.inbox.rows import HEADERS, Column, display_text, tooltip_text
from viewer.inbox.state import InboxState, ReadChange, RowsEdit, Run
from viewer.inbox.ui.loader import PageLoader
from viewer.tasks import TaskRunner
from viewer.widgets.table_model import AnyIndex

#: The role under which the model hands out the ``Activity`` of a row.
ACTIVITY_ROLE = Qt.ItemDataRole.UserRole + 1

# Roles as plain ints: ``data`` runs for every painted cell, so comparisons must be cheap.
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_CENTER = Qt.AlignmentFlag.AlignCenter
_ACTIVITY = int(ACTIVITY_ROLE)
_COLUMNS = len(Column)


class InboxModel(QAbstractTableModel):
    """Activities in a table. Unread-only filtering happens in the state, not in a proxy."""

    loadingChanged = Signal(bool)
    #: A page arrived: how many new activities it brought, and whether it replaced the list.
    pageLoaded = Signal(int, bool)
    #: A page request failed with this ``ApiError``; ``retry()`` tries again.
    loadFailed = Signal(object)
    #: The list stopped asking for pages although the server offered more (a ``WalkEnd``).
    pagingEnded = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        client_factory: ClientFactory,
        *,
        per_page: int = PER_PAGE,
        max_activities: int = DEFAULT_MAX_ACTIVITIES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.loader = PageLoader(runner, client_factory, per_page=per_page, parent=self)
        self.loader.arrived.connect(self._page_arrived)
        self.loader.failed.connect(self.loadFailed)
        self.loader.loadingChanged.connect(self.loadingChanged)
        self._state = InboxState()
        self._walk = PageWalk(max_activities)
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
        return self._state.loaded_count

    @property
    def unread_only(self) -> bool:
        return self._state.unread_only

    @property
    def searching(self) -> bool:
        """Whether a search leaves out loaded activities that do not match."""
        return self._state.searching

    @property
    def paging_end(self) -> WalkEnd | None:
        """Why the list stopped asking for pages early, if it did."""
        return self._walk.ended

    def newest(self) -> Activity | None:
        return self._state.newest()

    def activity(self, row: int) -> Activity | None:
        return self._state.activity(row)

    def activity_by_uuid(self, uuid: str) -> Activity | None:
        return self._state.activity_by_uuid(uuid)

    def row_of(self, uuid: str) -> int:
        return self._state.row_of(uuid)

    def time_of(self, activity: Activity) -> datetime | None:
        return self._state.time_of(activity)

    def subtype_label(self, subtype: str | None) -> str:
        return self._state.subtype_label(subtype)

    # -- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._state.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMNS

    # ``flags`` is QAbstractTableModel's: enabled, selectable, never has children.

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        # One call instead of the base class's rowCount and columnCount for every cell.
        if parent.isValid() or not (0 <= row < len(self._state.rows) and 0 <= column < _COLUMNS):
            return QModelIndex()
        return self.createIndex(row, column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < _COLUMNS:
            return HEADERS[Column(section)]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self._state.rows
        if not index.isValid() or index.row() >= len(rows):
            return None
        return self._value(rows[index.row()], index.column(), int(role))

    def _value(self, activity: Activity, column: int, role: int) -> Any:
        if role == _DISPLAY:
            if column == Column.WHEN:
                return self._state.when_text(activity)
            return elided(display_text(activity, column, self._label(activity, column), None))
        if role == _FONT:
            return self._regular if activity.is_read else self._bold
        if role == _TOOLTIP:
            when = self._state.time_of(activity)
            return tooltip_text(activity, column, when, self._label(activity, column))
        if role == _ALIGNMENT and column == Column.STATE:
            return _CENTER
        if role == _ACTIVITY:
            return activity
        if role == _ACCESSIBLE and column == Column.STATE:
            return "Read" if activity.is_read else "Unread"
        return None

    def _label(self, activity: Activity, column: int) -> str:
        return self._state.subtype_label(activity.subtype) if column == Column.SUBTYPE else ""

    def set_subtype_labels(self, labels: dict[str, str]) -> None:
        """Names for subtype ids (activities carry ids; people read names)."""
        self._state.set_subtype_labels(labels)
        self._changed(self._state.all_rows(), Column.SUBTYPE)

    def refresh_times(self) -> None:
        """Repaint the relative times ("5 min ago" grows older)."""
        self._state.forget_when_texts()
        self._changed(self._state.all_rows(), Column.WHEN)

    # -- translating state changes for Qt -----------------------------------------------

    def _edit(self, edit: RowsEdit) -> None:
        if edit.reset:
            self.beginResetModel()
            edit.apply()
            self.endResetModel()
        elif edit.count:
            self.beginInsertRows(QModelIndex(), edit.first, edit.last)
            edit.apply()
            self.endInsertRows()
        else:
            edit.apply()

    def _changed(self, runs: Iterable[Run], column: Column | None = None) -> None:
        first_column, last_column = (0, _COLUMNS - 1) if column is None else (column, column)
        for first, last in runs:
            self.dataChanged.emit(self.index(first, first_column), self.index(last, last_column))

    # -- paging -------------------------------------------------------------------------

    @property
    def has_more(self) -> bool:
        """Whether another page can be asked for (Look further, or j past the last row)."""
        return self.loader.can_fetch and self._walk.can_continue

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        # Qt asks for more whenever the rows shown fit in the view. A search looks only at
        # what is loaded, so its few matches must not page through the inbox by themselves.
        return not parent.isValid() and self.has_more and not self._state.searching

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._walk.asked()
            self._next()

    def _next(self) -> None:
        if self._walk.can_continue:
            self.loader.next()

    def set_query(self, query: InboxQuery) -> None:
        """Show the activities matching ``query``, from the newest."""
        self._edit(self._state.reset())
        self._walk.start()
        self.loader.start(query)

    def reload(self) -> None:
        """Fetch again from the newest; the current rows stay until page 1 replaces them."""
        self._walk.start()
        self.loader.start(self.loader.query)

    def retry(self) -> None:
        """Try the failed page request again."""
        self.loader.retry()

    def show_saved(self, activities: Sequence[Activity]) -> None:
        """Show ``activities`` (a saved copy) instead of the server's; no further pages.

        ``reload`` or ``set_query`` go back to the server's list.
        """
        self.loader.stop()
        self._edit(self._state.reset(activities))
        self.pageLoaded.emit(len(activities), True)

    def close(self) -> None:
        """No more requests (the tab is shutting down)."""
        self.loader.close()

    def _page_arrived(self, fresh: list[Activity], replace: bool) -> None:
        edit = self._state.receive(fresh, replace)
        self._edit(edit)
        self.pageLoaded.emit(len(fresh), replace)
        step = self._walk.arrived(
            fresh=len(fresh),
            shown=edit.count,
            loaded=self._state.loaded_count,
            total=self.loader.total,
            exhausted=self.loader.exhausted,
            stalled=self.loader.stopped == STALLED,
        )
        if step.ended is not None:
            self.pagingEnded.emit(step.ended)
        elif step.follow_up:
            # Nothing new to show (all read, or all seen before): a little more, to fill.
            self.loader.next()

    # -- unread-only filter -------------------------------------------------------------

    def set_unread_only(self, unread_only: bool) -> None:
        edit = self._state.refilter(unread_only)
        if edit is None:
            return
        self._edit(edit)
        if not self._state.rows:
            self.fetchMore()

    def set_search(self, text: str) -> None:
        """Show only the loaded activities whose title or description hold ``text``'s words.

        Pages that come later are searched as they arrive. Nothing is fetched for the search
        itself: when nothing loaded matches, the tab offers to look further.
        """
        edit = self._state.filter(self._state.unread_only, text)
        if edit is not None:
            self._edit(edit)

    # -- read state ---------------------------------------------------------------------

    def apply_read(self, uuids: Iterable[str], read: bool) -> ReadChange:
        """Show ``uuids`` as read (or unread) now; settle the change when the server answers."""
        change, runs = self._state.apply_read(uuids, read)
        self._changed(runs)
        return change

    def apply_read_where(
        self, type_name: str | None, subtype: str | None, read: bool
    ) -> ReadChange:
        """Like ``apply_read``, for every loaded activity of a type (and subtype)."""
        change, runs = self._state.apply_read_where(type_name, subtype, read)
        self._changed(runs)
        return change

    def settle(self, change: ReadChange, failed: Iterable[str] = ()) -> list[str]:
        """End a change; the ``failed`` uuids go back to their state before it.

        Returns the uuids rolled back (when a newer change of a row is pending, it wins).
        """
        rolled_back, runs = self._state.settle(change, failed)
        self._changed(runs)
        return rolled_back
