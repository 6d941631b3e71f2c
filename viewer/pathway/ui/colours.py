"""The pathway views' colours, for a light palette or a dark one.

Every function takes the palette of what is being painted (a delegate's option palette, a
chart's own palette) and is called at paint time, so a palette changed while the app runs
is followed by the next paint; nothing here has to be told of the change. A light palette
keeps the colours these views were designed with; a dark one gets light text and dark
surfaces that say the same thing.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette

from viewer.pathway.data import COMPLETED, IN_PROGRESS, NO_LOG, NOT_STARTED, OTHER
from viewer.pathway.diff import COMPLETED_NOW, LOG_REMOVED, STARTED, WENT_BACK
from viewer.widgets.tones import is_dark

#: state code -> ((text, chip background, bar) on a light palette, the same on a dark one).
#: Bars keep their colour on both: each reads against a light and a dark track.
_STATES = {
    COMPLETED: (("#176b36", "#cdebd7", "#2e9e5b"), ("#81c995", "#1e3a28", "#2e9e5b")),
    IN_PROGRESS: (("#94520a", "#fde3b8", "#ef9a2a"), ("#f6b26b", "#3d2c12", "#ef9a2a")),
    NOT_STARTED: (("#5f6368", "#e6e7e9", "#b9bcc1"), ("#bdc1c6", "#35373a", "#b9bcc1")),
    OTHER: (("#5a3ea3", "#e4dcf6", "#8f75d1"), ("#c3a6f5", "#2f2640", "#8f75d1")),
    NO_LOG: (("#9aa0a6", "#ffffff", "#dadce0"), ("#9aa0a6", "#202124", "#80868b")),
}

#: change kind -> (text on a light palette, text on a dark one)
_CHANGES = {
    COMPLETED_NOW: ("#1b7a3a", "#81c995"),
    STARTED: ("#1c5aa6", "#8ab4f8"),
    WENT_BACK: ("#b3261e", "#f28b82"),
    LOG_REMOVED: ("#8a5300", "#fdd663"),
}

#: The progress chart's lines, in turn: a colour-blind-safe set first, then variants. On a
#: dark palette the darker ones are swapped for lighter ones of the same hue, so every
#: line stands out from the background by 3:1 or more.
_SERIES_LIGHT = (
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a6f00",
    "#5f6368", "#004c7a", "#a35f00", "#006b4f", "#8f4f76", "#2f7fa8", "#9c4300",
)  # fmt: skip
_SERIES_DARK = (
    "#4ba3e3", "#e69f00", "#20c090", "#cc79a7", "#56b4e9", "#f07830", "#d0c040",
    "#bdc1c6", "#7fb2e5", "#e0a050", "#4fc9a0", "#d59cc0", "#8ccbf0", "#ff9059",
)  # fmt: skip

#: Light-palette text of charts and bars, a dimmer one, grid lines and the empty track.
_INK, _MUTED, _GRID, _TRACK = "#202124", "#5f6368", "#e3e5e8", "#e8eaed"


def _palette(palette: QPalette | None) -> QPalette:
    return palette if palette is not None else QGuiApplication.palette()


def _mix(front: QColor, back: QColor, share: float) -> QColor:
    """``share`` of ``front`` over ``back``: dimmer text and quiet lines that follow the
    palette's own text and base, whatever dark palette the system has."""
    return QColor.fromRgbF(
        front.redF() * share + back.redF() * (1 - share),
        front.greenF() * share + back.greenF() * (1 - share),
        front.blueF() * share + back.blueF() * (1 - share),
    )


@cache
def _state(code: int, dark: bool) -> tuple[QColor, QBrush, QColor]:
    text, chip, bar = _STATES.get(code, _STATES[OTHER])[dark]
    return QColor(text), QBrush(QColor(chip)), QColor(bar)


def warm() -> None:
    """Make every state's colours now, in both modes. The first took some 25 ms (Qt's
    colour and brush types are set up for Python on first use), paid by the first tree
    painted with logs: the longest pause of a first fetch."""
    for code in _STATES:
        for dark in (False, True):
            _state(code, dark)


def state_color(code: int, palette: QPalette | None = None) -> QColor:
    """The text colour of a state (the application's palette if none is given)."""
    return QColor(_state(code, is_dark(_palette(palette)))[0])


def state_background(code: int, palette: QPalette | None = None) -> QBrush:
    """The chip background a state's text reads on."""
    return QBrush(_state(code, is_dark(_palette(palette)))[1])


def state_bar_color(code: int, palette: QPalette | None = None) -> QColor:
    """The colour of a state's bar, mark or share of a chart."""
    return QColor(_state(code, is_dark(_palette(palette)))[2])


def change_color(kind: str, palette: QPalette | None = None) -> QColor | None:
    """The text colour of a kind of change (None for a kind without one)."""
    pair = _CHANGES.get(kind)
    return None if pair is None else QColor(pair[is_dark(_palette(palette))])


def series_color(number: int, palette: QPalette | None = None) -> QColor:
    """The colour of the progress chart's ``number``-th line."""
    colours = _SERIES_DARK if is_dark(_palette(palette)) else _SERIES_LIGHT
    return QColor(colours[number % len(colours)])


def ink(palette: QPalette) -> QColor:
    """The text drawn by charts and on bars' empty part."""
    return palette.color(QPalette.ColorRole.Text) if is_dark(palette) else QColor(_INK)


def muted(palette: QPalette) -> QColor:
    """Secondary text: axis labels, shares, an empty chart's hint."""
    if not is_dark(palette):
        return QColor(_MUTED)
    return _mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.7)


def grid(palette: QPalette) -> QColor:
    """A chart's grid lines: seen, never in the way."""
    if not is_dark(palette):
        return QColor(_GRID)
    base = palette.color(QPalette.ColorRole.Base)
    return _mix(palette.color(QPalette.ColorRole.Text), base, 0.16)


def track(palette: QPalette) -> QColor:
    """The empty part of a progress bar."""
    if not is_dark(palette):
        return QColor(_TRACK)
    base = palette.color(QPalette.ColorRole.Base)
    return _mix(palette.color(QPalette.ColorRole.Text), base, 0.2)


def chart_track(palette: QPalette) -> QColor:
    """The empty part of the summary chart's stacked bars."""
    if not is_dark(palette):
        return state_bar_color(NOT_STARTED, palette).lighter(125)
    return track(palette)
