"""What a person would see of a string Qt is given, and hostile strings to give it."""

from __future__ import annotations

from PySide6.QtGui import Qt, QTextDocument

MARKUP = [
    "<b>x</b>",
    "<img src=x onerror=alert(1)>",
    '<a href="https://evil.example/">click</a>',
    "Tom & Jerry &amp; <i>co</i>",
]


def shown(text: str) -> str:
    """The text Qt shows for a tooltip or an auto-format label: rich when it looks rich."""
    if Qt.mightBeRichText(text):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text
