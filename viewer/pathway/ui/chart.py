"""A small chart of a pathway: the spread of states overall, and completion per activity.

Drawn with QPainter (the Qt build this app uses has no chart module).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from viewer.formats import percent, plural
from viewer.pathway.data import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    OTHER,
    STATE_LABELS,
    PathwayData,
)
from viewer.pathway.ui.colours import chart_track, ink, muted, state_bar_color
from viewer.pathway.ui.style import tooltip

#: Drawn left to right: done first, so the bars line up on what matters most.
_ORDER = (COMPLETED, IN_PROGRESS, NOT_STARTED, OTHER)
_ROW, _GAP, _MARGIN, _HEAD = 22, 6, 12, 92


class PathwayChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathwayChart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMouseTracking(True)
        self._title = ""
        self._totals = [0, 0, 0, 0]
        self._rows: list[tuple[str, list[int]]] = []  # (activity label, counts by state)

    def set_pathway_data(self, data: PathwayData | None) -> None:
        if data is None:
            self._title, self._totals, self._rows = "", [0, 0, 0, 0], []
        else:
            self._title = data.pathway.name or data.pathway.ID or "Pathway"
            self._totals = data.state_counts()
            self._rows = [(a.label, list(a.counts)) for a in data.activities]
        self.updateGeometry()
        self.update()

    def rows(self) -> list[tuple[str, list[int]]]:
        return list(self._rows)

    def sizeHint(self) -> QSize:
        return QSize(600, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(300, self._height())

    def _height(self) -> int:
        return _HEAD + len(self._rows) * (_ROW + _GAP) + _MARGIN + 24

    def _label_width(self) -> int:
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(label) for label, _ in self._rows), default=0)
        return min(max(widest + 12, 120), max(self.width() // 3, 120))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()  # read on each paint: a changed palette is followed
        painter.fillRect(self.rect(), palette.base())
        pen, dim = ink(palette), muted(palette)
        metrics = QFontMetrics(self.font())
        width = self.width() - 2 * _MARGIN
        if not self._rows:
            painter.setPen(dim)
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "Fetch a pathway to see its chart"
            )
            return
        # Overall spread of states, with a legend underneath.
        total = sum(self._totals)
        title = f"{self._title}: {plural(total, 'log')}"
        painter.setPen(pen)
        bold = painter.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(QRectF(_MARGIN, _MARGIN, width, 20), Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(self.font())
        self._stacked(painter, QRectF(_MARGIN, _MARGIN + 24, width, 18), self._totals)
        x = float(_MARGIN)
        for code in _ORDER:
            if code == OTHER and not self._totals[OTHER]:
                continue
            share = self._totals[code] / total if total else 0.0
            text = f"{STATE_LABELS[code]} {self._totals[code]:,} ({percent(share * 100)})"
            painter.setBrush(state_bar_color(code, palette))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(QRectF(x, _MARGIN + 52, 12, 12), 3, 3)
            painter.setPen(pen)
            painter.drawText(
                QRectF(x + 16, _MARGIN + 48, 400, 20), Qt.AlignmentFlag.AlignVCenter, text
            )
            x += 16 + metrics.horizontalAdvance(text) + 18
        # One bar per activity, labelled with its name and its share completed.
        label_w = self._label_width()
        pct_w = metrics.horizontalAdvance("100% done") + 10
        bar_w = max(width - label_w - pct_w, 40)
        y = float(_HEAD)
        for label, counts in self._rows:
            row_total = sum(counts)
            painter.setPen(pen)
            elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_w - 8)
            painter.drawText(
                QRectF(_MARGIN, y, label_w - 8, _ROW),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                elided,
            )
            self._stacked(painter, QRectF(_MARGIN + label_w, y + 3, bar_w, _ROW - 6), counts)
            done = counts[COMPLETED] / row_total if row_total else 0.0
            painter.setPen(dim)
            painter.drawText(
                QRectF(_MARGIN + label_w + bar_w + 8, y, pct_w, _ROW),
                Qt.AlignmentFlag.AlignVCenter,
                f"{percent(done * 100)} done",
            )
            y += _ROW + _GAP

    def _stacked(self, painter: QPainter, rect: QRectF, counts: list[int]) -> None:
        palette = self.palette()
        total = sum(counts)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(chart_track(palette))
        painter.drawRoundedRect(rect, 4, 4)
        if not total:
            return
        painter.save()
        painter.setClipRect(rect)
        x = rect.left()
        for code in _ORDER:
            part = rect.width() * counts[code] / total
            if part > 0:
                colour = state_bar_color(code, palette)
                painter.fillRect(QRectF(x, rect.top(), part, rect.height()), colour)
            x += part
        painter.restore()

    def event(self, event) -> bool:  # type: ignore[no-untyped-def]
        if isinstance(event, QHelpEvent):
            row = int((event.pos().y() - _HEAD) // (_ROW + _GAP))
            if event.pos().y() >= _HEAD and 0 <= row < len(self._rows):
                label, counts = self._rows[row]
                lines = [
                    f"{STATE_LABELS[c]}: {counts[c]:,}" for c in _ORDER if counts[c] or c != OTHER
                ]
                QToolTip.showText(event.globalPos(), tooltip(label, *lines), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
