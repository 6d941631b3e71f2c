"""Icons drawn with QPainter at whatever size and pixel density they are shown at.

An icon made from one fixed-size pixmap is scaled by Qt to fit: blurred on a 200% screen,
where a 16-pixel icon needs 32 device pixels, or when the tray asks for more than was
drawn. ``painted_icon`` keeps the drawing instead of a picture of it, and draws it again
for each size and device pixel ratio asked for (and keeps what it drew, so a view with the
icon in every row copies it instead of drawing it again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPixmap, QTransform

#: Drawings an icon keeps as pixmaps (sizes x densities x palettes seen lately).
_KEPT_DRAWINGS = 16
#: Painter transforms a kept drawing is copied under: any other draws afresh, sharp.
_MOVES_ONLY = (QTransform.TransformationType.TxNone, QTransform.TransformationType.TxTranslate)
#: Draws an icon filling the given rectangle (in the painter's logical coordinates).
Drawing = Callable[[QPainter, QRectF], None]


class PaintedIconEngine(QIconEngine):
    """Calls its drawing for every paint and every pixmap asked for."""

    def __init__(self, draw: Drawing, sizes: Sequence[QSize] = ()) -> None:
        super().__init__()
        self._draw = draw
        self._sizes = list(sizes)
        self._drawn: dict[tuple[object, ...], QPixmap] = {}

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        device = painter.device()
        if device is None or painter.transform().type() not in _MOVES_ONLY:
            self._paint_drawing(painter, rect)
            return
        # A view paints the same icon in many cells on every repaint: each drawing is made
        # once for its size, pixel density and palette (its colours may follow the
        # palette), and copied after that.
        scale = device.devicePixelRatioF()
        palette = QGuiApplication.palette().cacheKey()
        key = (rect.width(), rect.height(), scale, mode, state, palette)
        pixmap = self._drawn.get(key)
        if pixmap is None:
            if len(self._drawn) >= _KEPT_DRAWINGS:
                self._drawn.clear()
            pixmap = self._drawn[key] = self.scaledPixmap(rect.size(), mode, state, scale)
        painter.drawPixmap(rect, pixmap)

    def _paint_drawing(self, painter: QPainter, rect: QRect) -> None:
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
            self._paint_drawing(painter, QRect(0, 0, size.width(), size.height()))
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
