"""Saved copies of the inbox list: kept after pages load, found again when the server is
away, and read back for the tab to show. Saving and reading run in the tab's runner."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import msgspec
from PySide6.QtCore import QObject, Signal, Slot

from viewer.api.errors import ApiError, NetworkError
from viewer.connections import ACTIVITY_SERVICE, Connections, server_of
from viewer.inbox.saved import load_activities, save_activities
from viewer.inbox.ui.model import InboxModel
from viewer.snapshots import ACTIVITY, Snapshot, SnapshotStore
from viewer.tasks import TaskRunner


class InboxCopies(QObject):
    """``store`` None: nothing is saved or offered. ``live`` says whether the list shows the
    server's pages (a saved copy shown is never saved again)."""

    #: A saved copy was read: the ``Snapshot``, its activities, and whether it is shown
    #: because the server could not be reached (not opened by choice).
    loaded = Signal(object, object, bool)
    #: Reading a saved copy failed (an ``ApiError``).
    failed = Signal(object)
    statusMessage = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        model: InboxModel,
        connections: Connections,
        store: SnapshotStore | None,
        live: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner, self._model, self._connections = runner, model, connections
        self.store = store
        self._live = live
        self.closed = False

    def _query(self) -> dict[str, Any]:
        return dataclasses.asdict(self._model.query)

    @Slot()
    def save_loaded(self) -> None:
        """Keep the loaded activities of the current filters, for when the server is away."""
        store, server = self.store, server_of(self._connections, ACTIVITY_SERVICE)
        if self.closed or store is None or server is None or not self._live():
            return
        model = self._model
        activities = [model.activity(row) for row in range(model.rowCount())]
        payload = msgspec.json.encode([a for a in activities if a is not None])
        query = self._query()
        self._runner.run(
            lambda _cancel, _progress: save_activities(store, server, query, payload),
            on_success=lambda _snapshot: None,  # only read when the server is away
            on_error=lambda error: self.statusMessage.emit(error.message),
            key="inbox-save",
        )

    def copy_for(self, error: ApiError) -> Snapshot | None:
        """The saved list of the current filters, when the server could not be reached."""
        store = self.store
        if not isinstance(error, NetworkError) or store is None or not self._live():
            return None
        server = server_of(self._connections, ACTIVITY_SERVICE)
        if server is None:
            return None
        return store.latest_for(server, self._query(), ACTIVITY)

    def open(self, snapshot: Snapshot, *, offline: bool = False) -> None:
        """Read ``snapshot`` in the background; ``loaded`` or ``failed`` tells."""
        store = self.store
        if store is None or self.closed:
            return
        self._runner.run(
            lambda _cancel, _progress: load_activities(store, snapshot),
            on_success=lambda activities: self.loaded.emit(snapshot, activities, offline),
            on_error=self.failed.emit,
            key="inbox-saved-copy",
        )
