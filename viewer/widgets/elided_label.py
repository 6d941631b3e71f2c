"""A one-line label that elides its text to the room it is given, and never asks for more.

A plain ``QLabel`` asks for the width of its whole text, so one long status line widens the
window. This one takes whatever width its layout offers; the whole text is in its tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from viewer.widgets.tooltip import tooltip


class ElidedLabel(QLabel):
    """Plain text on one line, cut with "…" where it does not fit; ``text()`` stays whole."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(parent)
        self._full = ""
        self._mode = mode
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def text(self) -> str:
        return self._full

    def clear(self) -> None:
        self.setText("")

    def setText(self, text: str) -> None:
        self._full = text.replace("\n", " ")
        self._elide()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self._full), super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, self._mode, room)
        super().setText(shown)
        self.setToolTip(tooltip(self._full) if shown != self._full else "")
