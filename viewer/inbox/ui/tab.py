"""The activity-inbox tab: what happened to the user's identity, newest first.

This module wires the parts together: the filter bar, the search, the list and its model,
the details pane, read marking, unread counts in the tab title and a poll for new
activities (which it hands on, for the tray, as ``unreadChanged`` and ``activitiesArrived``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSettings, Signal, Slot
from PySide6.QtWidgets import (
    QWidget,
)

from viewer.api.activity_types import Activity, UnreadCount
from viewer.api.errors import ApiError, AuthError
from viewer.connections import ACTIVITY_SERVICE, Connections
from viewer.formats import plural
from viewer.inbox.paging import WalkEnd
from viewer.inbox.status import ListState, empty_text, status_text
from viewer.inbox.ui.export import INBOX_FILE_NAME, INBOX_SCOPES, inbox_snapshot
from viewer.inbox.ui.layout import InboxLayout
from viewer.inbox.ui.marking import InboxMarker
from viewer.inbox.ui.model import InboxModel
from viewer.inbox.ui.poll import HEAD_SIZE, InboxPoller
from viewer.inbox.ui.reading import InboxReading
from viewer.inbox.ui.saved_copies import InboxCopies
from viewer.inbox.ui.settings import (
    max_activities,
    restore_inbox,
    save_inbox,
)
from viewer.snapshots import Snapshot, SnapshotStore
from viewer.tasks import TaskRunner
from viewer.widgets.export_controller import ExportController
from viewer.widgets.saved_copy import saved_copy_text

TITLE = "Activity inbox"
#: Activities remembered as announced, so a later poll does not announce them again.
_ANNOUNCED_LIMIT = 1000


def title_for(unread: int) -> str:
    return f"{TITLE} ({unread:,})" if unread else TITLE


class InboxTab(InboxLayout):
    #: The server's count of unread activities changed (or arrived for the first time).
    unreadChanged = Signal(int)
    #: Activities newer than the list arrived that were not announced before (a list).
    activitiesArrived = Signal(object)

    def __init__(
        self,
        connections: Connections,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        snapshots: SnapshotStore | None = None,
    ) -> None:
        super().__init__(connections, settings, "inboxTab", parent)
        self.title = TITLE
        #: Where the loaded activities are kept for offline use (none: nothing is saved).
        self.snapshots = snapshots
        self.snapshot: Snapshot | None = None
        #: Whether the saved copy shown is shown because the server could not be reached.
        self.offline = False
        self.counts: UnreadCount | None = None
        self._retry: Callable[[], None] | None = None
        self._error_source: str | None = None
        self._auth_failed = False
        self._closed = False
        self._keep_selection: tuple[list[str], str | None] | None = None
        self._announced: set[str] = set()

        self.runner = TaskRunner(self)
        client = connections.activity_client
        self.model = InboxModel(
            self.runner, client, max_activities=max_activities(settings), parent=self
        )
        self.marker = InboxMarker(self.runner, self.model, client, self)
        self.poller = InboxPoller(self.runner, self.model, client, self)
        self.copies = InboxCopies(
            self.runner, self.model, connections, snapshots, lambda: self.snapshot is None, self
        )
        self._build()
        self.view.setModel(self.model)
        self.reading = InboxReading(
            self.marker,
            self.model,
            self.view,
            self.filters,
            settings,
            lambda: list(self.counts.types) if self.counts is not None else [],
            self,
        )
        self._connect()
        self.exporter = ExportController(
            self,
            self.runner,
            INBOX_SCOPES,
            lambda scope: inbox_snapshot(
                self.model, self.connections.activity_client, scope, self.filters.types()
            ),
            status=self.statusMessage.emit,
            default_name=lambda: INBOX_FILE_NAME,
            settings=self.settings,
        )
        self.splitter_placed = restore_inbox(
            settings, self.filters, self.splitter, self.view.horizontalHeader()
        )
        self.model.set_unread_only(self.filters.unread_only())
        if connections.is_configured(ACTIVITY_SERVICE):
            self.refresh_timer.start()
            self._load_types()
            self.model.set_query(self.filters.query())
            self.poll()
        else:
            self.stack.setCurrentWidget(self.unconfigured)

    def _connect(self) -> None:
        self.filters.queryChanged.connect(self._query_changed)
        self.filters.unreadOnlyChanged.connect(self._unread_only_changed)
        self.search.changed.connect(self._search_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.more_button.clicked.connect(self._look_further)
        self.refresh_action.triggered.connect(self.refresh)
        self.mark_all_button.clicked.connect(self.reading.mark_all_clicked)
        self.banner.actionTriggered.connect(self._retry_clicked)
        self.saved_copy.accepted.connect(self.show_saved_copy)
        self.save_timer.timeout.connect(self.copies.save_loaded)
        self.copies.loaded.connect(self._show_saved)
        self.copies.failed.connect(self._saved_copy_failed)
        self.copies.statusMessage.connect(self.statusMessage)
        self.notice.actionTriggered.connect(self.refresh)
        self.refresh_timer.timeout.connect(self._tick)
        self.model.pageLoaded.connect(self._page_loaded)
        self.model.loadFailed.connect(self._page_failed)
        self.model.loadingChanged.connect(self._update_status)
        self.model.pagingEnded.connect(self._paging_ended)
        self.model.dataChanged.connect(self._rows_changed)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.marker.changed.connect(self.refresh_counts)
        self.marker.failed.connect(self._mark_failed)
        self.marker.statusMessage.connect(self.statusMessage)
        self.poller.countsLoaded.connect(self._counts_loaded)
        self.poller.headChecked.connect(self._head_checked)
        self.poller.newerFound.connect(self._newer_found)
        self.poller.failed.connect(self._poll_failed)

    def save_settings(self) -> None:
        save_inbox(self.settings, self.filters, self.splitter, self.view.horizontalHeader())

    # -- loading ------------------------------------------------------------------------

    def _load_types(self) -> None:
        client = self.connections.activity_client
        self.runner.run(
            lambda cancel, _progress: client().types(cancel=cancel),
            on_success=self._types_loaded,
            on_error=lambda error: self._show_error(error, self._load_types, "types"),
            key="inbox-types",
        )

    def _types_loaded(self, types: list) -> None:
        self._succeeded("types")
        self.filters.set_types(types)
        self.model.set_subtype_labels(self.filters.subtype_labels())
        self._show_current()

    @Slot()
    def refresh_counts(self) -> None:
        """Fetch the unread counts again (after every change, and on the timer)."""
        if not self._closed and self.connections.is_configured(ACTIVITY_SERVICE):
            self.poller.refresh_counts()

    @Slot()
    def poll(self) -> None:
        """Counts, and whether activities newer than the newest shown have arrived."""
        if not self._closed and self.connections.is_configured(ACTIVITY_SERVICE):
            self.poller.refresh_counts()
            self.poller.check_new()

    @Slot(object)
    def _counts_loaded(self, counts: UnreadCount) -> None:
        self._succeeded("counts")
        self.counts = counts
        self.filters.set_counts(counts)
        title = title_for(counts.unread)
        if title != self.title:
            self.title = title
            self.titleChanged.emit(title)
        self.unreadChanged.emit(counts.unread)

    @Slot(int)
    def _head_checked(self, new: int) -> None:
        self._succeeded("poll")
        if new:
            more = "+" if new >= HEAD_SIZE else ""
            self.notice.show_message(
                "New activities",
                f"{new}{more} new {'activity' if new == 1 else 'activities'} arrived.",
                kind="info",
                action="Show",
            )

    @Slot(object)
    def _newer_found(self, newer: list[Activity]) -> None:
        fresh = [a for a in newer if a.uuid not in self._announced]
        if len(self._announced) > _ANNOUNCED_LIMIT:
            self._announced = set()
        self._announced.update(a.uuid for a in newer)
        if fresh:
            self.activitiesArrived.emit(fresh)

    @Slot(object, str, object)
    def _poll_failed(self, error: ApiError, what: str, retry: Callable[[], None]) -> None:
        self._show_error(error, retry, what)

    @Slot()
    def _tick(self) -> None:
        self.model.refresh_times()
        self.poll()

    @Slot()
    def refresh(self) -> None:
        """Load again from the newest, keeping the selection where possible (F5)."""
        if self._closed or not self.connections.is_configured(ACTIVITY_SERVICE):
            return
        self.notice.hide()
        self._keep_selection = (self.view.selected_uuids(), self.view.current_uuid())
        if not self.filters.types():
            self._load_types()
        self.model.reload()
        self.refresh_counts()

    @Slot()
    def _query_changed(self) -> None:
        self.notice.hide()
        self._keep_selection = None
        self.details.show_activity(None)
        self.model.set_query(self.filters.query())
        self._update_status()

    @Slot(bool)
    def _unread_only_changed(self, unread_only: bool) -> None:
        self._refiltered(lambda: self.model.set_unread_only(unread_only))

    @Slot(str)
    def _search_changed(self, text: str) -> None:
        self._refiltered(lambda: self.model.set_search(text))

    def _refiltered(self, refilter: Callable[[], None]) -> None:
        """Filter what is loaded again, keeping the selected rows that still show."""
        selected, current = self.view.selected_uuids(), self.view.current_uuid()
        refilter()
        self._select(selected, current)
        self._update_status()

    def _select(self, uuids: list[str], current: str | None) -> None:
        """Select rows again after a refilter or reload; that reads nothing."""
        with self.reading.restoring_selection():
            self.view.select_uuids(uuids, current)

    @Slot(int, bool)
    def _page_loaded(self, _count: int, replaced: bool) -> None:
        self._succeeded("page")
        if replaced:
            # Live pages again (or a saved copy, which sets these after).
            self.snapshot, self.offline = None, False
        if self.snapshots is not None:
            self.save_timer.start()
        if replaced and self._keep_selection is not None:
            uuids, current = self._keep_selection
            self._keep_selection = None
            self._select(uuids, current)
        self._update_status()

    @Slot(object)
    def _page_failed(self, error: ApiError) -> None:
        self._show_error(error, self.model.retry, "page")
        self._update_status()

    @Slot()
    def _look_further(self) -> None:
        self.model.fetchMore()

    @Slot(object)
    def _paging_ended(self, end: WalkEnd) -> None:
        self.statusMessage.emit(end.message)
        self._update_status()

    @Slot()
    def _update_status(self) -> None:
        model = self.model
        query = model.query
        state = ListState(
            shown=model.rowCount(),
            loaded=model.loaded_count,
            total=model.total,
            unread_only=model.unread_only,
            search=self.search.text(),
            filtered=bool(query.type or query.reference_uuid),
            more=model.has_more,
        )
        text = status_text(state)
        if model.loading:
            text += " · loading…"
        elif model.paging_end is not None:
            text += " · " + model.paging_end.message
        self.status_label.setText(text)
        idle = state.shown == 0 and not model.loading
        self.more_button.setVisible(idle and state.more)
        # An empty view that can fetch stays, so scrolling can ask. A search without a match
        # says so instead, loading or not: a view shown again between pages would resize
        # and ask for the next page itself, page after page.
        searched_out = state.shown == 0 and bool(state.search)
        empty = not model.failed and (searched_out or (idle and not state.more))
        if empty:
            title, words = empty_text(state)
            self.list_empty.title.setText(title)
            self.list_empty.text.setText(words)
        self.list_stack.setCurrentWidget(self.list_empty if empty else self.view)

    @Slot(object, str, object)
    def _mark_failed(self, error: ApiError, what: str, retry: Callable[[], None]) -> None:
        self._show_error(error, retry, "mark", lead=what)

    # -- details ------------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()

    @Slot()
    def _rows_changed(self) -> None:
        if self.details.current_uuid is not None:
            self._show_current()

    def _show_current(self) -> None:
        index = self.view.currentIndex()
        activity = self.model.activity(index.row()) if index.isValid() else None
        label = self.model.subtype_label(activity.subtype) if activity else ""
        self.details.show_activity(activity, label)

    # -- errors -------------------------------------------------------------------------

    def _show_error(
        self, error: ApiError, retry: Callable[[], None], source: str, *, lead: str = ""
    ) -> None:
        if isinstance(error, AuthError) and not self._auth_failed:
            self._auth_failed = True
            self.credentialsRequested.emit(ACTIVITY_SERVICE)
        self._retry = retry
        self._error_source = source
        text = f"{lead} {error.message}".strip()
        text += self.saved_copy.offer(self.copies.copy_for(error))
        self.banner.show_message(error.title, text, kind="error", action="Retry")
        self.statusMessage.emit(error.title)

    def _succeeded(self, source: str) -> None:
        self._auth_failed = False
        if self._error_source == source:
            self._error_source = None
            self._retry = None
            self.banner.hide()

    # -- saved copies -------------------------------------------------------------------

    @Slot(object)
    def open_snapshot(self, snapshot: Snapshot, *, offline: bool = False) -> None:
        """Show a saved copy of the list instead of the server's; Refresh goes back."""
        self.copies.open(snapshot, offline=offline)

    @Slot(object)
    def show_saved_copy(self, snapshot: Snapshot) -> None:
        """Show the copy offered after a failed load, marked offline."""
        self.open_snapshot(snapshot, offline=True)

    @Slot(object)
    def _saved_copy_failed(self, error: ApiError) -> None:
        self.banner.show_message(error.title, error.message)

    @Slot(object, object, bool)
    def _show_saved(self, snapshot: Snapshot, activities: list, offline: bool) -> None:
        self.stack.setCurrentIndex(0)
        self.model.show_saved(activities)  # no further pages: they would be the live list's
        self.snapshot, self.offline = snapshot, offline
        self.save_timer.stop()
        self._retry, self._error_source = self.refresh, "page"
        self.saved_copy.withdraw()
        count = plural(len(activities), "activity")
        if offline:
            self.banner.show_message(
                "Offline",
                f"{saved_copy_text(snapshot, offline=True)}: {count}. Retry loads the "
                "current list.",
                kind="warning",
                action="Retry",
            )
        else:
            self.banner.show_message(
                "Saved copy",
                f"This is the list saved {snapshot.age()} ({snapshot.fetched_utc}): {count}. "
                "Refresh loads the current list.",
                kind="info",
                action="Refresh",
            )
        self.status_label.setText(f"{saved_copy_text(snapshot, offline=offline)} · {count}")

    @Slot()
    def _retry_clicked(self) -> None:
        retry, self._retry = self._retry, None
        self.banner.hide()
        self._error_source = None
        if retry is not None and not self._closed:
            retry()

    # -- lifetime -----------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop background work; called when the window closes."""
        if self._closed:
            return
        self._closed = True
        self.refresh_timer.stop()
        self.save_timer.stop()
        self.filters.stop()
        self.search.stop()
        self.save_settings()
        self.model.close()
        self.marker.close()
        self.poller.closed = True
        self.copies.closed = True
        self.runner.shutdown()
