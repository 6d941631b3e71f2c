"""Saved copies in the tabs: keeping each fetched answer, and showing one when offline.

The jobs here run in worker threads and touch no widget.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import msgspec

from viewer.api.activity_types import Activity
from viewer.api.errors import ApiError, InvalidUrlError
from viewer.api.http import CancelToken, normalize_base_url
from viewer.api.pathway import PathwayHead, PathwayQuery
from viewer.connections import Connections
from viewer.pathway.data import PathwayData, build_pathway_data
from viewer.snapshots import (
    ACTIVITY,
    PATHWAY,
    PendingSnapshot,
    Snapshot,
    SnapshotError,
    SnapshotStore,
)

log = logging.getLogger(__name__)

SHOW_SAVED_COPY = "Show saved copy"


class SavedCopyError(ApiError):
    """A saved copy could not be read."""

    title = "Saved copy unreadable"


def server_of(connections: Connections, service: str) -> str | None:
    """The normalised base URL of ``service``, or ``None`` when none is set."""
    config = connections.config(service)
    if config is None or not config.base_url:
        return None
    try:
        return normalize_base_url(config.base_url)
    except InvalidUrlError:
        return None


def offline_text(snapshot: Snapshot) -> str:
    return f"Offline — saved copy from {snapshot.age()} ({snapshot.fetched_utc})"


class PathwayKeeper:
    """Saves a pathway answer while it is decoded: ``fetch_pathway_data``'s ``keep`` hook.

    Compression starts when the answer has arrived and runs beside the decoding; the file
    is put in place only once the answer decoded well. A failure to save is logged and kept
    in ``error``; it never fails the fetch.
    """

    def __init__(self, store: SnapshotStore, server: str, query: PathwayQuery) -> None:
        self.store = store
        self.server = server
        self.query = query
        self.snapshot: Snapshot | None = None
        self.error: str | None = None
        self._pending: PendingSnapshot | None = None
        self._lock = threading.Lock()

    def __call__(self, body: bytes | bytearray) -> Callable[[PathwayHead | None], None]:
        try:
            self._pending = self.store.start(
                body, server=self.server, service=PATHWAY, query=self.query.body()
            )
        except SnapshotError as exc:
            self._failed(exc)
        return self._finish

    def _finish(self, head: PathwayHead | None) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        if head is None:
            pending.discard()
            return
        try:
            self.snapshot = pending.commit(
                hash=head.hash, title=head.pathway.name or head.pathway.ID or ""
            )
        except SnapshotError as exc:
            self._failed(exc)

    def _failed(self, exc: SnapshotError) -> None:
        self.error = str(exc)
        log.warning("No saved copy: %s", exc)


def query_of(snapshot: Snapshot) -> PathwayQuery:
    query: dict[str, Any] = dict(snapshot.query)
    try:
        return PathwayQuery(**query)
    except TypeError:
        raise SavedCopyError(
            f"The saved copy {snapshot.path.name} describes its query in an unknown way."
        ) from None


def load_pathway_snapshot(
    store: SnapshotStore, snapshot: Snapshot, cancel: CancelToken | None = None
) -> PathwayData:
    """Read and prepare a saved pathway answer (in a worker thread)."""
    query = query_of(snapshot)
    try:
        body = store.load(snapshot)
    except SnapshotError as exc:
        raise SavedCopyError(str(exc)) from None
    if cancel is not None:
        cancel.raise_if_cancelled()
    data = build_pathway_data(body, query=query, cancel=cancel)
    data.fetched_at = snapshot.fetched_at
    return data


def save_activities(
    store: SnapshotStore, server: str, query: dict[str, Any], payload: bytes
) -> Snapshot:
    """Keep the inbox's loaded activities for ``query``, replacing the older copy of it."""
    try:
        snapshot = store.save(payload, server=server, service=ACTIVITY, query=query)
    except SnapshotError as exc:
        raise SavedCopyError(str(exc)) from None
    for older in store.for_query(server, query, ACTIVITY):
        if older.id != snapshot.id:
            store.delete(older)
    return snapshot


def load_activities(store: SnapshotStore, snapshot: Snapshot) -> list[Activity]:
    """The activities of a saved inbox copy (in a worker thread)."""
    try:
        return msgspec.json.decode(store.load(snapshot), type=list[Activity])
    except SnapshotError as exc:
        raise SavedCopyError(str(exc)) from None
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise SavedCopyError(
            f"The saved copy {snapshot.path.name} does not hold a list of activities."
        ) from None
