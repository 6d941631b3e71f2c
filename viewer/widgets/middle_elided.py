"""An item delegate that cuts text in its middle, so both ends of a value stay readable.

An ID, a hash or a time cut at its end loses what tells it apart ("EV3Y-DPBT-9…" looks like
its neighbours); cut in the middle it keeps its start and its end.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from viewer.widgets.table_model import AnyIndex


class MiddleElidedDelegate(QStyledItemDelegate):
    """Draws like the standard delegate, with "…" in the middle of text that does not fit."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle
