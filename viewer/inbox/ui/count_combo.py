"""A combo box whose entries end in a count, "Security (3 unread)": when it is narrow, the
name is elided inside and the count and its bracket stay whole."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QPaintEvent
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget

from viewer.inbox.counts import count_split

#: Pixels kept free so the style's own eliding never cuts the count it was given.
_SLACK = 4
#: Characters of a name always shown before "…".
_SHORTEST = 3


def elide_keeping_count(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` fitted into ``width`` pixels, cutting only the name before the count."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    head, count = count_split(text)
    room = width - metrics.horizontalAdvance(count)
    return metrics.elidedText(head, Qt.TextElideMode.ElideRight, max(0, room)) + count


class CountCombo(QComboBox):
    """As wide as its longest entry when there is room; narrower, down to a few letters of
    the name with the whole count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.currentIndexChanged.connect(self.updateGeometry)

    def minimumSizeHint(self) -> QSize:
        """Room for a few letters of the current entry's name, "…" and its whole count."""
        hint = super().minimumSizeHint()
        metrics = self.fontMetrics()
        head, count = count_split(self.currentText())
        text = head[:_SHORTEST] + ("…" if len(head) > _SHORTEST else "") + count
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        contents = QSize(metrics.horizontalAdvance(text) + _SLACK, metrics.height())
        size = self.style().sizeFromContents(
            QStyle.ContentsType.CT_ComboBox, option, contents, self
        )
        return QSize(min(size.width(), self.sizeHint().width()), max(size.height(), hint.height()))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        room = field.width() - _SLACK
        if not option.currentIcon.isNull():
            room -= option.iconSize.width() + 4
        option.currentText = elide_keeping_count(option.currentText, self.fontMetrics(), room)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
