"""A dark palette like Fusion's own dark one, for tests and screenshots of dark mode.

The offscreen platform has no dark system theme to switch to, so the palette is set on the
application by hand, with the colours Qt's Fusion style uses when the system is dark.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

_ROLE = QPalette.ColorRole


def dark_palette() -> QPalette:
    """Light text on dark windows and views; the alternate rows a little lighter."""
    text = QColor(240, 240, 240)
    window = QColor(50, 50, 50)
    base = window.darker(140)
    palette = QPalette()
    for role, colour in (
        (_ROLE.WindowText, text),
        (_ROLE.Window, window),
        (_ROLE.Button, window),
        (_ROLE.Light, window.lighter(150)),
        (_ROLE.Midlight, window.darker(130).lighter(110)),
        (_ROLE.Mid, window.darker(130)),
        (_ROLE.Dark, window.darker(150)),
        (_ROLE.Shadow, window.darker(150).darker(135)),
        (_ROLE.Text, text),
        (_ROLE.BrightText, QColor(255, 255, 255)),
        (_ROLE.Base, base),
    ):
        palette.setColor(role, colour)
    palette.setColor(_ROLE.AlternateBase, window)
    palette.setColor(_ROLE.ButtonText, text)
    palette.setColor(_ROLE.Highlight, QColor(48, 140, 198))
    palette.setColor(_ROLE.HighlightedText, text)
    palette.setColor(_ROLE.ToolTipBase, window)
    palette.setColor(_ROLE.ToolTipText, text)
    palette.setColor(_ROLE.Link, QColor(90, 170, 230))
    placeholder = QColor(text)
    placeholder.setAlpha(128)
    palette.setColor(_ROLE.PlaceholderText, placeholder)
    for role in (_ROLE.WindowText, _ROLE.Text, _ROLE.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(130, 130, 130))
    return palette
