"""Export CSV from the tabs: scopes, the dialog, progress, Cancel and errors."""

from __future__ import annotations

import csv
import threading

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QPushButton

from viewer.export import pathway_csv
from viewer.export.rows import EVERYTHING, MATRIX, SCREEN
from viewer.inbox.ui.tab import InboxTab
from viewer.pathway.ui.tab import FETCH_KEY, PathwayTab
from viewer.widgets.export_controller import suggested_folder
from viewer.window.main_window import MainWindow

WAIT_MS = 15000
PATHWAY = "Become A Store Owner"


def rows_of(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def pathway_tab(qtbot, connections, settings):
    tab = PathwayTab(connections, settings)
    qtbot.addWidget(tab)
    tab.resize(1300, 800)
    tab.show()
    tab.pathway_input.setEditText(PATHWAY)
    tab.fetch_button.click()
    qtbot.waitUntil(
        lambda: tab.data is not None and not tab.runner.is_running(FETCH_KEY), timeout=WAIT_MS
    )
    yield tab
    tab.shutdown()
    assert tab.runner.active_count == 0


@pytest.fixture
def inbox_tab(qtbot, connections, settings):
    tab = InboxTab(connections, settings)
    qtbot.addWidget(tab)
    tab.resize(1300, 800)
    tab.show()
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and not tab.model.loading, timeout=WAIT_MS)
    yield tab
    tab.shutdown()
    assert tab.runner.active_count == 0


def export(qtbot, tab, path, scope):
    with qtbot.waitSignal(tab.exporter.finished, timeout=WAIT_MS) as blocker:
        assert tab.exporter.export_to(str(path), scope) is not None
    return blocker.args


def search(tab: PathwayTab, text: str) -> None:
    tab.views.search_edit.setText(text)
    tab.views.apply_search()


def test_on_screen_export_follows_the_quick_search(qtbot, pathway_tab, tmp_path):
    data = pathway_tab.data
    everything = tmp_path / "all.csv"
    assert export(qtbot, pathway_tab, everything, EVERYTHING)[0] is True
    assert len(rows_of(everything)) - 1 == data.log_count

    needle = data.users[0].email
    search(pathway_tab, needle)
    model = pathway_tab.views.tree_model
    root = model.index(0, 0)
    shown = sum(model.rowCount(model.index(r, 0, root)) for r in range(model.rowCount(root)))
    assert 0 < shown < data.log_count
    screen = tmp_path / "screen.csv"
    ok, message = export(qtbot, pathway_tab, screen, SCREEN)
    assert ok and f"{shown:,} rows" in message
    rows = rows_of(screen)
    assert len(rows) - 1 == shown
    email = rows[0].index("email")
    assert {row[email] for row in rows[1:]} == {needle}
    again = tmp_path / "all-again.csv"
    export(qtbot, pathway_tab, again, EVERYTHING)
    assert len(rows_of(again)) - 1 == data.log_count


def test_matrix_export_has_the_users_on_screen(qtbot, pathway_tab, tmp_path):
    data = pathway_tab.data
    target = tmp_path / "matrix.csv"
    export(qtbot, pathway_tab, target, MATRIX)
    rows = rows_of(target)
    assert len(rows) - 1 == len(data.users)
    assert rows[0][4:] == [a.label for a in data.activities]
    search(pathway_tab, data.users[1].email)
    export(qtbot, pathway_tab, target, MATRIX)
    assert len(rows_of(target)) - 1 == pathway_tab.views.matrix_model.rowCount() == 1


def test_ctrl_e_opens_the_dialog_and_save_writes_the_file(qtbot, pathway_tab, tmp_path):
    action = pathway_tab.exporter.action
    assert action in pathway_tab.actions()
    assert action.shortcut() == QKeySequence("Ctrl+E")
    action.trigger()
    dialog = pathway_tab.exporter.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.path().endswith(".csv")
    assert set(dialog.scope_buttons) == {
        SCREEN,
        EVERYTHING,
        MATRIX,
        "groups",
        "follow-up",
        "progress",
    }
    target = tmp_path / "chosen.csv"
    dialog.path_edit.setText(str(target))
    dialog.scope_buttons[EVERYTHING].setChecked(True)
    with qtbot.waitSignal(pathway_tab.exporter.finished, timeout=WAIT_MS):
        dialog.buttons.accepted.emit()
    assert len(rows_of(target)) - 1 == pathway_tab.data.log_count


def test_cancel_stops_the_export_and_leaves_no_file(qtbot, pathway_tab, tmp_path, monkeypatch):
    gate = threading.Event()
    original = pathway_csv.DataExport.csv_blocks

    def slow_blocks(self):
        blocks = original(self)
        yield next(blocks)
        gate.wait(WAIT_MS / 1000)
        yield from blocks

    monkeypatch.setattr(pathway_csv.DataExport, "csv_blocks", slow_blocks)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.csv"
    exporter = pathway_tab.exporter
    with qtbot.waitSignal(exporter.finished, timeout=WAIT_MS) as blocker:
        exporter.export_to(str(target), EVERYTHING)
        progress = exporter.progress
        assert progress is not None and progress.isVisible()
        qtbot.waitUntil(lambda: any(folder.iterdir()), timeout=WAIT_MS)  # writing has begun
        progress.findChild(QPushButton).click()  # the dialog's Cancel button
        gate.set()
    assert blocker.args[0] is False
    assert "cancelled" in blocker.args[1]
    assert list(folder.iterdir()) == []
    assert exporter.progress is None and not exporter.running


def test_a_write_error_is_shown_and_leaves_no_file(qtbot, pathway_tab, tmp_path):
    target = tmp_path / "missing" / "out.csv"
    messages = []
    pathway_tab.statusMessage.connect(messages.append)
    ok, message = export(qtbot, pathway_tab, target, EVERYTHING)
    assert ok is False
    assert "does not exist" in message
    box = pathway_tab.exporter.message_box
    assert box is not None and box.isVisible()
    assert "does not exist" in box.text()
    assert "Export failed" in messages
    box.close()
    assert not (tmp_path / "missing").exists()


def test_nothing_fetched_means_nothing_to_export(qtbot, connections, settings, tmp_path):
    tab = PathwayTab(connections, settings)
    qtbot.addWidget(tab)
    try:
        with qtbot.waitSignal(tab.exporter.finished, timeout=WAIT_MS) as blocker:
            assert tab.exporter.export_to(str(tmp_path / "o.csv"), EVERYTHING) is None
        assert blocker.args[0] is False
        tab.exporter.message_box.close()
        assert not (tmp_path / "o.csv").exists()
    finally:
        tab.shutdown()


def test_inbox_exports_the_rows_on_screen_or_everything(qtbot, inbox_tab, tmp_path):
    shown = inbox_tab.model.rowCount()
    assert 0 < shown < 230
    screen = tmp_path / "screen.csv"
    export(qtbot, inbox_tab, screen, SCREEN)
    rows = rows_of(screen)
    assert len(rows) - 1 == shown
    assert rows[1][0] == inbox_tab.model.activity(0).uuid
    everything = tmp_path / "all.csv"
    ok, message = export(qtbot, inbox_tab, everything, EVERYTHING)
    assert ok, message
    assert len(rows_of(everything)) - 1 == 230
    assert inbox_tab.exporter.action.shortcut() == QKeySequence("Ctrl+E")


def test_file_export_opens_the_export_dialog_of_the_current_tab(qtbot, connections, settings):
    window = MainWindow(connections, settings)
    qtbot.addWidget(window)
    window.show()
    for tab in (window.inbox_tab, window.pathway_tab):
        window.tabs.setCurrentWidget(tab)
        window.export_action.trigger()
        dialog = tab.exporter.dialog
        assert dialog is not None and dialog.isVisible()
        with qtbot.waitSignal(dialog.destroyed):
            dialog.reject()
    window.close()


def test_a_failed_save_keeps_the_dialog_open_with_the_choices(qtbot, pathway_tab, tmp_path):
    pathway_tab.exporter.action.trigger()
    dialog = pathway_tab.exporter.dialog
    missing = tmp_path / "missing" / "out.csv"
    dialog.path_edit.setText(str(missing))
    dialog.scope_buttons[MATRIX].setChecked(True)
    with qtbot.waitSignal(pathway_tab.exporter.finished, timeout=WAIT_MS) as blocker:
        dialog.buttons.accepted.emit()
    assert blocker.args[0] is False
    assert pathway_tab.exporter.message_box is None  # said in the dialog, not over it
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "does not exist" in dialog.error_label.text()
    assert dialog.path() == str(missing) and dialog.scope() == MATRIX
    assert dialog.path_edit.isEnabled() and dialog.buttons.isEnabled()
    target = tmp_path / "out.csv"
    dialog.path_edit.setText(str(target))
    with qtbot.waitSignal(dialog.destroyed, timeout=WAIT_MS):
        dialog.buttons.accepted.emit()
    assert len(rows_of(target)) - 1 == len(pathway_tab.data.users)


def test_the_suggested_folder_falls_back_to_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    documents = tmp_path / "Documents"
    assert suggested_folder(str(documents)) == str(tmp_path)
    assert suggested_folder("") == str(tmp_path)
    documents.mkdir()
    assert suggested_folder(str(documents)) == str(documents)
