"""The details pane fits its field names to their length and keeps values room."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from tests.pathway.ui.conftest import fetch


def _items(tree):
    def walk(item):
        yield item
        for i in range(item.childCount()):
            yield from walk(item.child(i))

    for i in range(tree.topLevelItemCount()):
        yield from walk(tree.topLevelItem(i))


def test_field_names_show_whole_when_the_pane_has_room(qtbot, tab):
    fetch(qtbot, tab, "Pathway A")
    details = tab.details
    tab.splitter.setSizes([200, 500, 500])
    qtbot.waitUntil(lambda: details.tree.viewport().width() > 450)
    tree = details.tree
    metrics = tree.fontMetrics()
    longest = max(metrics.horizontalAdvance(item.text(0)) for item in _items(tree))
    assert tree.columnWidth(0) == details.field_width >= longest + tree.indentation()
    assert tree.columnWidth(0) < tree.viewport().width() // 2  # no more than the names need


def test_a_narrow_pane_keeps_values_room_and_elides_them_in_the_middle(qtbot, tab):
    fetch(qtbot, tab, "Pathway A")
    details = tab.details
    tab.splitter.setSizes([200, 800, 200])
    tree = details.tree
    qtbot.waitUntil(lambda: tree.viewport().width() < 220)
    assert tree.columnWidth(0) < details.field_width  # the names are cut, not the values
    room = tree.viewport().width()
    value = tree.fontMetrics().horizontalAdvance("0000-00-00 00:00:00")
    assert room - tree.columnWidth(0) >= min(value, room * 0.6)
    item = next(i for i in _items(tree) if i.text(0) == "Required activities")
    assert "Required activities" in item.toolTip(0)  # whole, where the column cuts it
    index = tree.indexFromItem(item, 1)
    option = QStyleOptionViewItem()
    tree.itemDelegateForIndex(index).initStyleOption(option, index)
    assert option.textElideMode == Qt.TextElideMode.ElideMiddle
