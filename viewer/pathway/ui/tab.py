"""The pathway-logs tab: pick a pathway, see who has done what, narrow it down, look closer.

This module wires the parts together: the pathway field (``pathway_input``), the filter
lists (``filters``), the views (``views``), the details pane (``details``) and the fetch,
which runs through the ``TaskRunner`` and hands back data prepared off the GUI thread.
What the tab says of a fetch (progress, status line, saved-copy banner) is in
``fetch_status``.
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from viewer.api.errors import ApiError, AuthError, NetworkError
from viewer.api.pathway import PathwayQuery
from viewer.connections import PATHWAY_SERVICE, Connections, server_of
from viewer.pathway.choices import ChoiceMemory
from viewer.pathway.data import ActivityData, PathwayData
from viewer.pathway.fetch import FetchProgress
from viewer.pathway.saved import PathwayKeeper, load_pathway_snapshot
from viewer.pathway.ui import colours
from viewer.pathway.ui.acting import ActingViews
from viewer.pathway.ui.changes import ChangesPanel
from viewer.pathway.ui.details import DetailsPane
from viewer.pathway.ui.export import PATHWAY_SCOPES, pathway_file_name, pathway_snapshot
from viewer.pathway.ui.fetch_status import (
    fetch_job,
    save_job,
    saved_copy_banner,
    saved_copy_status,
    show_progress,
    status_text,
)
from viewer.pathway.ui.filters import FilterPanel
from viewer.pathway.ui.pathway_input import PathwayInput
from viewer.pathway.ui.saved_views import SavedViewsButton
from viewer.pathway.ui.views import PathwayViews
from viewer.snapshots import PATHWAY, Snapshot, SnapshotStore
from viewer.tasks import TaskRunner
from viewer.widgets.banner import Banner
from viewer.widgets.elided_label import ElidedLabel
from viewer.widgets.empty_state import EmptyState
from viewer.widgets.export_controller import ExportController
from viewer.widgets.first_paint import after_first_paint
from viewer.widgets.saved_copy import SavedCopyOffer
from viewer.widgets.service_tab import ServiceTab

if TYPE_CHECKING:
    from viewer.pathway.fold_helper import FoldHelper

FETCH_KEY = "pathway-fetch"


class PathwayTab(ServiceTab):
    def __init__(
        self,
        connections: Connections,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        snapshots: SnapshotStore | None = None,
        fold_helper: FoldHelper | None = None,
    ) -> None:
        """With ``fold_helper`` large answers are folded in two processes (its owner
        starts and closes it)."""
        super().__init__(connections, settings, "pathwayTab", parent)
        self.fold_helper = fold_helper
        self.runner = TaskRunner(self)
        self.data: PathwayData | None = None
        #: Where every fetched answer is kept (none: nothing is saved).
        self.snapshots = snapshots
        #: The saved copy of the shown data, and whether it is shown because of no network.
        self.snapshot: Snapshot | None = None
        self.offline = False
        #: The banner's button fetches what the lists say (a saved copy's "Fetch") instead of
        #: repeating the last request (an error's "Retry").
        self._banner_fetches = False
        self._choices = ChoiceMemory()
        #: The answer the filter lists offer the values of.
        self._choices_of: PathwayData | None = None
        self._last_query: PathwayQuery | None = None
        self._progress_box = FetchProgress()
        self._fetch_started = 0.0
        self._saves = 0  # copies of fetched answers being put in place
        self._build()
        self._connect()
        self.exporter = ExportController(
            self,
            self.runner,
            PATHWAY_SCOPES,
            lambda scope: pathway_snapshot(
                self.data, self.views.tree_model, self.views.matrix_model, scope, self.acting
            ),
            status=self.statusMessage.emit,
            default_name=lambda: pathway_file_name(self.data),
            settings=self.settings,
        )
        self._restore()
        # Once the tab is on screen, what its first tree of logs would set up on painting.
        after_first_paint(self, colours.warm)

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.views = PathwayViews(self)
        self.pathway_input = PathwayInput(self.settings, self)
        self.fetch_button = QPushButton("Fetch", self)
        self.fetch_button.setObjectName("fetchButton")
        self.fetch_button.setToolTip("Fetch the pathway with the checked filters (Enter, F5)")
        self.fetch_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setToolTip("Stop the running fetch (Esc)")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("fetchProgress")
        self.progress.setMinimumWidth(150)
        self.progress.setMaximumWidth(280)
        self.progress.setTextVisible(True)
        self.progress.hide()
        label = QLabel("Pathway:", self)
        label.setBuddy(self.pathway_input)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.pathway_input, 3)
        top.addWidget(self.fetch_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.progress)
        top.addSpacing(12)
        top.addWidget(self.views.search_edit, 2)
        QWidget.setTabOrder(self.fetch_button, self.views.search_edit)  # as laid out

        self.banner = Banner(self)
        self.filters = FilterPanel(self)
        self.saved_views = SavedViewsButton(
            self.settings, self.filters, self.views, self.pathway_input.currentText, self
        )
        top.addWidget(self.saved_views)
        self.details = DetailsPane(self)
        if self.connections.is_configured(PATHWAY_SERVICE):
            message = "Enter a pathway's name or ID and press Fetch to see its logs."
        else:
            message = (
                "No pathway-logs server is set up. Add one in File > Connections… (Ctrl+,), "
                "or open the demo data."
            )
        self.empty_state = EmptyState("Pathway logs", message, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(self.views)
        self.changes = ChangesPanel(self.runner, self)
        self.views.addTab(self.changes, "Changes")
        self.acting = ActingViews(
            self.runner, self.views, status=self.statusMessage.emit, export=self._export_scope
        )
        self.saved_copy = SavedCopyOffer(
            self.banner, "Show the last answer saved for this pathway and filters"
        )
        self.saved_copy_button = self.saved_copy.button

        filter_pane = QWidget(self)
        filter_pane.setObjectName("pathwayFilterPane")
        filter_layout = QVBoxLayout(filter_pane)
        filter_layout.setContentsMargins(0, 0, 0, 0)
        filter_layout.addWidget(self.filters, 1)
        filter_layout.addWidget(self.filters.note)
        # The views take most of what the window gains or loses; no pane shrinks below what
        # its controls need.
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("pathwaySplitter")
        self.splitter.addWidget(filter_pane)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.details)
        for position, stretch in enumerate((1, 6, 1)):
            self.splitter.setStretchFactor(position, stretch)
        #: Whether the panes have their first sizes (from the settings, or for the width).
        self._splitter_placed = False
        self.splitter.setChildrenCollapsible(False)

        self.status = ElidedLabel("Nothing fetched yet", self)
        self.status.setObjectName("pathwayStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._splitter_placed and self.isVisible() and self.splitter.width() > 0:
            self._splitter_placed = True
            width = self.splitter.width()
            # The side panes grow slowly with the window; the views get the rest. The details
            # pane shows two columns (field and value), the filters one: it gets more.
            filters, details = 140 + width * 5 // 100, 80 + width * 17 // 100
            self.splitter.setSizes([filters, width - filters - details, details])

    def _connect(self) -> None:
        self.fetch_button.clicked.connect(self.fetch)
        self.cancel_button.clicked.connect(self.cancel)
        self.pathway_input.lineEdit().returnPressed.connect(self.fetch)
        self.banner.actionTriggered.connect(self._banner_action)
        self.saved_copy.accepted.connect(self.show_saved_copy)
        self.changes.statusMessage.connect(self.statusMessage)
        self.filters.changed.connect(self._save_filters)
        self.saved_views.recalled.connect(self._view_recalled)
        self.views.itemSelected.connect(self._show_details)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, slot, what in (
            (QKeySequence(Qt.Key.Key_F5), self.fetch, "Fetch"),
            (QKeySequence(Qt.Key.Key_Escape), self.cancel, "Cancel the fetch"),
            (QKeySequence("Ctrl+F"), self.views.focus_search, "Search names, e-mails, groups"),
        ):
            shortcut = QShortcut(key, self)
            shortcut.setWhatsThis(what)  # Help > Keyboard shortcuts reads it
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    # -- fetching -------------------------------------------------------------------------

    @Slot()
    def fetch(self) -> None:
        text = self.pathway_input.currentText().strip()
        if not text:
            self.banner.show_message(
                "No pathway chosen", "Enter a pathway's name or ID, then press Fetch.", kind="info"
            )
            self.pathway_input.setFocus()
            return
        self.pathway_input.remember(text)
        self.saved_views.opening()
        self._run(PathwayQuery(text, **self.filters.values()))

    @Slot()
    def _view_recalled(self) -> None:
        """A saved view whose filters differ from those of the data shown fetches again."""
        query = PathwayQuery(self.pathway_input.currentText(), **self.filters.values())
        if self.data is not None and query != self._last_query:
            self.fetch()

    @Slot()
    def retry(self) -> None:
        if self._last_query is not None:
            self._run(self._last_query)
        else:
            self.fetch()

    @Slot()
    def _banner_action(self) -> None:
        if self._banner_fetches:
            self.fetch()
        else:
            self.retry()

    def _run(self, query: PathwayQuery) -> None:
        self._last_query = query
        self._banner_fetches = False
        self.banner.hide()
        self.saved_copy.withdraw()
        box = self._progress_box = FetchProgress()
        self._fetch_started = time.perf_counter()
        self.runner.run(
            partial(
                fetch_job, self.connections, query, box, self.snapshots, helper=self.fold_helper
            ),
            on_success=self._on_fetched_and_saved,
            on_error=self._on_error,
            on_progress=self._on_progress,
            on_cancelled=self._on_cancelled,
            key=FETCH_KEY,
        )
        self._set_busy(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Connecting…")
        self.statusMessage.emit(f"Fetching {query.describe()}…")

    @Slot()
    def cancel(self) -> None:
        if self.runner.is_running(FETCH_KEY):
            # Cancelling reaches a blocked request at once; the tab is idle again when the
            # worker has stopped (``_on_cancelled``), and a late answer is dropped.
            self.runner.cancel(FETCH_KEY)
            self.cancel_button.setEnabled(False)
            self.progress.setRange(0, 0)
            self.progress.setFormat("Cancelling…")

    def _set_busy(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)

    def _on_progress(self, _done: int, _total: int | None) -> None:
        show_progress(self.progress, self._progress_box.state)

    def _on_fetched(self, data: PathwayData) -> None:
        self._set_busy(False)
        self.data = data
        self.views.set_pathway_data(data)
        self.filters.set_applied(data.query)  # the note is right at once
        # The filter lists (100,000 users for the largest answers) are filled once the
        # tree has painted: both at once were the longest pause of a load.
        QTimer.singleShot(0, self._offer_choices)
        self.stack.setCurrentWidget(self.views)
        self._show_details(*self._selected_item())
        name = data.pathway.name or data.pathway.ID or ""
        short = f"{name[:24]}…" if len(name) > 25 else name
        self.titleChanged.emit(f"Pathway logs: {short}" if short else "Pathway logs")
        shown = time.perf_counter() - self._fetch_started
        self.status.setText(f"{status_text(data)} · shown in {shown:.1f} s")
        self.statusMessage.emit("")  # the status line says it all

    def _offer_choices(self) -> None:
        data = self.data
        if data is None or self._choices_of is data:
            return
        self._choices_of = data
        self.filters.set_choices(self._choices.merge(self._server() or "", data))

    def _on_error(self, error: ApiError) -> None:
        self._set_busy(False)
        text = error.message + self.saved_copy.offer(self._saved_copy_for(error))
        self.banner.show_message(error.title, text, action="Retry")
        self.statusMessage.emit(error.title)
        if isinstance(error, AuthError):
            self.credentialsRequested.emit(PATHWAY_SERVICE)

    def _on_cancelled(self) -> None:
        self._set_busy(False)
        self.statusMessage.emit("Fetch cancelled")

    # -- saved copies ---------------------------------------------------------------------

    def _on_fetched_and_saved(self, result: tuple[PathwayData, PathwayKeeper | None]) -> None:
        data, keeper = result
        self.snapshot, self.offline = None, False
        self._on_fetched(data)
        if keeper is None:
            self._compare_later()
            return
        # The copy is put in place after the tree shows; comparisons wait for it.
        self._saves += 1
        self.runner.run(
            partial(save_job, keeper, data),
            on_success=partial(self._on_saved, data),
            on_error=partial(self._on_not_saved, data),
        )

    @property
    def saving(self) -> bool:
        """Whether a fetched answer's copy is still being put in place."""
        return self._saves > 0

    @property
    def settled(self) -> bool:
        """Whether what showing an answer starts is done: its copy is in place (``saving``)
        and the filter lists offer its values (filled an event after the tree)."""
        return not self.saving and (self.data is None or self._choices_of is self.data)

    def _on_saved(self, data: PathwayData, result: tuple[Snapshot | None, str | None]) -> None:
        self._saves -= 1
        if data is not self.data:
            return  # another answer is shown now
        snapshot, unsaved = result
        self.snapshot = snapshot
        if unsaved:
            # The earlier copies stay; the user should know this answer is not among them.
            self.status.setText(f"{self.status.text()} · not saved for offline use")
            self.banner.show_message("Not saved for offline use", unsaved, kind="warning")
        self._compare_later()

    def _on_not_saved(self, data: PathwayData, error: ApiError) -> None:
        self._on_saved(data, (None, error.message))

    def _server(self) -> str | None:
        """The server of the answer on screen."""
        if self.snapshot is not None:
            return self.snapshot.server
        return server_of(self.connections, PATHWAY_SERVICE)

    def _compare_later(self) -> None:
        server = self._server()
        self.changes.set_current(self.data, self.snapshots, server, self.snapshot)
        self.acting.set_current(self.data, self.snapshots, server)

    def _export_scope(self, scope: str) -> None:
        self.exporter.open_dialog(scope)

    def _saved_copy_for(self, error: ApiError) -> Snapshot | None:
        """The latest copy of the failed query, when the server could not be reached."""
        query, store = self._last_query, self.snapshots
        if not isinstance(error, NetworkError) or query is None or store is None:
            return None
        server = server_of(self.connections, PATHWAY_SERVICE)
        return None if server is None else store.latest_for(server, query.body(), PATHWAY)

    @Slot(object)
    def show_saved_copy(self, snapshot: Snapshot) -> None:
        """Show the copy offered after a failed fetch, marked offline."""
        self.open_snapshot(snapshot, offline=True)

    def open_snapshot(self, snapshot: Snapshot, *, offline: bool = False) -> None:
        """Show a saved copy instead of a fresh answer (it is read in the background)."""
        store = self.snapshots
        if store is None:
            return
        self.banner.hide()
        self.saved_copy.withdraw()
        self._banner_fetches = False
        self._fetch_started = time.perf_counter()
        self.runner.run(
            lambda cancel, _progress: load_pathway_snapshot(store, snapshot, cancel),
            on_success=partial(self._on_snapshot_loaded, snapshot, offline),
            on_error=self._on_snapshot_failed,
            on_cancelled=self._on_cancelled,
            key=FETCH_KEY,
        )
        self._set_busy(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Reading the saved copy…")

    def _on_snapshot_loaded(self, snapshot: Snapshot, offline: bool, data: PathwayData) -> None:
        self._last_query = data.query
        if data.query is not None:
            self.pathway_input.setEditText(data.query.pathway)
        self.snapshot, self.offline = snapshot, offline
        self._on_fetched(data)
        self.status.setText(saved_copy_status(snapshot, data, offline=offline))
        message = saved_copy_banner(snapshot, offline=offline)
        self.banner.show_message(
            message.title, message.text, kind=message.kind, action=message.action
        )
        self._banner_fetches = not offline  # "Fetch" asks for what the lists say
        self._compare_later()

    def _on_snapshot_failed(self, error: ApiError) -> None:
        self._set_busy(False)
        self.banner.show_message(error.title, error.message, kind="error")
        self.statusMessage.emit(error.title)

    # -- details --------------------------------------------------------------------------

    def _selected_item(self) -> tuple[str, object, int]:
        return self.views.tree_model.item_at(self.views.tree.currentIndex())

    @Slot(str, object, int)
    def _show_details(self, kind: str, activity: object, row: int) -> None:
        data = self.data
        if data is None or not kind:
            self.details.clear()
        elif kind == "pathway":
            self.details.show_pathway(data)
        elif kind == "activity" and isinstance(activity, ActivityData):
            self.details.show_activity(activity)
        elif kind == "log" and isinstance(activity, ActivityData):
            self.details.show_log(data, activity, row)
        elif kind == "user" and 0 <= row < len(data.users):
            self.details.show_user(data, row)

    # -- remembered between runs ----------------------------------------------------------

    def _restore(self) -> None:
        self.pathway_input.restore(demo=self.connections.demo)
        self.filters.restore(self.settings)
        state = self.settings.value("pathway/splitter")
        if isinstance(state, QByteArray | bytes) and state:
            self._splitter_placed = self.splitter.restoreState(state)
        self.views.restore(self.settings)

    @Slot()
    def _save_filters(self) -> None:
        self.filters.save(self.settings)

    def save_state(self) -> None:
        self.filters.save(self.settings)
        self.settings.setValue("pathway/splitter", self.splitter.saveState())
        self.views.save(self.settings)

    def status_widget(self) -> QWidget:
        return self.status

    def shutdown(self) -> None:
        """Stop background work; called when the window closes."""
        self.save_state()
        self.runner.shutdown()
