"""Saved copies of pathway answers: kept while an answer is decoded, read back when offline.

Everything here runs in worker threads and touches no widget.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from viewer.api.pathway import PathwayHead, PathwayQuery
from viewer.jobs import CancelToken
from viewer.pathway.catalogue import Catalogue, CatalogueError, Summary
from viewer.pathway.data import PathwayData
from viewer.pathway.diff import PathwayDiff, diff_pathways
from viewer.pathway.fetch import build_pathway_data
from viewer.snapshots import (
    PATHWAY,
    PendingSnapshot,
    SavedCopyError,
    Snapshot,
    SnapshotError,
    SnapshotStore,
)

log = logging.getLogger(__name__)


class PathwayKeeper:
    """Saves a pathway answer while it is decoded: ``fetch_pathway_data``'s ``keep`` hook.

    Fed the answer as it is read (``begin`` and ``feed``, a ``BodyCopy``), it compresses it
    meanwhile. Otherwise compression starts when the answer has arrived and runs beside the
    decoding (or, with ``later``, once it has decoded). The file is put in place only once
    the answer decoded well. A failure to save is logged and kept in ``error``; it never
    fails the fetch.
    """

    def __init__(
        self, store: SnapshotStore, server: str, query: PathwayQuery, *, later: bool = False
    ) -> None:
        self.store = store
        self.server = server
        self.query = query
        #: Put the copy in place with ``save``, once the tree shows: the window's way. An
        #: answer handed over whole is then compressed only once it has decoded, so as not
        #: to compete with the decoding for the second core (a helper process folds there);
        #: one fed as it is read is compressed during the download, which leaves it idle.
        self.later = later
        self._body: bytes | bytearray | None = None
        self._arrived = 0.0
        self._head: PathwayHead | None = None
        self._summary: Summary | None = None
        self._saving: threading.Thread | None = None
        self.snapshot: Snapshot | None = None
        self.error: str | None = None
        #: Why the copy's summary is missing from the progress history, if it is.
        self.catalogue_error: str | None = None
        self._pending: PendingSnapshot | None = None
        self._lock = threading.Lock()
        #: Whether the answer was fed as it was read: the keeper then never needs it whole.
        self.streamed = False

    def begin(self) -> None:
        """An answer begins to arrive (again, for a retried request): keep it as it comes."""
        self.abandon()
        self.streamed = True
        self.error = None
        try:
            self._pending = self.store.start(
                None, server=self.server, service=PATHWAY, query=self.query.body()
            )
        except SnapshotError as exc:
            self._failed(exc)

    def feed(self, piece: bytes) -> None:
        if self._pending is not None:
            self._pending.feed(piece)

    def abandon(self) -> None:
        """The answer fed so far will not come whole: nothing of it is kept."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.discard()

    def __call__(self, body: bytes | bytearray) -> Callable[[PathwayHead | None], None]:
        if self.streamed:  # compressed as it came: nothing more to do until it has decoded
            if self.later:
                # The compression may still be behind: it ends when the copy is put in
                # place, not here, on the way to the tree.
                return self._decoded
            if self._pending is not None:
                self._pending.fed()  # and zstd's thread ends (the command forks next)
            return self._finish
        if self.later:
            self._body, self._arrived = body, time.time()
            return self._decoded
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

    def _decoded(self, head: PathwayHead | None) -> None:
        body, self._body = self._body, None
        if head is None:
            self.abandon()
            return
        if self._pending is not None:  # fed as it came, and compressed already
            self._head = head
            return
        if body is None:
            return
        try:
            self._pending = self.store.start(
                body,
                server=self.server,
                service=PATHWAY,
                query=self.query.body(),
                fetched_at=self._arrived,
            )
        except SnapshotError as exc:
            self._failed(exc)
            return
        self._head = head

    def count(self, data: PathwayData) -> None:
        """Count the copy's summary for the history now (in the worker, before the tree
        shows): counting holds the GIL in long C calls, which a later thread would take
        from the window while it is first used (a search took three times as long)."""
        if self._head is not None:
            self._summary = Catalogue.summarise(data)

    def save(self, data: PathwayData) -> None:
        """Put in place the copy begun once the answer decoded (``later``), and add its
        summary to the progress history. Failures are kept as ``commit`` and ``record``
        keep them."""
        head, self._head = self._head, None
        if head is not None:
            self._finish(head)
        self.record(data)

    def save_soon(self, data: PathwayData) -> None:
        """``save`` in a thread of its own, so the copy is kept even when nobody waits for
        it (a fetch cancelled or replaced once its answer decoded); ``wait`` for it."""
        self._saving = threading.Thread(target=self._save, args=(data,), name="snapshot-save")
        self._saving.start()

    def _save(self, data: PathwayData) -> None:
        try:
            self.save(data)
        except Exception as exc:  # a bug: the tab says this copy was not kept, and why
            log.exception("The saved copy could not be written")
            self.error = (
                f"An unexpected error stopped the saving ({type(exc).__name__}: {exc}). "
                "Fetch again to keep a copy; if it happens again, report it with the log."
            )

    def wait(self) -> None:
        """Until ``save_soon``'s copy is in place (or has failed)."""
        if self._saving is not None:
            self._saving.join()

    def record(self, data: PathwayData) -> None:
        """Add the saved copy's summary to the progress history beside the store.

        A failure is logged and kept in ``catalogue_error``; it never fails the fetch.
        """
        if self.snapshot is None:
            return
        summary, self._summary = self._summary, None
        try:
            Catalogue.beside(self.store).record(self.snapshot, data, summary)
        except CatalogueError as exc:
            self.catalogue_error = str(exc)
            log.warning("Not in the progress history: %s", exc)

    def _failed(self, exc: SnapshotError) -> None:
        self.error = str(exc)
        log.warning("No saved copy: %s", exc)


def query_of(snapshot: Snapshot) -> PathwayQuery:
    """The query a saved copy answered."""
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
    data = build_pathway_data(body, query=query, cancel=cancel, release=True)
    data.fetched_at = snapshot.fetched_at
    return data


def compare_with_saved(
    store: SnapshotStore, earlier: Snapshot, current: PathwayData, cancel: CancelToken
) -> PathwayDiff:
    """What changed from a saved copy to ``current`` (in a worker thread)."""
    before = load_pathway_snapshot(store, earlier, cancel)
    cancel.raise_if_cancelled()
    return diff_pathways(before, current)
