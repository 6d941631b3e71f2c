"""Every control can be found by name and reached from the keyboard, in the order it is laid
out: the main window with both tabs showing data, Connections and both Export dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from tests.pathway.ui.conftest import fetch
from viewer.widgets.accessibility import controls, own_name, unnamed_controls
from viewer.window.main_window import MainWindow

WAIT_MS = 15000


def describe(widgets: list[QWidget]) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName()!r} in {type(w.parent()).__name__}" for w in widgets
    ]


def tab_chain(root: QWidget) -> list[QWidget]:
    """The widgets Tab visits, in order, from the start of the window's focus chain."""
    seen: list[QWidget] = []
    first = widget = root.nextInFocusChain()
    while True:
        if (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.window() is root
        ):
            seen.append(widget)
        widget = widget.nextInFocusChain()
        if widget is first:
            return seen


def reachable(root: QWidget) -> tuple[list[QWidget], list[QWidget]]:
    """The visible, enabled controls, and those of them Tab does not reach."""
    chain = tab_chain(root)
    shown = [w for w in controls(root) if w.isVisible() and w.isEnabled()]
    missed = [
        w
        for w in shown
        if w not in chain and not (isinstance(w, QComboBox) and w.lineEdit() in chain)
    ]
    return shown, missed


@pytest.fixture
def window(qtbot, connections, settings):
    win = MainWindow(connections, settings)
    qtbot.addWidget(win)
    win.resize(1200, 780)
    win.show()
    fetch(qtbot, win.pathway_tab, "Pathway A")
    win.tabs.setCurrentWidget(win.inbox_tab)
    qtbot.waitUntil(lambda: win.inbox_tab.model.rowCount() > 0, timeout=WAIT_MS)
    win.tabs.setCurrentWidget(win.pathway_tab)
    yield win
    win.close()


def test_every_control_of_the_window_has_a_name(window):
    assert describe(unnamed_controls(window)) == []


def test_every_control_of_the_dialogs_has_a_name(qtbot, window):
    connections = window.open_connections()
    assert describe(unnamed_controls(connections)) == []
    with qtbot.waitSignal(connections.destroyed):
        connections.reject()
    for tab in (window.pathway_tab, window.inbox_tab):
        dialog = tab.exporter.open_dialog()
        assert dialog is not None
        assert describe(unnamed_controls(dialog)) == []
        with qtbot.waitSignal(dialog.destroyed):
            dialog.reject()


@pytest.mark.parametrize("tab_name", ["pathway_tab", "inbox_tab"])
def test_tab_reaches_every_control_of_both_tabs(window, tab_name):
    window.tabs.setCurrentWidget(getattr(window, tab_name))
    shown, missed = reachable(window)
    assert len(shown) >= 6
    assert describe(missed) == []


def test_the_pathway_tab_is_tabbed_through_as_laid_out(window):
    tab = window.pathway_tab
    chain = tab_chain(window)
    order = [tab.pathway_input, tab.fetch_button, tab.views.search_edit]
    positions = [
        chain.index(w.lineEdit() or w) if isinstance(w, QComboBox) else chain.index(w)
        for w in order
    ]
    assert positions == sorted(positions)
    filters = [w for w in chain if tab.filters.isAncestorOf(w)]
    assert filters and chain.index(filters[0]) > positions[-1]


def test_the_connections_dialog_is_tabbed_through_top_to_bottom(qtbot, window):
    dialog = window.open_connections()
    qtbot.waitExposed(dialog)
    chain = tab_chain(dialog)
    assert [own_name(w) for w in chain][-2:] == ["Save", "Close"]
    for panel in dialog.panels.values():
        inside = [w for w in chain if panel.isAncestorOf(w)]
        tops = [w.mapTo(dialog, w.rect().topLeft()).y() for w in inside]
        assert tops == sorted(tops), describe(inside)
        assert inside[0] is panel.url
    with qtbot.waitSignal(dialog.destroyed):
        dialog.reject()


def test_keyboard_alone_fetches_and_opens_export(qtbot, window):
    tab = window.pathway_tab
    tab.pathway_input.setFocus()
    tab.pathway_input.setEditText("Become A Store Owner")
    qtbot.keyClick(tab.pathway_input.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: tab.data is not None and tab.data.pathway.name == "Become A Store Owner",
        timeout=WAIT_MS,
    )
    qtbot.keyClick(tab.pathway_input, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tab.exporter.dialog is not None, timeout=WAIT_MS)
    dialog = tab.exporter.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.path_edit.setFocus()
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Escape)
