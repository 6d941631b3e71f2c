"""The pathway views follow the palette: the colours they had on a light one, readable ones
on a dark one, read when painting so a palette changed at run time is followed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem, QTableView

from tests.palettes import dark_palette
from tests.pathway.ui.conftest import fetch
from viewer.pathway.columns import STATE
from viewer.pathway.data import COMPLETED, IN_PROGRESS, NO_LOG, NOT_STARTED, OTHER
from viewer.pathway.diff import COMPLETED_NOW, LOG_REMOVED, STARTED, WENT_BACK
from viewer.pathway.ui.changes import CHANGE_COLUMN, KIND_ROLE, ChangeKindDelegate
from viewer.pathway.ui.chart import PathwayChart
from viewer.pathway.ui.colours import (
    change_color,
    grid,
    ink,
    muted,
    series_color,
    state_background,
    state_bar_color,
    state_color,
    track,
)
from viewer.pathway.ui.delegates import ProgressDelegate
from viewer.pathway.ui.style import DISPLAY, PROGRESS_ROLE, STATE_ROLE
from viewer.widgets.tones import contrast

STATES = (COMPLETED, IN_PROGRESS, NOT_STARTED, OTHER, NO_LOG)
Role = QPalette.ColorRole


def light_palette() -> QPalette:
    """Fusion's own light palette, the one these views were designed on."""
    palette = QApplication.style().standardPalette()
    assert palette.color(Role.Base).lightness() > palette.color(Role.Text).lightness()
    return palette


# -- light: the colours these views have always had ---------------------------------------


def test_a_light_palette_keeps_the_state_colours(qapp):
    palette = light_palette()
    assert [state_color(c, palette).name() for c in STATES] == [
        "#176b36",
        "#94520a",
        "#5f6368",
        "#5a3ea3",
        "#9aa0a6",
    ]
    assert [state_background(c, palette).color().name() for c in STATES] == [
        "#cdebd7",
        "#fde3b8",
        "#e6e7e9",
        "#e4dcf6",
        "#ffffff",
    ]
    assert [state_bar_color(c, palette).name() for c in STATES] == [
        "#2e9e5b",
        "#ef9a2a",
        "#b9bcc1",
        "#8f75d1",
        "#dadce0",
    ]


def test_a_light_palette_keeps_the_chart_and_change_colours(qapp):
    palette = light_palette()
    assert [c.name() for c in (ink(palette), muted(palette), grid(palette), track(palette))] == [
        "#202124",
        "#5f6368",
        "#e3e5e8",
        "#e8eaed",
    ]
    kinds = (COMPLETED_NOW, STARTED, WENT_BACK, LOG_REMOVED)
    assert [change_color(k, palette).name() for k in kinds] == [  # type: ignore[union-attr]
        "#1b7a3a",
        "#1c5aa6",
        "#b3261e",
        "#8a5300",
    ]
    assert [series_color(n, palette).name() for n in (0, 7, 8, 14)] == [
        "#0072b2",
        "#5f6368",
        "#004c7a",
        "#0072b2",
    ]


# -- dark: every colour reads on what it is drawn on --------------------------------------


@pytest.mark.parametrize("code", STATES)
def test_on_a_dark_palette_state_text_reads_on_the_views_rows(dark_app, code):
    palette = QApplication.palette()
    text = state_color(code, palette)
    for role in (Role.Base, Role.AlternateBase, Role.Window):
        assert contrast(text, palette.color(role)) >= 4.5, (code, role)
    assert contrast(text, state_background(code, palette).color()) >= 4.5
    # A mark or bar in the state's colour stands out from the rows (3:1 for graphics).
    if code != NO_LOG:
        assert contrast(state_bar_color(code, palette), palette.color(Role.Base)) >= 3


def test_on_a_dark_palette_chart_and_change_text_reads(dark_app):
    palette = QApplication.palette()
    base = palette.color(Role.Base)
    assert contrast(ink(palette), base) >= 4.5
    assert contrast(muted(palette), base) >= 4.5
    assert contrast(ink(palette), track(palette)) >= 4.5  # a bar's share, over its track
    for kind in (COMPLETED_NOW, STARTED, WENT_BACK, LOG_REMOVED):
        colour = change_color(kind, palette)
        assert colour is not None
        for role in (Role.Base, Role.AlternateBase):
            assert contrast(colour, palette.color(role)) >= 4.5, kind
    for number in range(14):
        assert contrast(series_color(number, palette), base) >= 3, number


# -- painted with the palette of the widget, when it is painted ---------------------------


def colours_in(image: QImage) -> set[str]:
    return {
        image.pixelColor(x, y).name()
        for y in range(0, image.height(), 1)
        for x in range(0, image.width(), 2)
    }


def lightest(image: QImage) -> int:
    return max(
        image.pixelColor(x, y).lightness()
        for y in range(image.height())
        for x in range(image.width())
    )


def test_the_summary_chart_draws_its_text_in_the_palette_it_has_now(qtbot, tab):
    fetch(qtbot, tab, "Pathway A")
    chart = PathwayChart()
    qtbot.addWidget(chart)
    chart.set_pathway_data(tab.data)
    chart.resize(700, chart.sizeHint().height())
    title = QRect(0, 8, 300, 24)  # "Pathway A: 480 logs", bold, in the chart's text colour

    chart.setPalette(light_palette())
    light = chart.grab(title).toImage()
    assert "#202124" in colours_in(light)

    chart.setPalette(dark_palette())  # changed at run time: the next paint follows it
    dark = chart.grab(title).toImage()
    background = dark_palette().color(Role.Base)
    assert dark.pixelColor(QPoint(2, 2)).name() == background.name()
    assert "#202124" not in colours_in(dark)
    assert lightest(dark) >= QColor(240, 240, 240).lightness() - 10  # light text on dark


def test_the_tree_colours_state_text_by_its_own_palette(qtbot, tab):
    fetch(qtbot, tab, "Pathway A")
    tree, model = tab.views.tree, tab.views.tree_model
    activity = model.index(0, 0, model.index(0, 0))
    tree.expand(activity)
    cell = model.index(0, STATE, activity)
    code = cell.data(STATE_ROLE)
    assert code in STATES

    def text_colour() -> QColor:
        option = QStyleOptionViewItem()
        option.initFrom(tree)
        tree.itemDelegateForIndex(cell).initStyleOption(option, cell)
        return option.palette.color(Role.Text)

    assert text_colour() == state_color(code, light_palette())
    tree.setPalette(dark_palette())
    assert text_colour() == state_color(code, dark_palette())
    assert contrast(text_colour(), dark_palette().color(Role.Base)) >= 4.5


def test_the_change_column_is_coloured_by_the_views_palette(qtbot):
    model = QStandardItemModel(1, CHANGE_COLUMN + 1)
    item = QStandardItem(WENT_BACK)
    item.setData(WENT_BACK, KIND_ROLE)
    model.setItem(0, CHANGE_COLUMN, item)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = ChangeKindDelegate(view)
    cell = model.index(0, CHANGE_COLUMN)
    for palette in (light_palette(), dark_palette()):
        view.setPalette(palette)
        option = QStyleOptionViewItem()
        option.initFrom(view)
        delegate.initStyleOption(option, cell)
        assert option.palette.color(Role.Text) == change_color(WENT_BACK, palette)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_an_empty_progress_bar_is_drawn_on_the_palettes_track(qapp, dark):
    palette = dark_palette() if dark else light_palette()
    model = QStandardItemModel(1, 1)
    item = QStandardItem()
    item.setData(0.0, PROGRESS_ROLE)
    item.setData("", DISPLAY)
    model.setItem(0, 0, item)
    image = QImage(120, 24, QImage.Format.Format_ARGB32)
    image.fill(palette.color(Role.Base))
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 120, 24)
    option.palette = palette
    painter = QPainter(image)
    ProgressDelegate().paint(painter, option, model.index(0, 0, QModelIndex()))
    painter.end()
    assert image.pixelColor(60, 12).name() == track(palette).name()
    assert (image.pixelColor(60, 12).name() == "#e8eaed") is not dark


def _bar(fraction: float, text: str) -> QImage:
    """A 120 x 24 cell of ``ProgressDelegate`` on white, on the light palette."""
    model = QStandardItemModel(1, 1)
    item = QStandardItem()
    item.setData(fraction, PROGRESS_ROLE)
    item.setData(text, DISPLAY)
    model.setItem(0, 0, item)
    image = QImage(120, 24, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 120, 24)
    option.palette = light_palette()
    painter = QPainter(image)
    ProgressDelegate().paint(painter, option, model.index(0, 0, QModelIndex()))
    painter.end()
    return image


@pytest.mark.parametrize(
    ("fraction", "on_bar", "on_track"),
    [(1.0, True, False), (0.0, False, True), (0.5, True, True)],
    ids=["full", "empty", "half"],
)
def test_a_bars_text_takes_the_colour_of_what_is_behind_it(qapp, fraction, on_bar, on_track):
    # Drawn once when wholly on one side of the bar's edge, twice (clipped) when crossed.
    image = _bar(fraction, "888888")
    blank = _bar(fraction, "")
    inked = {
        (x, y)
        for x in range(120)
        for y in range(24)
        if image.pixelColor(x, y) != blank.pixelColor(x, y)
    }
    assert inked and all(4 <= x < 116 and 3 <= y < 21 for x, y in inked)  # within the bar
    edge = 4 + 112 * fraction
    light = {
        p for p in inked if image.pixelColor(*p).lightness() > blank.pixelColor(*p).lightness()
    }
    assert bool({p for p in light if p[0] < edge}) == on_bar  # white letters on the fill
    assert bool({p for p in inked - light if p[0] >= edge}) == on_track  # dark on the track


def test_the_application_palette_is_what_models_fall_back_on(dark_app):
    # Bars' colours come from the models, which have no palette of their own.
    assert state_color(COMPLETED) == state_color(COMPLETED, dark_palette())
    assert state_color(COMPLETED) != state_color(COMPLETED, light_palette())


def test_a_shown_tab_makes_the_state_colours_before_any_logs_are_painted(
    qtbot, connections, settings
):
    from viewer.pathway.ui import colours
    from viewer.pathway.ui.tab import PathwayTab

    colours._state.cache_clear()
    tab = PathwayTab(connections, settings)
    qtbot.addWidget(tab)
    assert colours._state.cache_info().currsize == 0  # nothing at construction
    tab.show()
    qtbot.waitUntil(lambda: colours._state.cache_info().currsize == 10)  # 5 states, 2 modes
    assert tab.data is None  # no tree of logs needed them yet
    tab.shutdown()
