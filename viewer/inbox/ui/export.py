"""What the inbox tab exports: the activities on screen, or every one on the server."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from viewer.api.activity import ActivityClient
from viewer.api.activity_types import ActivityType
from viewer.export.scopes import EVERYTHING, SCREEN
from viewer.inbox.ui.model import InboxModel
from viewer.jobs import CancelToken

if TYPE_CHECKING:  # the writers load at the first export, not with the window
    from viewer.export.rows import Prepare, Rows

INBOX_SCOPES = (
    (SCREEN, "The activities on screen (loaded, after the unread filter)"),
    (EVERYTHING, "Every activity on the server matching the type filters"),
)
INBOX_FILE_NAME = "activity-inbox.csv"


def inbox_snapshot(
    model: InboxModel,
    client_factory: Callable[[], ActivityClient],
    scope: str,
    types: list[ActivityType] | None = None,
) -> Prepare | None:
    """In the GUI thread: the rows on screen, or how to walk the server for every one.

    ``types`` (the server's, as the filters have them) name the subtypes; without them the
    walk asks the server.
    """
    from viewer.export.inbox_csv import INBOX_COLUMNS, inbox_row, subtype_index
    from viewer.export.rows import ListRows, WalkRows

    subtypes = subtype_index(types) if types else None
    if scope == SCREEN:
        made = [
            inbox_row(activity, subtypes)
            for row in range(model.rowCount())
            if (activity := model.activity(row)) is not None
        ]
        return lambda _cancel: ListRows(INBOX_COLUMNS, made)
    query = model.query
    total = model.total or 0

    def prepare(cancel: CancelToken) -> Rows:
        return WalkRows(
            client_factory(),
            (query.type,) if query.type else (),
            query.subtype or None,
            query.reference_uuid or None,
            cancel,
            total,
            subtypes=subtypes,
        )

    return prepare
