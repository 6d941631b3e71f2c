"""A message strip shown at the top of a tab: errors with what to do, and notices."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from viewer.widgets.tones import surface_style


class Banner(QFrame):
    """Title, message and an optional action button. Server text is shown as plain text."""

    actionTriggered = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        #: What the shown message is: "error", "warning" or "info".
        self.kind = "info"
        self._layout = layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self._title = QLabel(self)
        self._title.setTextFormat(Qt.TextFormat.PlainText)
        font = self._title.font()
        font.setBold(True)
        self._title.setFont(font)
        self._text = QLabel(self)
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._action = QPushButton("Retry", self)  # named even before its first message
        self._action.setObjectName("bannerAction")
        self._action.clicked.connect(self.actionTriggered)
        self._close = QToolButton(self)
        self._close.setText("✕")
        self._close.setToolTip("Dismiss")
        self._close.setAccessibleName("Dismiss")
        self._close.setAutoRaise(True)
        self._close.clicked.connect(self._dismiss)
        layout.addWidget(self._title)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._action)
        layout.addWidget(self._close)
        self.hide()

    def add_button(self, text: str, object_name: str, tooltip: str = "") -> QPushButton:
        """A further, hidden button placed before the main action (its owner shows it)."""
        button = QPushButton(text, self)
        button.setObjectName(object_name)
        button.setToolTip(tooltip)
        button.hide()
        self._layout.insertWidget(self._layout.indexOf(self._action), button)
        return button

    @property
    def text(self) -> str:
        return self._text.text()

    @property
    def title(self) -> str:
        return self._title.text()

    def show_message(
        self, title: str, text: str, *, kind: str = "error", action: str | None = None
    ) -> None:
        self.setStyleSheet(surface_style(kind, "QFrame#banner"))
        self.kind = kind
        self._title.setText(title)
        self._text.setText(text)
        self._action.setVisible(action is not None)
        if action is not None:
            self._action.setText(action)
        self.show()

    def offers_retry(self) -> bool:
        """Whether a failure is on show with a button that tries again."""
        return not self.isHidden() and self.kind == "error" and not self._action.isHidden()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
