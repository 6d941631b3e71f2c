"""Icons drawn with QPainter at whatever size and pixel density they are shown at.

An icon made from one fixed-size pixmap is scaled by Qt to fit: blurred on a 200% screen,
where a 16-pixel icon needs 32 device pixels, or when the tray asks for more than was
drawn. ``painted_icon`` keeps the drawing instead of a picture of it, and draws it again
for each size and device pixel ratio asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap

#: Draws an icon filling the given rectangle (in the painter's logical coordinates).
Drawing = Callable[[QPainter, QRectF], None]


class PaintedIconEngine(QIconEngine):
    """Calls its drawing for every paint and every pixmap asked for."""

    def __init__(self, draw: Drawing, sizes: Sequence[QSize] = ()) -> None:
        super().__init__()
        self._draw = draw
        self._sizes = list(sizes)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._draw(painter, QRectF(rect))
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        # ``size`` is in logical pixels: the pixmap has ``scale`` times as many, and says so.
        pixmap = QPixmap(size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        if not size.isEmpty():
            painter = QPainter(pixmap)
            self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
            painter.end()
        return pixmap

    def availableSizes(
        self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off
    ) -> list[QSize]:
        return list(self._sizes)

    def clone(self) -> QIconEngine:
        return PaintedIconEngine(self._draw, self._sizes)

    def key(self) -> str:
        return "painted"


def painted_icon(draw: Drawing, sizes: Sequence[QSize] = ()) -> QIcon:
    """An icon that ``draw`` paints afresh at each size and device pixel ratio.

    ``sizes`` are what it tells a caller that asks which sizes it has (none by default:
    any size is as good as another).
    """
    return QIcon(PaintedIconEngine(draw, sizes))
