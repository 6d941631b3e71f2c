"""The activity-inbox tab: what happened to the user's identity, newest first.

This module wires the parts together: the filter bar, the search, the list and its model,
the details pane, read marking, unread counts in the tab title and a poll for new
activities (which it hands on, for the tray, as ``unreadChanged`` and ``activitiesArrived``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import msgspec
from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from viewer.api.activity_types import Activity, UnreadCount
from viewer.api.errors import ApiError, AuthError, NetworkError
from viewer.connections import ACTIVITY_SERVICE, Connections, server_of
from viewer.formats import plural
from viewer.inbox.paging import WalkEnd
from viewer.inbox.saved import load_activities, save_activities
from viewer.inbox.status import ListState, empty_text, status_text
from viewer.inbox.ui.details import InboxDetails
from viewer.inbox.ui.export import INBOX_FILE_NAME, INBOX_SCOPES, inbox_snapshot
from viewer.inbox.ui.filters import InboxFilters
from viewer.inbox.ui.marking import InboxMarker, mark_all_question
from viewer.inbox.ui.model import InboxModel
from viewer.inbox.ui.poll import HEAD_SIZE, InboxPoller
from viewer.inbox.ui.search import InboxSearch
from viewer.inbox.ui.settings import (
    mark_read_on_select,
    max_activities,
    refresh_seconds,
    restore_inbox,
    save_inbox,
)
from viewer.inbox.ui.view import InboxView
from viewer.snapshots import ACTIVITY, Snapshot, SnapshotStore
from viewer.tasks import TaskRunner
from viewer.widgets.banner import Banner
from viewer.widgets.empty_state import EmptyState
from viewer.widgets.export_controller import ExportController
from viewer.widgets.saved_copy import SavedCopyOffer, offline_text
from viewer.widgets.service_tab import ServiceTab

TITLE = "Activity inbox"
#: Pages loaded within this time are saved together.
SAVE_DELAY_MS = 1500
#: Activities remembered as announced, so a later poll does not announce them again.
_ANNOUNCED_LIMIT = 1000


def title_for(unread: int) -> str:
    return f"{TITLE} ({unread:,})" if unread else TITLE


class InboxTab(ServiceTab):
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
        self.counts: UnreadCount | None = None
        self._retry: Callable[[], None] | None = None
        self._error_source: str | None = None
        self._auth_failed = False
        self._closed = False
        self._keep_selection: tuple[list[str], str | None] | None = None
        self._restoring_selection = False
        self._announced: set[str] = set()

        self.runner = TaskRunner(self)
        client = connections.activity_client
        self.model = InboxModel(
            self.runner, client, max_activities=max_activities(settings), parent=self
        )
        self.marker = InboxMarker(self.runner, self.model, client, self)
        self.poller = InboxPoller(self.runner, self.model, client, self)
        self._build()
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
        restore_inbox(settings, self.filters, self.splitter, self.view.horizontalHeader())
        self.model.set_unread_only(self.filters.unread_only())
        if connections.is_configured(ACTIVITY_SERVICE):
            self.refresh_timer.start()
            self._load_types()
            self.model.set_query(self.filters.query())
            self.poll()
        else:
            self.stack.setCurrentWidget(self.unconfigured)

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
        self.banner = Banner(self)
        self.notice = Banner(self)
        self.filters = InboxFilters(self)
        self.search = InboxSearch(self)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setToolTip("Load the newest activities again (F5)")
        self.mark_all_button = QPushButton("Mark all read…", self)
        self.mark_all_button.setObjectName("markAllRead")
        self.mark_all_button.setToolTip("Mark every activity of the chosen type as read")

        self.view = InboxView(self)
        self.view.setModel(self.model)
        self.list_empty = EmptyState("No activities", "", self)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.view)
        self.list_stack.addWidget(self.list_empty)
        self.details = InboxDetails(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("inboxSplitter")
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([760, 480])
        self.status_label = QLabel(self)
        self.status_label.setObjectName("inboxStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        # The list asks for only a few pages unasked; when those showed nothing, an empty
        # view cannot be scrolled to ask for more, so this asks instead.
        self.more_button = QPushButton("Look further", self)
        self.more_button.setObjectName("inboxLookFurther")
        self.more_button.setToolTip("Load the next pages of the list")
        keep_place = self.more_button.sizePolicy()
        # Showing it must not resize the list: a resized empty view asks for more itself.
        keep_place.setRetainSizeWhenHidden(True)
        self.more_button.setSizePolicy(keep_place)
        self.more_button.hide()

        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.filters, 1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.mark_all_button)
        layout.addLayout(bar)
        quick = QHBoxLayout()
        quick.addWidget(self.search.edit, 1)
        quick.addWidget(self.filters.unread_check)
        layout.addLayout(quick)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.filters.note)
        status_bar = QHBoxLayout()
        status_bar.addWidget(self.status_label, 1)
        status_bar.addWidget(self.more_button)
        layout.addLayout(status_bar)
        self.unconfigured = EmptyState(
            "Activity inbox",
            "No activity-log server is set up. Add one in File > Connections… (Ctrl+,), "
            "or open the demo data.",
            self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(content)
        self.stack.addWidget(self.unconfigured)
        outer = QVBoxLayout(self)
        outer.addWidget(self.banner)
        outer.addWidget(self.notice)
        outer.addWidget(self.stack, 1)

        self.refresh_action = QAction("Refresh", self)
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Refresh)
        f5 = QKeySequence("F5")
        self.refresh_action.setShortcuts(keys if f5 in keys else [f5, *keys])
        self.refresh_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.refresh_action)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(refresh_seconds(self.settings) * 1000)
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_DELAY_MS)
        self.saved_copy = SavedCopyOffer(self.banner, "Show the list saved for these filters")
        self.saved_copy_button = self.saved_copy.button

    def _connect(self) -> None:
        self.filters.queryChanged.connect(self._query_changed)
        self.filters.unreadOnlyChanged.connect(self._unread_only_changed)
        self.search.changed.connect(self._search_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.more_button.clicked.connect(self._look_further)
        self.refresh_action.triggered.connect(self.refresh)
        self.mark_all_button.clicked.connect(self._mark_all_clicked)
        self.banner.actionTriggered.connect(self._retry_clicked)
        self.saved_copy.accepted.connect(self.open_snapshot)
        self.save_timer.timeout.connect(self._save_loaded)
        self.notice.actionTriggered.connect(self.refresh)
        self.refresh_timer.timeout.connect(self._tick)
        self.model.pageLoaded.connect(self._page_loaded)
        self.model.loadFailed.connect(self._page_failed)
        self.model.loadingChanged.connect(self._update_status)
        self.model.pagingEnded.connect(self._paging_ended)
        self.model.dataChanged.connect(self._rows_changed)
        self.view.clicked.connect(self._row_clicked)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.mark_read_action.triggered.connect(self.mark_selected_read)
        self.view.mark_unread_action.triggered.connect(self.mark_selected_unread)
        self.view.toggle_read_action.triggered.connect(self.toggle_selected)
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
        self._restoring_selection = True
        try:
            self.view.select_uuids(uuids, current)
        finally:
            self._restoring_selection = False

    @Slot(int, bool)
    def _page_loaded(self, _count: int, replaced: bool) -> None:
        self._succeeded("page")
        if replaced:
            self.snapshot = None  # live pages again (or a saved copy, which sets it after)
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
            more=model.canFetchMore(),
        )
        text = status_text(state)
        if model.loading:
            text += " · loading…"
        elif model.paging_end is not None:
            text += " · " + model.paging_end.message
        self.status_label.setText(text)
        idle = state.shown == 0 and not model.loading
        self.more_button.setVisible(idle and state.more)
        # An empty view that can fetch stays, so scrolling can ask; a search says why.
        empty = idle and not model.failed and (not state.more or bool(state.search))
        if empty:
            title, words = empty_text(state)
            self.list_empty.title.setText(title)
            self.list_empty.text.setText(words)
        self.list_stack.setCurrentWidget(self.list_empty if empty else self.view)

    # -- reading ------------------------------------------------------------------------

    @Slot(QModelIndex)
    def _row_clicked(self, index: QModelIndex) -> None:
        modifiers = QApplication.keyboardModifiers()
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            return  # extending the selection, not opening
        activity = self.model.activity(index.row())
        if activity is not None and not activity.is_read:
            self.marker.mark([activity.uuid], True)

    @Slot()
    def mark_selected_read(self) -> None:
        self.marker.mark(self.view.selected_uuids(), True)

    @Slot()
    def mark_selected_unread(self) -> None:
        self.marker.mark(self.view.selected_uuids(), False)

    @Slot()
    def toggle_selected(self) -> None:
        self.marker.toggle(self.view.selected_uuids())

    def confirm(self, question: str) -> bool:
        """Ask before a change that cannot be undone in one step. Tests replace this."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        box = QMessageBox(QMessageBox.Icon.Question, "Mark all read", question, buttons, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the question quotes server type names
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.exec()
        clicked = box.clickedButton()
        yes = clicked is not None and box.standardButton(clicked) == QMessageBox.StandardButton.Yes
        box.deleteLater()
        return yes

    @Slot()
    def _mark_all_clicked(self) -> None:
        self.mark_all_read()

    def mark_all_read(self, confirm: Callable[[str], bool] | None = None) -> bool:
        """Mark every activity of the chosen type (and subtype) read, once confirmed."""
        type_name = self.filters.type_name()
        question = mark_all_question(type_name, self.filters.subtype_text())
        if not (confirm or self.confirm)(question):
            return False
        names = [t.name for t in self.filters.types()]
        if self.counts is not None:
            names += list(self.counts.types)
        self.marker.mark_all_read(
            type_name,
            self.filters.subtype_key(),
            self.filters.subtype_name(),
            all_types=names,
        )
        return True

    @Slot(object, str, object)
    def _mark_failed(self, error: ApiError, what: str, retry: Callable[[], None]) -> None:
        self._show_error(error, retry, "mark", lead=what)

    # -- details ------------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()
        activity = self.model.activity(current.row()) if current.isValid() else None
        if (
            activity is not None
            and not activity.is_read
            and not self._restoring_selection
            and mark_read_on_select(self.settings)
        ):
            self.marker.mark([activity.uuid], True)

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
        text += self.saved_copy.offer(self._saved_copy_for(error))
        self.banner.show_message(error.title, text, kind="error", action="Retry")
        self.statusMessage.emit(error.title)

    def _succeeded(self, source: str) -> None:
        self._auth_failed = False
        if self._error_source == source:
            self._error_source = None
            self._retry = None
            self.banner.hide()

    # -- saved copies -------------------------------------------------------------------

    def _query_dict(self) -> dict:
        return dataclasses.asdict(self.model.query)

    @Slot()
    def _save_loaded(self) -> None:
        """Keep the loaded activities of the current filters, for when the server is away."""
        store, server = self.snapshots, server_of(self.connections, ACTIVITY_SERVICE)
        if self._closed or store is None or server is None or self.snapshot is not None:
            return
        model = self.model
        activities = [model.activity(row) for row in range(model.rowCount())]
        payload = msgspec.json.encode([a for a in activities if a is not None])
        query = self._query_dict()
        self.runner.run(
            lambda _cancel, _progress: save_activities(store, server, query, payload),
            on_success=lambda _snapshot: None,  # only read when the server is away
            on_error=lambda error: self.statusMessage.emit(error.message),
            key="inbox-save",
        )

    def _saved_copy_for(self, error: ApiError) -> Snapshot | None:
        """The saved list of the current filters, when the server could not be reached."""
        store = self.snapshots
        if not isinstance(error, NetworkError) or store is None or self.snapshot is not None:
            return None
        server = server_of(self.connections, ACTIVITY_SERVICE)
        if server is None:
            return None
        return store.latest_for(server, self._query_dict(), ACTIVITY)

    @Slot(object)
    def open_snapshot(self, snapshot: Snapshot) -> None:
        """Show a saved copy of the list instead of the server's; Refresh goes back."""
        store = self.snapshots
        if store is None or self._closed:
            return
        self.runner.run(
            lambda _cancel, _progress: load_activities(store, snapshot),
            on_success=lambda activities: self._show_saved(snapshot, activities),
            on_error=lambda error: self.banner.show_message(error.title, error.message),
            key="inbox-saved-copy",
        )

    def _show_saved(self, snapshot: Snapshot, activities: list) -> None:
        self.stack.setCurrentIndex(0)
        self.model.show_saved(activities)  # no further pages: they would be the live list's
        self.snapshot = snapshot
        self.save_timer.stop()
        self._retry, self._error_source = self.refresh, "page"
        self.saved_copy.withdraw()
        self.banner.show_message(
            "Offline",
            f"{offline_text(snapshot)}: {plural(len(activities), 'activity')}. Retry loads "
            "the current list.",
            kind="warning",
            action="Retry",
        )
        self.status_label.setText(
            f"{offline_text(snapshot)} · {plural(len(activities), 'activity')}"
        )

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
        self.runner.shutdown()
