"""What the pathway tab exports: the logs on screen, every log fetched, the matrix, and the
groups, follow-up and progress views (as CSV, or Excel when the file ends in .xlsx)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from viewer.export.scopes import (
    EVERYTHING,
    FOLLOW_UP,
    GROUPS,
    MATRIX,
    PROGRESS,
    SCREEN,
    safe_file_name,
)
from viewer.pathway.data import STATE_LABELS, PathwayData
from viewer.pathway.ui.matrix_model import PathwayMatrixModel
from viewer.pathway.ui.tree_model import PathwayTreeModel

if TYPE_CHECKING:  # the writers load at the first export, not with the window
    from viewer.export.rows import Prepare

PATHWAY_SCOPES = (
    (SCREEN, "The logs on screen (after the filters and the quick search)"),
    (EVERYTHING, "Every log fetched"),
    (MATRIX, "The by-user matrix, as on screen"),
    (GROUPS, "Completion by group"),
    (FOLLOW_UP, "The follow-up list (for the activities chosen there)"),
    (PROGRESS, "The progress history, as charted"),
)
VIEW_SCOPES = (GROUPS, FOLLOW_UP, PROGRESS)


class ViewExports(Protocol):
    def snapshot(self, scope: str) -> Prepare | None: ...


def pathway_snapshot(
    data: PathwayData | None,
    tree: PathwayTreeModel,
    matrix: PathwayMatrixModel,
    scope: str,
    views: ViewExports | None = None,
) -> Prepare | None:
    """In the GUI thread: what ``scope`` covers now, for a worker to write."""
    if data is None:
        return None
    if scope in VIEW_SCOPES:
        return None if views is None else views.snapshot(scope)
    from viewer.export.matrix_csv import MatrixExport
    from viewer.export.pathway_csv import DataExport

    if scope == MATRIX:
        users = matrix.visible_users()
        return lambda _cancel: MatrixExport(data, users, STATE_LABELS)
    selection = tree.visible_selection() if scope == SCREEN else None
    return lambda _cancel: DataExport(data, selection)


def pathway_file_name(data: PathwayData | None) -> str:
    name = (data.pathway.name or data.pathway.ID or "pathway") if data is not None else "pathway"
    return safe_file_name(name)
