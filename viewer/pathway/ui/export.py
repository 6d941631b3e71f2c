"""What the pathway tab exports: the logs on screen, every log fetched, or the matrix."""

from __future__ import annotations

from viewer.export.matrix_csv import MatrixExport
from viewer.export.pathway_csv import DataExport
from viewer.export.rows import EVERYTHING, MATRIX, SCREEN, Prepare, safe_file_name
from viewer.pathway.data import STATE_LABELS, PathwayData
from viewer.pathway.ui.matrix_model import PathwayMatrixModel
from viewer.pathway.ui.tree_model import PathwayTreeModel

PATHWAY_SCOPES = (
    (SCREEN, "The logs on screen (after the filters and the quick search)"),
    (EVERYTHING, "Every log fetched"),
    (MATRIX, "The by-user matrix, as on screen"),
)


def pathway_snapshot(
    data: PathwayData | None,
    tree: PathwayTreeModel,
    matrix: PathwayMatrixModel,
    scope: str,
) -> Prepare | None:
    """In the GUI thread: what ``scope`` covers now, for a worker to write."""
    if data is None:
        return None
    if scope == MATRIX:
        users = matrix.visible_users()
        return lambda _cancel: MatrixExport(data, users, STATE_LABELS)
    selection = tree.visible_selection() if scope == SCREEN else None
    return lambda _cancel: DataExport(data, selection)


def pathway_file_name(data: PathwayData | None) -> str:
    name = (data.pathway.name or data.pathway.ID or "pathway") if data is not None else "pathway"
    return safe_file_name(name)
