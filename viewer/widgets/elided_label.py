"""A one-line label that elides its text to the room it is given, and never asks for more.

A plain ``QLabel`` asks for the width of its whole text, so one long status line widens the
window. This one takes whatever width its layout offers; the whole text is in its tooltip,
and a copyable one puts the whole text (not what is shown of it) on the clipboard.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent
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
        copyable: bool = False,
    ) -> None:
        super().__init__(parent)
        self._full = ""
        self._mode = mode
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        if copyable:
            # Selecting an elided text would copy its "…"; Copy takes the whole of it.
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            self.copy_action = QAction("Copy", self)  # Ctrl+C: keyPressEvent, not a shortcut
            self.copy_action.triggered.connect(self.copy)
            self.addAction(self.copy_action)
            self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setText(text)

    @Slot()
    def copy(self) -> None:
        """Put the whole text on the clipboard."""
        QGuiApplication.clipboard().setText(self._full)

    def text(self) -> str:
        return self._full

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if hasattr(self, "copy_action") and event.matches(QKeySequence.StandardKey.Copy):
            self.copy()  # the whole text, whatever part of the shown one is selected
            event.accept()
            return
        super().keyPressEvent(event)

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
