"""Icons, item-data roles and formatting shared by the pathway views.

The state colours live in ``colours`` and are named here too, for the views' convenience.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPolygonF

from viewer.pathway.data import COMPLETED, IN_PROGRESS, NO_LOG, NOT_STARTED, OTHER
from viewer.pathway.ui.colours import state_background as state_background
from viewer.pathway.ui.colours import state_bar_color as state_bar_color
from viewer.pathway.ui.colours import state_color as state_color
from viewer.widgets.painted_icon import painted_icon
from viewer.widgets.tooltip import tooltip as tooltip  # the pathway views' tooltips

#: A float 0..1 drawn as a bar by ``ProgressDelegate`` (None: no bar).
PROGRESS_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: The QColor of that bar.
BAR_COLOR_ROLE = int(Qt.ItemDataRole.UserRole) + 2
#: A state code (``COMPLETED``…, ``NO_LOG``): drawn as a coloured mark by ``MarkDelegate``,
#: and colouring the text of the cell it is on in the pathway delegates (in the colour of
#: the view's palette, read when the cell is painted).
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

#: The short marks of the by-user matrix cells.
STATE_MARKS = {COMPLETED: "✓", IN_PROGRESS: "◐", NOT_STARTED: "○", OTHER: "?", NO_LOG: "·"}


@cache
def state_icon(code: int) -> QIcon:
    """A small drawn icon: a check, a half-filled circle, an empty ring or a diamond.

    Drawn afresh at each size and pixel density, so it stays sharp on a 200% screen. Its
    colours are the bars', which read on light and dark palettes alike.
    """

    def draw(painter: QPainter, rect: QRectF) -> None:
        # Designed on a 32-unit square, scaled to what is asked for.
        painter.translate(rect.topLeft())
        painter.scale(rect.width() / _ICON_UNITS, rect.height() / _ICON_UNITS)
        _draw_state(painter, code)

    return painted_icon(draw)


_ICON_UNITS = 32


def _draw_state(painter: QPainter, code: int) -> None:
    size = _ICON_UNITS
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
