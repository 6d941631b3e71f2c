"""What the pathway tab says about a fetch: the job run in a worker, its progress bar, the
status line of the answer shown, and the banner over a saved copy.

Kept apart from the tab's wiring (``tab``) so the words can be read, and changed, in one
place: "Offline" only for a copy shown because the server could not be reached.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtWidgets import QProgressBar

from viewer.api.pathway import PathwayQuery
from viewer.connections import Connections
from viewer.formats import plural
from viewer.jobs import CancelToken, Progress
from viewer.pathway.data import PathwayData
from viewer.pathway.fetch import FetchProgress, fetch_pathway_data
from viewer.pathway.saved import PathwayKeeper
from viewer.snapshots import Snapshot, SnapshotStore
from viewer.widgets.saved_copy import saved_copy_text

if TYPE_CHECKING:
    from viewer.pathway.fold_helper import FoldHelper


def fetch_job(
    connections: Connections,
    query: PathwayQuery,
    box: FetchProgress,
    store: SnapshotStore | None,
    cancel: CancelToken,
    progress: Progress,
    helper: FoldHelper | None = None,
) -> tuple[PathwayData, PathwayKeeper | None]:
    """Runs in a worker thread: fetch, decode and index; touches no widget.

    Returns the data, and what keeps its saved copy when a store is given: the copy is put
    in place in a thread of its own, and ``save_job`` waits for it once the tree shows.
    With ``helper`` a large answer is folded in two processes.
    """
    client = connections.pathway_client()

    def report(phase: str, done: int, total: int | None) -> None:
        box(phase, done, total)
        progress(done, total)

    keeper = None if store is None else PathwayKeeper(store, client.base_url, query, later=True)
    share = None if helper is None else helper.share
    data = fetch_pathway_data(client, query, cancel, report, keeper, share)
    if keeper is not None:
        keeper.count(data)
        keeper.save_soon(data)  # kept even if this answer is dropped
    return data, keeper


def save_job(
    keeper: PathwayKeeper, data: PathwayData, _cancel: CancelToken, _progress: Progress
) -> tuple[Snapshot | None, str | None]:
    """Runs in a worker thread after ``fetch_job``: wait until the answer's copy and its
    summary are in place. Not cancelled: a copy being written is finished, so that closing
    the window right after a fetch still keeps it.

    Returns the copy, and why none was saved when one should have been.
    """
    keeper.wait()
    return keeper.snapshot, keeper.error


def megabytes(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"


def show_progress(bar: QProgressBar, state: tuple[str, int, int | None]) -> None:
    """Put a fetch's latest ``(phase, done, total)`` on ``bar``, in words."""
    phase, done, total = state
    if phase == "download":
        if total:
            bar.setRange(0, 1000)
            bar.setValue(min(1000, done * 1000 // total))
            bar.setFormat(f"Received {megabytes(done)} of {megabytes(total)}")
        else:
            bar.setRange(0, 0)
            bar.setFormat(f"Received {megabytes(done)}")
    elif phase == "decode" and total:
        bar.setRange(0, total)
        bar.setValue(done)
        bar.setFormat(f"Reading activity {done:,} of {total:,}")
    elif phase == "open":
        bar.setRange(0, 0)
        bar.setFormat("Reading the answer…")
    elif phase == "index":
        bar.setFormat("Indexing users…")


def status_text(data: PathwayData) -> str:
    """The status line of an answer: when, how fast, how big, and how it was filtered."""
    fetched = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(data.fetched_at))
    parts = [f"Fetched {fetched}"]
    if data.response_time is not None:
        parts.append(f"server {data.response_time:.2f} s")
    if data.hash:
        parts.append(f"hash {data.hash[:12]}")
    parts += [
        plural(len(data.activities), "activity"),
        plural(len(data.users), "user"),
        plural(data.log_count, "log"),
        megabytes(data.response_size),
    ]
    if data.query is not None and data.query.describe() != data.query.pathway:
        parts.append(f"filtered: {data.query.describe()}")
    return " · ".join(parts)


def saved_copy_status(snapshot: Snapshot, data: PathwayData, *, offline: bool) -> str:
    return f"{saved_copy_text(snapshot, offline=offline)} · {status_text(data)}"


class BannerMessage(NamedTuple):
    title: str
    text: str
    kind: str
    action: str


def saved_copy_banner(snapshot: Snapshot, *, offline: bool) -> BannerMessage:
    """The banner over a saved copy: a warning with Retry when the server could not be
    reached, a note with Fetch when the copy was opened by choice."""
    when = f"{snapshot.age()} ({snapshot.fetched_utc})"
    if offline:
        return BannerMessage(
            "Offline",
            f"Showing the copy saved {when}. The server could not be reached; Retry fetches "
            "the current data.",
            "warning",
            "Retry",
        )
    return BannerMessage(
        "Saved copy",
        f"This is the copy saved {when}. Fetch loads the current data, with the filters "
        "checked on the left.",
        "info",
        "Fetch",
    )
