"""Saved copies of the inbox: the loaded activities of one query, for when the server is away.

Both functions run in worker threads.
"""

from __future__ import annotations

from typing import Any

import msgspec

from viewer.api.activity_types import Activity
from viewer.snapshots import ACTIVITY, SavedCopyError, Snapshot, SnapshotError, SnapshotStore


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
    """The activities of a saved inbox copy."""
    try:
        return msgspec.json.decode(store.load(snapshot), type=list[Activity])
    except SnapshotError as exc:
        raise SavedCopyError(str(exc)) from None
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise SavedCopyError(
            f"The saved copy {snapshot.path.name} does not hold a list of activities."
        ) from None
