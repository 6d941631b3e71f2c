"""Colours, icons, item-data roles and formatting shared by the pathway views."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF

from viewer.pathway.data import COMPLETED, IN_PROGRESS, NO_LOG, NOT_STARTED, OTHER
from viewer.widgets.tooltip import tooltip as tooltip  # the pathway views' tooltips

#: A float 0..1 drawn as a bar by ``ProgressDelegate`` (None: no bar).
PROGRESS_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: The QColor of that bar.
BAR_COLOR_ROLE = int(Qt.ItemDataRole.UserRole) + 2
#: A state code (``COMPLETED``…, ``NO_LOG``) drawn as a coloured mark by ``MarkDelegate``.
STATE_ROLE = int(Qt.ItemDataRole.UserRole) + 3

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
DECORATION = int(Qt.ItemDataRole.DecorationRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
FONT = int(Qt.ItemDataRole.FontRole)

ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)

#: state code -> (text colour, chip background, bar colour)
_PALETTE = {
    COMPLETED: ("#176b36", "#cdebd7", "#2e9e5b"),
    IN_PROGRESS: ("#94520a", "#fde3b8", "#ef9a2a"),
    NOT_STARTED: ("#5f6368", "#e6e7e9", "#b9bcc1"),
    OTHER: ("#5a3ea3", "#e4dcf6", "#8f75d1"),
    NO_LOG: ("#9aa0a6", "#ffffff", "#dadce0"),
}
#: The short marks of the by-user matrix cells.
STATE_MARKS = {COMPLETED: "✓", IN_PROGRESS: "◐", NOT_STARTED: "○", OTHER: "?", NO_LOG: "·"}


@cache
def state_color(code: int) -> QColor:
    return QColor(_PALETTE.get(code, _PALETTE[OTHER])[0])


@cache
def state_background(code: int) -> QBrush:
    return QBrush(QColor(_PALETTE.get(code, _PALETTE[OTHER])[1]))


@cache
def state_bar_color(code: int) -> QColor:
    return QColor(_PALETTE.get(code, _PALETTE[OTHER])[2])


@cache
def state_icon(code: int) -> QIcon:
    """A small drawn icon: a check, a half-filled circle, an empty ring or a diamond."""
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = state_bar_color(code)
    ring = QRectF(3, 3, size - 6, size - 6)
    if code == COMPLETED:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(ring)
        pen = QPen(QColor("white"), 3.6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.drawPolyline(QPolygonF([QPointF(9.5, 16.5), QPointF(14, 21), QPointF(22.5, 11)]))
    elif code == IN_PROGRESS:
        painter.setPen(QPen(colour, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(ring)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPie(ring, 90 * 16, -180 * 16)
    elif code == NOT_STARTED:
        painter.setPen(QPen(colour.darker(115), 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(ring.adjusted(1, 1, -1, -1))
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        half = size / 2
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(half, 3),
                    QPointF(size - 3, half),
                    QPointF(half, size - 3),
                    QPointF(3, half),
                ]
            )
        )
    painter.end()
    return QIcon(pixmap)
