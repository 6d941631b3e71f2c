"""What each tab can export, snapshotted in the GUI thread for a worker to write.

The snapshot copies only what may change while the worker runs (which rows are on screen,
the inbox's read marks); the pathway data itself is never changed once prepared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from viewer.api.activity import ActivityClient
from viewer.api.http import CancelToken
from viewer.export.inbox_csv import INBOX_COLUMNS, inbox_row, inbox_rows
from viewer.export.matrix_csv import MatrixExport
from viewer.export.pathway_csv import DataExport
from viewer.pathway.data import STATE_LABELS, PathwayData
from viewer.pathway.ui.matrix_model import PathwayMatrixModel
from viewer.pathway.ui.tree_model import PathwayTreeModel
from viewer.widgets.export_controller import ExportController, Prepare, Rows

SCREEN, EVERYTHING, MATRIX = "screen", "all", "matrix"

PATHWAY_SCOPES = (
    (SCREEN, "The logs on screen (after the filters and the quick search)"),
    (EVERYTHING, "Every log fetched"),
    (MATRIX, "The by-user matrix, as on screen"),
)
INBOX_SCOPES = (
    (SCREEN, "The activities on screen (loaded, after the unread filter)"),
    (EVERYTHING, "Every activity on the server matching the type filters"),
)


def pathway_snapshot(
    data: PathwayData | None,
    tree: PathwayTreeModel,
    matrix: PathwayMatrixModel,
    scope: str,
) -> Prepare | None:
    if data is None:
        return None
    if scope == MATRIX:
        users = matrix.visible_users()
        return lambda _cancel: MatrixExport(data, users, STATE_LABELS)
    selection = tree.visible_selection() if scope == SCREEN else None
    return lambda _cancel: DataExport(data, selection)


def pathway_file_name(data: PathwayData | None) -> str:
    name = (data.pathway.name or data.pathway.ID or "pathway") if data is not None else "pathway"
    return _safe_name(name) + ".csv"


@dataclass
class ListRows:
    """Rows already made in the GUI thread."""

    header: Sequence[str]
    made: list[list[Any]]

    @property
    def log_count(self) -> int:
        return len(self.made)

    def rows(self) -> Iterator[list[Any]]:
        return iter(self.made)


@dataclass
class WalkRows:
    """Every activity of the server matching the filters, fetched while being written."""

    client: ActivityClient
    types: tuple[str, ...]
    subtype: str | None
    reference_uuid: str | None
    cancel: CancelToken
    total: int = 0
    header: Sequence[str] = INBOX_COLUMNS

    @property
    def log_count(self) -> int:
        return self.total

    def rows(self) -> Iterator[list[Any]]:
        return inbox_rows(
            self.client.walk(
                types=self.types,
                subtype=self.subtype,
                reference_uuid=self.reference_uuid,
                cancel=self.cancel,
            )
        )


def inbox_snapshot(
    model: Any, client_factory: Callable[[], ActivityClient], scope: str
) -> Prepare | None:
    """``model`` is the tab's ``InboxModel``."""
    if scope == SCREEN:
        made = [inbox_row(model.activity(row)) for row in range(model.rowCount())]
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
        )

    return prepare


def _safe_name(name: str) -> str:
    kept = "".join(ch if ch.isalnum() or ch in " -_.()" else "_" for ch in name).strip(" .")
    return kept[:80] or "export"


def pathway_exporter(tab: Any) -> ExportController:
    """The export action of a ``PathwayTab``."""
    views = tab.views
    return ExportController(
        tab,
        tab.runner,
        PATHWAY_SCOPES,
        lambda scope: pathway_snapshot(tab.data, views.tree_model, views.matrix_model, scope),
        status=tab.statusMessage.emit,
        default_name=lambda: pathway_file_name(tab.data),
        settings=tab.settings,
    )


def inbox_exporter(tab: Any) -> ExportController:
    """The export action of an ``InboxTab``."""
    return ExportController(
        tab,
        tab.runner,
        INBOX_SCOPES,
        lambda scope: inbox_snapshot(tab.model, tab.connections.activity_client, scope),
        status=tab.statusMessage.emit,
        default_name=lambda: "activity-inbox.csv",
        settings=tab.settings,
    )
