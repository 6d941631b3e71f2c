"""How the app's tables lay out their rows."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView


def one_line_rows(view: QTableView) -> None:
    """Rows one line of text high and unnumbered.

    Fixed heights spare the view from measuring every row, which keeps tables of many
    thousand rows quick to lay out; the row numbers would say nothing the data does not.
    """
    rows = view.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 8)
