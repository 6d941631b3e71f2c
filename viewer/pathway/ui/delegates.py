"""Item delegates of the pathway views."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from viewer.pathway.data import NO_LOG
from viewer.pathway.ui.colours import ink, state_bar_color, state_color, track
from viewer.pathway.ui.style import (
    BAR_COLOR_ROLE,
    PROGRESS_ROLE,
    STATE_ROLE,
    state_icon,
)
from viewer.widgets.table_model import AnyIndex
from viewer.widgets.tones import contrast

_DEFAULT_BAR = QColor("#2e9e5b")
#: The text on a bar's filled part: one of these, whichever reads on the bar's colour (the
#: bars keep their colours on a dark palette, so the choice does not depend on it).
_DARK_TEXT = QColor("#202124")
_WHITE = QColor("#ffffff")
#: Pixels a letter's ink may reach past its advance (a bar's text is clipped nowhere near).
_TEXT_OVERHANG = 3
_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewItem
_ANTIALIASED = QPainter.RenderHint.Antialiasing
_NO_PEN = Qt.PenStyle.NoPen
_CENTRED = Qt.AlignmentFlag.AlignCenter


def text_colour_on(fill: QColor) -> QColor:
    """White on a fill dark enough for it (contrast 3:1 or more), else the dark text."""
    return _WHITE if _white_reads_on(fill.rgba()) else _DARK_TEXT


@cache
def _white_reads_on(rgba: int) -> bool:
    # Asked for every bar of every paint, of a handful of colours: worked out once each.
    return contrast(_WHITE, QColor.fromRgba(rgba)) >= 3.0


def colour_state_text(option: QStyleOptionViewItem, index: AnyIndex) -> None:
    """Give a cell with a ``STATE_ROLE`` its state's text colour, for the option's palette.

    Read at paint time from the view's palette, so a palette changed while the app runs (a
    dark system theme turned on) repaints in the right colours.
    """
    code = index.data(STATE_ROLE)
    if isinstance(code, int):
        option.palette.setColor(QPalette.ColorRole.Text, state_color(code, option.palette))


class RoomyDelegate(QStyledItemDelegate):
    """Rows a little taller than the font, so bars and icons have air around them.

    It leaves ``initStyleOption`` to Qt: a Python one costs a call into Python for every
    cell of every paint, so only the columns that need one (``StateDelegate``) have it.
    """

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height()) + 8)


class StateDelegate(RoomyDelegate):
    """A state column: its text in the state's colour (``colour_state_text``)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        colour_state_text(option, index)


class ProgressDelegate(RoomyDelegate):
    """Draws a cell's ``PROGRESS_ROLE`` (0..1) as a bar with its display text on top.

    It paints a column of every row in sight on each repaint, so it asks the model and the
    painter no more than it needs: the text comes with the style option, and a text that
    lies wholly on one side of the bar's edge is drawn once, in that side's colour.
    """

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: AnyIndex,
    ) -> None:
        fraction = index.data(PROGRESS_ROLE)
        if fraction is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text  # the display text, as ``initStyleOption`` read it
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(_PANEL, opt, painter, widget)
        rect = QRectF(option.rect).adjusted(4, 3, -4, -3)
        if rect.width() < 8 or rect.height() < 6:
            return
        fraction = min(max(float(fraction), 0.0), 1.0)
        colour = index.data(BAR_COLOR_ROLE)
        palette = option.palette
        painter.save()
        painter.setRenderHint(_ANTIALIASED)
        painter.setPen(_NO_PEN)
        painter.setBrush(track(palette))
        radius = min(4.0, rect.height() / 2)
        painter.drawRoundedRect(rect, radius, radius)
        filled = QRectF(rect)
        filled.setWidth(max(rect.width() * fraction, 2 * radius) if fraction > 0 else 0)
        fill = colour if isinstance(colour, QColor) else _DEFAULT_BAR
        if fraction > 0:
            painter.setBrush(fill)
            painter.drawRoundedRect(filled, radius, radius)
        if text:
            # Drawn in the colour that reads on what is behind each letter: where the bar's
            # edge crosses the text, twice, each clipped to its side of the edge.
            painter.setFont(opt.font)
            edge = filled.right() if filled.width() > 0 else rect.left()
            half = opt.fontMetrics.horizontalAdvance(text) / 2 + _TEXT_OVERHANG
            centre = rect.center().x()
            if edge <= centre - half or edge >= centre + half:
                on_bar = edge > centre
                painter.setClipRect(rect)  # as each side's clip would have cut it
                painter.setPen(text_colour_on(fill) if on_bar else ink(palette))
                painter.drawText(rect, _CENTRED, text)
            else:
                rest = QRectF(rect)
                rest.setLeft(edge)
                for side, pen in ((filled, text_colour_on(fill)), (rest, ink(palette))):
                    if side.width() <= 0:
                        continue
                    painter.save()
                    painter.setClipRect(side)
                    painter.setPen(pen)
                    painter.drawText(rect, _CENTRED, text)
                    painter.restore()
        painter.restore()


class MarkDelegate(QStyledItemDelegate):
    """Draws a cell's ``STATE_ROLE`` as a small coloured mark instead of its text.

    The text (a ✓, ◐ or ○) stays the cell's display value for copying and screen readers;
    the tooltip tells the state in words.
    """

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        code = index.data(STATE_ROLE)
        if not isinstance(code, int):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        rect = option.rect
        side = max(6, min(16, rect.height() - 6, rect.width() - 6))
        if code == NO_LOG:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(state_bar_color(NO_LOG, option.palette).darker(120))
            painter.drawEllipse(QRectF(rect.center().x() - 1.5, rect.center().y() - 1.5, 4, 4))
            painter.restore()
            return
        target = QRect(0, 0, side, side)
        target.moveCenter(rect.center())
        state_icon(code).paint(painter, target)
