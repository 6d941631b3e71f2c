"""Colours that say ok, warning, error or info, chosen for the palette in use.

Nothing here is a fixed light colour: a dark system palette gets light text on dark
surfaces, a light one the reverse. Each function reads the application's palette when it
is called, so a widget styled after a palette change follows it.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

OK, WARNING, ERROR, INFO = "ok", "warning", "error", "info"

#: kind -> (text on a light palette, text on a dark one)
_TEXT = {
    OK: ("#1b5e20", "#81c995"),
    WARNING: ("#8a4b00", "#fdd663"),
    ERROR: ("#b71c1c", "#f28b82"),
    INFO: ("#0b3a63", "#8ab4f8"),
}
#: kind -> ((background, border) light, (background, border) dark)
_SURFACE = {
    ERROR: (("#fdecea", "#f5c2c0"), ("#3c1f1e", "#8c3a36")),
    WARNING: (("#fff4e5", "#ffd8a8"), ("#3a2c12", "#8a6420")),
    INFO: (("#e8f1fb", "#b6d4f2"), ("#172a3f", "#3d6590")),
    OK: (("#e6f4ea", "#b7dfc2"), ("#15301f", "#3f7a52")),
}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette draws light text on dark windows."""
    palette = palette if palette is not None else QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2), 0 for black to 1 for white."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: QColor, second: QColor) -> float:
    """The WCAG 2 contrast ratio of two colours: 1 (the same) to 21 (black on white).

    Text wants 4.5 or more, large text and the parts of a chart 3 or more.
    """
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def tone(kind: str, palette: QPalette | None = None) -> QColor:
    """The text colour for ``kind``; the palette's own text colour for an unknown kind."""
    palette = palette if palette is not None else QGuiApplication.palette()
    pair = _TEXT.get(kind)
    if pair is None:
        return palette.color(QPalette.ColorRole.WindowText)
    return QColor(pair[1] if is_dark(palette) else pair[0])


def text_style(kind: str) -> str:
    """A style sheet colouring a label's text for ``kind`` (empty: the palette's text)."""
    return f"color: {tone(kind).name()};" if kind in _TEXT else ""


def quiet_text_style() -> str:
    """A style sheet for secondary text: the palette's mid tone on a light palette, as it
    always was; on a dark one, where that tone nearly vanishes into the window, the text
    colour mixed two parts to one with the window's."""
    palette = QGuiApplication.palette()
    if not is_dark(palette):
        return "color: palette(mid);"
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    mixed = QColor.fromRgbF(
        (2 * text.redF() + window.redF()) / 3,
        (2 * text.greenF() + window.greenF()) / 3,
        (2 * text.blueF() + window.blueF()) / 3,
    )
    return f"color: {mixed.name()};"


def surface_style(kind: str, selector: str) -> str:
    """A style sheet for a framed strip (a banner, a notice) of ``kind``."""
    light, dark = _SURFACE.get(kind, _SURFACE[INFO])
    background, border = dark if is_dark() else light
    return (
        f"{selector} {{ background:{background}; border:1px solid {border}; "
        f"color:{tone(kind if kind in _TEXT else INFO).name()}; }}"
    )
