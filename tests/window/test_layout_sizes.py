"""End to end: at each common window size, the window keeps its size and no control is cut.

The main window is shown on the demo server at 1600x1000, 1200x780 and 900x600 with data on
both tabs: a fetched pathway, its matrix, its Changes filled in, a saved copy opened, the
inbox. After each step the window must have kept its size (a long status line or a wider
panel must not widen it), and every visible widget must be at least as wide as its
minimum size hint, so no button or label is clipped.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QLabel,
    QScrollBar,
    QToolButton,
    QWidget,
)

from tests.pathway.ui.conftest import FETCH_TIMEOUT_MS, fetch
from viewer.inbox.rows import Column
from viewer.pathway.columns import EMAIL, NAME, PROGRESS, RESULT, STATE, UPDATED
from viewer.pathway.ui.matrix_model import FIXED_COLUMNS
from viewer.pathway.ui.matrix_view import ACTIVITY_WIDTH
from viewer.pathway.ui.tab import FETCH_KEY
from viewer.snapshots import PATHWAY
from viewer.window.main_window import MainWindow

SIZES = [(1600, 1000), (1200, 780), (900, 600)]


def _inside_scrolled_content(widget: QWidget) -> bool:
    """Whether ``widget`` lies in the scrolled contents of a scroll area, where being cut
    is what scrolling is for (the tree's cells, a chart wider than its view)."""
    parent = widget.parentWidget()
    while parent is not None:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and parent is grand.viewport():
            return not _fills_its_view(grand)
        parent = grand
    return False


def _fills_its_view(area: QAbstractScrollArea) -> bool:
    """A scroll area whose single widget follows the view's width (a QToolBox page)."""
    resizable = getattr(area, "widgetResizable", None)
    return bool(resizable and resizable())


def shown_width(widget: QWidget) -> int:
    """How much of ``widget``'s width its ancestors leave visible."""
    rect = QRect(QPoint(0, 0), widget.size())
    while not widget.isWindow() and (parent := widget.parentWidget()) is not None:
        rect = rect.translated(widget.pos()).intersected(QRect(QPoint(0, 0), parent.size()))
        widget = parent
    return rect.width()


def narrow_controls(window: QWidget) -> list[str]:
    """Every visible widget narrower than its minimum size hint, named."""
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow():
            continue
        if isinstance(widget, QScrollBar):  # a scroll bar's hint is for its arrows, not text
            continue
        if widget.objectName() in ("ScrollLeftButton", "ScrollRightButton"):
            continue  # a tab bar's scroll arrows: Qt sizes them to the bar, not to the hint
        if _inside_scrolled_content(widget):
            continue
        hint = widget.minimumSizeHint()
        # What can be seen of it: a panel wider than the scroll area it sits in is cut too.
        shown = shown_width(widget)
        if hint.isValid() and shown < hint.width():
            name = widget.objectName() or widget.metaObject().className()
            parent = widget.parentWidget()
            where = parent.objectName() or parent.metaObject().className() if parent else ""
            found.append(f"{name} in {where}: {shown} < {hint.width()}")
    return found


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_window_keeps_its_size_and_no_control_is_cut(
    qtbot, connections, settings, store, demo_server, width, height
):
    window = MainWindow(connections, settings, snapshots=store)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    tab = window.pathway_tab
    steps: list[tuple[str, tuple[int, int], list[str]]] = []

    def check(step: str) -> None:
        qtbot.wait(1)  # let queued layout requests run
        cut = narrow_controls(window)
        arrows = tab.views.tabBar().findChildren(QToolButton)
        if any(arrow.isVisible() for arrow in arrows):
            cut.append("the views' tab bar scrolls")  # views without room go under More
        steps.append((step, (window.width(), window.height()), cut))

    check("start")
    fetch(qtbot, tab, "Pathway A")
    tab.views.tree.expand(tab.views.tree_model.index(0, 0, tab.views.tree_model.index(0, 0)))
    check("tree")
    tab.views.setCurrentWidget(tab.views.matrix)
    check("matrix")
    matrix = tab.views.matrix
    # Beside the first columns, at least four activities show without scrolling.
    first_activity = matrix.columnViewportPosition(len(FIXED_COLUMNS))
    assert matrix.viewport().width() - first_activity >= 4 * ACTIVITY_WIDTH
    before_changes = tab.splitter.sizes()
    assert demo_server.advance_pathway("Pathway A", 10) == 10
    fetch(qtbot, tab, "Pathway A")
    tab.views.setCurrentWidget(tab.changes)
    qtbot.waitUntil(lambda: tab.changes.model.rowCount() > 0, timeout=FETCH_TIMEOUT_MS)
    check("changes")
    assert tab.splitter.sizes() == before_changes  # filling in moved nothing
    tab.views.setCurrentWidget(tab.views.tree)
    check("tree after changes")
    oldest = store.snapshots(PATHWAY)[-1]
    window.show_snapshot(oldest)
    qtbot.waitUntil(
        lambda: tab.snapshot == oldest and not tab.runner.is_running(FETCH_KEY),
        timeout=FETCH_TIMEOUT_MS,
    )
    assert tab.banner.isVisible()
    check("saved copy")
    tab.filters.setCurrentIndex(1)  # the Types list, with its hint
    check("types")
    window.tabs.setCurrentWidget(window.inbox_tab)
    qtbot.waitUntil(lambda: window.inbox_tab.model.rowCount() > 0, timeout=FETCH_TIMEOUT_MS)
    check("inbox")
    # The side panes keep to their share: the views and the inbox list get the most room.
    assert tab.details.width() <= 0.3 * width
    inbox_list, inbox_details = window.inbox_tab.splitter.sizes()
    assert inbox_details <= 0.35 * width < inbox_list
    # The inbox's Title column gets more room than the (empty) details pane beside it.
    titles = window.inbox_tab.view.horizontalHeader().sectionSize(Column.TITLE)
    assert titles > inbox_details

    assert [(step, size) for step, size, _ in steps] == [
        (step, (width, height)) for step, _, _ in steps
    ]
    assert [(step, cut) for step, _, cut in steps if cut] == []
    window.close()


def visible_columns(tree) -> list[int]:
    """The tree's columns shown whole without scrolling, left to right."""
    header = tree.header()
    room = tree.viewport().width()
    shown = []
    for visual in range(header.count()):
        column = header.logicalIndex(visual)
        if header.isSectionHidden(column):
            continue
        if header.sectionViewportPosition(column) + header.sectionSize(column) <= room:
            shown.append(column)
    return shown


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_tree_shows_who_and_where_they_stand_at_each_size(
    qtbot, connections, settings, store, width, height
):
    window = MainWindow(connections, settings, snapshots=store)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    tab = window.pathway_tab
    fetch(qtbot, tab, "Pathway A")
    tree, header = tab.views.tree, tab.views.tree.header()
    qtbot.wait(1)
    shown = visible_columns(tree)
    wanted = [NAME, STATE, PROGRESS, RESULT]
    if width >= 1200:
        wanted += [EMAIL, UPDATED]  # the e-mail and the time too, the e-mail elided if need be
    assert shown[: len(wanted)] == wanted
    # What is never cut: the state with its icon, the counts, the time (of the open logs).
    model = tab.views.tree_model
    tree.expand(model.index(0, 0, model.index(0, 0)))
    for column in (STATE, PROGRESS, UPDATED):
        assert header.sectionSize(column) >= tree.sizeHintForColumn(column) > 0
    window.close()


def test_the_tree_gives_name_the_room_and_shows_the_email(qtbot, tab_on_window):
    window, tab = tab_on_window
    fetch(qtbot, tab, "Pathway A")
    tree, header = tab.views.tree, tab.views.tree.header()
    email = header.sectionViewportPosition(EMAIL) + header.sectionSize(EMAIL)
    assert email <= tree.viewport().width()  # visible without scrolling at 1200x780
    assert [header.logicalIndex(v) for v in range(5)] == [NAME, STATE, PROGRESS, RESULT, EMAIL]
    fitted = (EMAIL, STATE, PROGRESS, UPDATED, RESULT)
    room = tree.viewport().width()
    window.resize(1500, 780)
    qtbot.waitUntil(lambda: tree.viewport().width() > room + 100)
    name = header.sectionSize(NAME)
    widths = [header.sectionSize(c) for c in fitted]
    assert name > max(widths)
    window.resize(1600, 780)
    qtbot.waitUntil(lambda: header.sectionSize(NAME) > name)
    # Name takes what is gained: the fitted columns all show, and Name fills up to them.
    assert header.sectionSize(NAME) + sum(widths) == tree.viewport().width()
    assert [header.sectionSize(c) for c in fitted] == widths
    header.resizeSection(EMAIL, 321)  # by hand: from now on the widths are the user's
    window.resize(1200, 780)
    qtbot.wait(1)
    assert header.sectionSize(EMAIL) == 321 and tab.views.tree_columns.by_user


def test_a_cut_email_keeps_its_start_and_is_whole_in_its_tooltip(qtbot, tab_on_window):
    window, tab = tab_on_window
    window.resize(900, 600)
    fetch(qtbot, tab, "Pathway A")
    tree, model = tab.views.tree, tab.views.tree_model
    activity = model.index(0, 0, model.index(0, 0))
    email = model.index(0, EMAIL, activity)
    assert email.data() and email.data() in email.data(Qt.ItemDataRole.ToolTipRole)
    assert tree.textElideMode() == Qt.TextElideMode.ElideRight  # "joe.soap@ex…"
    # Wide enough for a name's worth of the address before it is cut.
    unit = tree.fontMetrics().averageCharWidth()
    assert tree.header().sectionSize(EMAIL) >= 16 * unit


def test_the_status_line_is_one_line_in_the_status_bar(qtbot, tab_on_window):
    window, tab = tab_on_window
    assert tab.status.parentWidget() is window.statusBar()
    fetch(qtbot, tab, "Pathway A")
    assert tab.status.isVisible() and tab.status.text().startswith("Fetched ")
    assert window.statusBar().currentMessage() == ""  # no second line saying the same
    tab.status.setText("Fetched · " + "x" * 2000)
    qtbot.wait(1)
    assert window.width() == 1200
    window.tabs.setCurrentWidget(window.inbox_tab)
    assert not tab.status.isVisible()
    window.tabs.setCurrentWidget(tab)
    assert tab.status.isVisible()
    tab._set_busy(True)  # the progress bar shown beside Fetch at the smallest size
    assert window.minimumSizeHint().width() <= 900
    tab._set_busy(False)


def test_the_inbox_status_line_is_the_one_in_the_status_bar(qtbot, tab_on_window):
    window, pathway = tab_on_window
    inbox = window.inbox_tab
    row = inbox.status_widget()
    assert row.parentWidget() is window.statusBar()
    assert inbox.status_label.parentWidget() is row
    assert inbox.more_button.parentWidget() is row  # Look further sits beside what it extends
    window.tabs.setCurrentWidget(inbox)
    qtbot.waitUntil(lambda: inbox.model.rowCount() > 0, timeout=FETCH_TIMEOUT_MS)
    assert row.isVisible() and not pathway.status.isVisible()
    assert inbox.status_label.text().endswith("activities")
    # Nothing under the list repeats it: the tab itself holds no status line any more.
    assert not [label for label in inbox.findChildren(QLabel) if label is inbox.status_label]
    inbox.status_label.setText("x" * 2000)
    qtbot.wait(1)
    assert window.width() == 1200
    window.tabs.setCurrentWidget(pathway)
    assert not row.isVisible() and pathway.status.isVisible()


@pytest.fixture
def tab_on_window(qtbot, connections, settings, store):
    window = MainWindow(connections, settings, snapshots=store)
    qtbot.addWidget(window)
    window.resize(1200, 780)
    window.show()
    qtbot.waitExposed(window)
    yield window, window.pathway_tab
    window.close()
