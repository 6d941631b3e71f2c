"""A line chart of completion over time: one line per activity or group, 0-100 %.

Drawn with QPainter like the summary chart (the Qt build this app uses has no chart
module). Hovering a point tells its line, when the copy was taken and the share.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from viewer.formats import percent
from viewer.pathway.catalogue import Series
from viewer.pathway.ui.colours import grid, ink, muted, series_color
from viewer.pathway.ui.style import tooltip

_MARGIN, _AXIS, _TICK = 12, 44, 4
_LEGEND_ROW = 18
_HIT = 7.0


def when_text(moment: float, seconds: bool = False) -> str:
    return time.strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else ""), time.localtime(moment))


class ProgressChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressChart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self._series: list[Series] = []
        #: The line drawn thicker (the all-required total, or everyone).
        self._emphasis: str | None = None

    def set_series(self, series: Sequence[Series], emphasis: str | None = None) -> None:
        self._series = list(series)
        self._emphasis = emphasis
        self.update()

    def series(self) -> list[Series]:
        return list(self._series)

    def sizeHint(self) -> QSize:
        return QSize(700, 420)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, 220)

    # -- geometry -------------------------------------------------------------------------

    def _legend_width(self) -> int:
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(s.label) for s in self._series), default=0)
        return min(widest + 30, max(self.width() // 3, 120))

    def _plot(self) -> QRectF:
        metrics = QFontMetrics(self.font())
        bottom = metrics.height() * 2 + _TICK
        return QRectF(
            _MARGIN + _AXIS,
            _MARGIN + metrics.height() / 2,
            max(self.width() - 2 * _MARGIN - _AXIS - self._legend_width() - 12, 40),
            max(self.height() - 2 * _MARGIN - bottom, 40),
        )

    def _span(self) -> tuple[float, float]:
        moments = [t for s in self._series for t, _ in s.points]
        first, last = min(moments), max(moments)
        if last <= first:
            first, last = first - 1800, last + 1800  # one copy: the point in the middle
        return first, last

    def _position(self, plot: QRectF, span: tuple[float, float], t: float, v: float) -> QPointF:
        first, last = span
        x = plot.left() + plot.width() * (t - first) / (last - first)
        y = plot.bottom() - plot.height() * max(0.0, min(v, 100.0)) / 100
        return QPointF(x, y)

    # -- drawing --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()  # read on each paint: a changed palette is followed
        painter.fillRect(self.rect(), palette.base())
        if not any(s.points for s in self._series):
            return
        lines, dim = grid(palette), muted(palette)
        metrics = QFontMetrics(self.font())
        plot, span = self._plot(), self._span()
        painter.setPen(QPen(lines, 1))
        for share in (0, 25, 50, 75, 100):
            y = plot.bottom() - plot.height() * share / 100
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(dim)
            painter.drawText(
                QRectF(_MARGIN, y - metrics.height() / 2, _AXIS - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{share}%",
            )
            painter.setPen(QPen(lines, 1))
        first, last = span
        close = last - first < 600  # copies minutes apart: say the seconds too
        label_y = plot.bottom() + _TICK
        for moment, align in (
            (first, Qt.AlignmentFlag.AlignLeft),
            (last, Qt.AlignmentFlag.AlignRight),
        ):
            painter.setPen(dim)
            x = plot.left() if align == Qt.AlignmentFlag.AlignLeft else plot.right() - 200
            painter.drawText(
                QRectF(x, label_y, 200, metrics.height()), align, when_text(moment, close)
            )
        for number, line in enumerate(self._series):
            wide = line.key == self._emphasis
            pen = QPen(series_color(number, palette), 3.0 if wide else 1.6)
            painter.setPen(pen)
            points = [self._position(plot, span, t, v) for t, v in line.points]
            if len(points) > 1:
                painter.drawPolyline(points)
            painter.setBrush(series_color(number, palette))
            for point in points:
                painter.drawEllipse(point, 3.0, 3.0)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        self._legend(painter, plot)

    def _legend(self, painter: QPainter, plot: QRectF) -> None:
        metrics = QFontMetrics(self.font())
        palette = self.palette()
        x = plot.right() + 16
        width = self.width() - x - _MARGIN
        rows = max(1, int(plot.height() // _LEGEND_ROW))
        for number, line in enumerate(self._series[:rows]):
            y = plot.top() + number * _LEGEND_ROW
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(series_color(number, palette))
            painter.drawRoundedRect(QRectF(x, y + 4, 10, 10), 2, 2)
            painter.setPen(ink(palette))
            font = painter.font()
            font.setBold(line.key == self._emphasis)
            painter.setFont(font)
            text = metrics.elidedText(line.label, Qt.TextElideMode.ElideRight, int(width - 16))
            painter.drawText(
                QRectF(x + 16, y, width - 16, _LEGEND_ROW), Qt.AlignmentFlag.AlignVCenter, text
            )
        font = painter.font()
        font.setBold(False)
        painter.setFont(font)

    # -- hovering -------------------------------------------------------------------------

    def point_at(self, x: float, y: float) -> tuple[Series, float, float] | None:
        """The line and point (taken_at, percent) nearest to (x, y), if close enough."""
        if not any(s.points for s in self._series):
            return None
        plot, span = self._plot(), self._span()
        best: tuple[float, Series, float, float] | None = None
        for line in self._series:
            for t, v in line.points:
                point = self._position(plot, span, t, v)
                distance = abs(point.x() - x) + abs(point.y() - y)
                if distance <= _HIT * 2 and (best is None or distance < best[0]):
                    best = (distance, line, t, v)
        return None if best is None else best[1:]

    def position_of(self, line: int, point: int) -> QPointF:
        """Where a point is drawn (for tests and hovering)."""
        t, v = self._series[line].points[point]
        return self._position(self._plot(), self._span(), t, v)

    def event(self, event) -> bool:  # type: ignore[no-untyped-def]
        if isinstance(event, QHelpEvent):
            found = self.point_at(event.pos().x(), event.pos().y())
            if found is None:
                QToolTip.hideText()
            else:
                line, t, v = found
                text = tooltip(line.label, f"{when_text(t)}: {percent(round(v, 1))} completed")
                QToolTip.showText(event.globalPos(), text, self)
            return True
        return super().event(event)
