"""The by-user matrix's table: Name and Email frozen, one narrow column of marks per activity.

How wide the first columns are is ``matrix_columns``'s business.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget

from viewer.pathway.ui.delegates import MarkDelegate, ProgressDelegate
from viewer.pathway.ui.matrix_model import EMAIL, FIXED_COLUMNS, NAME, SHARE, PathwayMatrixModel
from viewer.widgets.frozen_table import FrozenColumnsTable
from viewer.widgets.table_view import one_line_rows

#: Name and Email stay in place while the other columns scroll.
FROZEN = len((NAME, EMAIL))
#: An activity column: room for its number and the sort arrow, or a mark.
ACTIVITY_WIDTH = 32


def matrix_table(model: PathwayMatrixModel, parent: QWidget | None = None) -> FrozenColumnsTable:
    """The matrix view on ``model``: sorted by a click on any header, rows one line high."""
    table = FrozenColumnsTable(FROZEN, parent)
    table.setObjectName("pathwayMatrix")
    table.frozen.setObjectName("pathwayMatrixFrozen")
    table.frozen.setAccessibleName("Users of the matrix")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.setShowGrid(True)
    one_line_rows(table)
    table.sync_rows()
    marks = MarkDelegate(table)
    table.setItemDelegate(marks)
    table.frozen.setItemDelegate(marks)
    table.setItemDelegateForColumn(SHARE, ProgressDelegate(table))
    for header in (table.horizontalHeader(), table.frozen.horizontalHeader()):
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorClearable(True)
        header.setHighlightSections(True)
        header.setDefaultSectionSize(ACTIVITY_WIDTH)
        header.setMinimumSectionSize(24)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        # A first column narrowed for the activities says "Required…", not "equired don".
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setSortingEnabled(True)
    return table


assert len(FIXED_COLUMNS) >= FROZEN
