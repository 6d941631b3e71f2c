"""Help > Keyboard shortcuts lists every key the window's actions and shortcuts have, and
the menus show their keys (File > Export CSV… shows Ctrl+E)."""

from __future__ import annotations

from collections import Counter

from PySide6.QtGui import QAction, QKeySequence, QShortcut

from viewer.window.main_window import MainWindow
from viewer.window.shortcuts_dialog import EVERYWHERE


def keys_of(window: MainWindow) -> Counter:
    native = QKeySequence.SequenceFormat.NativeText
    found: Counter = Counter()
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            found[key.toString(native)] += 1
    for shortcut in window.findChildren(QShortcut):
        for key in shortcut.keys():  # noqa: SIM118 (a QShortcut, not a mapping)
            found[key.toString(native)] += 1
    return found


def test_the_dialog_lists_every_shortcut_found_in_the_main_window(qtbot, connections, settings):
    window = MainWindow(connections, settings)
    qtbot.addWidget(window)
    dialog = window.show_shortcuts()
    listed: Counter = Counter()
    for row in dialog.rows:
        for key in row.keys.split(", "):
            listed[key] += 1
    assert listed == keys_of(window)
    assert dialog.table.rowCount() == len(dialog.rows)
    table = {
        (dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text()): dialog.table.item(
            r, 2
        ).text()
        for r in range(dialog.table.rowCount())
    }
    assert table[("Ctrl+E", "Export CSV…")] == EVERYWHERE
    assert table[("F1", "Keyboard shortcuts")] == EVERYWHERE
    assert table[("J", "Next")] == "Activity inbox"
    assert table[("Ctrl+F", "Find in loaded activities")] == "Activity inbox"
    assert table[("Ctrl+F", "Search names, e-mails, groups")] == "Pathway logs"
    assert all(row.what for row in dialog.rows)  # every key says what it does
    dialog.reject()
    window.close()


def test_menus_show_their_keys_and_no_key_is_claimed_twice_in_one_place(
    qtbot, connections, settings
):
    window = MainWindow(connections, settings)
    qtbot.addWidget(window)
    assert window.export_action.shortcut() == QKeySequence("Ctrl+E")
    # The tabs' own export actions gave the key up, so Ctrl+E is never ambiguous.
    assert window.inbox_tab.exporter.action.shortcut().isEmpty()
    assert window.pathway_tab.exporter.action.shortcut().isEmpty()
    dialog = window.show_shortcuts()
    places = Counter((row.keys, row.where) for row in dialog.rows)
    assert [place for place, count in places.items() if count > 1] == []
    everywhere = {row.keys for row in dialog.rows if row.where == EVERYWHERE}
    in_tabs = {row.keys for row in dialog.rows if row.where != EVERYWHERE}
    assert everywhere.isdisjoint(in_tabs)
    dialog.reject()
    window.close()
