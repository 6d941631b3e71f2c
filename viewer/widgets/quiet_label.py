"""A label for secondary text (a hint, a count, an empty view's explanation)."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from viewer.widgets.tones import quiet_text_style


class QuietLabel(QLabel):
    """Dimmer than the palette's text, and still readable on a dark palette.

    Its style sheet is chosen for the application's palette, and chosen again when that
    palette changes while the app runs (a desktop switching to its dark theme). A widget
    with a style sheet colour is not told of the application's new palette, so the label
    listens to the application itself.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._style = ""
        self._restyle()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.paletteChanged.connect(self._palette_changed)

    @Slot(QPalette)
    def _palette_changed(self, _palette: QPalette) -> None:
        self._restyle()

    def _restyle(self) -> None:
        style = quiet_text_style()
        if style != self._style:  # a new style sheet repolishes: only when it differs
            self._style = style
            self.setStyleSheet(style)
