"""A long server value shown whole, only when asked for, without laying it all out at once.

Views elide long text (``formats.elided``); the details panes offer this dialog instead. It
shows up to ``DIALOG_CHARS`` characters, broken into lines a text view can lay out one at a
time, and Copy always takes the exact, whole text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

#: The most characters the dialog shows; more would take long to lay out, even lazily.
DIALOG_CHARS = 1_000_000
#: Lines longer than this are broken for showing (only), so none is laid out whole.
LINE_CHARS = 10_000


def displayable(text: str, limit: int = DIALOG_CHARS) -> str:
    """The start of ``text`` with every line at most ``LINE_CHARS`` long, for showing."""
    lines = []
    for line in text[:limit].split("\n"):
        lines += [line[i : i + LINE_CHARS] for i in range(0, len(line), LINE_CHARS)] or [""]
    return "\n".join(lines)


class FullTextDialog(QDialog):
    """One value in full: read-only, selectable, with a Copy button for the exact text."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fullTextDialog")
        self.setWindowTitle(displayable(title, 80).replace("\n", " "))
        self.text = text
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setText(
            f"The first {DIALOG_CHARS:,} of {len(text):,} characters are shown; Copy copies "
            "all of them."
            if len(text) > DIALOG_CHARS
            else f"{len(text):,} characters."
        )
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("fullText")
        self.editor.setReadOnly(True)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setPlainText(displayable(text))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("Copy", self)
        self.copy_button.setToolTip("Copy the whole text, exactly as the server sent it")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        self.resize(720, 480)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text)


def show_full_text(parent: QWidget, title: str, text: str) -> FullTextDialog:
    """Open the dialog (not modal: the pane stays usable); it deletes itself when closed."""
    dialog = FullTextDialog(title, text, parent.window())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
