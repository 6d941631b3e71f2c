"""What changed between two copies of a pathway, as CSV: one row per change."""

from __future__ import annotations

from pathlib import Path

from viewer.export.csv_file import ExportError, write_csv
from viewer.export.rows import ExportFailed
from viewer.pathway.diff import HEADER, PathwayDiff


def export_changes(diff: PathwayDiff, path: str | Path) -> int:
    """Write the changes to ``path`` as CSV; the number of rows written."""
    try:
        return write_csv(path, HEADER, diff.rows())
    except ExportError as exc:
        raise ExportFailed(str(exc)) from None
