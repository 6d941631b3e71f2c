"""Triage like a mail client: j and k read what they select when asked to, the tray shows
the unread count, and new activities bring a desktop notification while away."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon

from tests.inbox.ui.conftest import WAIT_MS, is_bold, wait_idle, wait_loaded
from viewer.api.activity_types import Activity
from viewer.inbox.ui.settings import MARK_READ_ON_SELECT, NOTIFY_NEW, option_actions
from viewer.inbox.ui.tray import InboxTray, badge_icon, badge_text, notification_for
from viewer.window.main_window import MainWindow


def focus_view(qtbot, tab) -> None:
    tab.activateWindow()
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus, timeout=WAIT_MS)


def read_on_server(server_client) -> dict[str, bool]:
    return {a.uuid: bool(a.is_read) for a in server_client.walk()}


def test_with_mark_read_when_selected_j_and_k_read_each_row_on_the_server(
    qtbot, make_tab, settings, server_client
):
    settings.setValue(MARK_READ_ON_SELECT, True)
    tab = make_tab()
    wait_loaded(qtbot, tab)
    focus_view(qtbot, tab)
    uuids = [tab.model.activity(r).uuid for r in range(6)]
    assert any(not read for u, read in read_on_server(server_client).items() if u in uuids)
    tab.view.selectRow(0)
    for _ in range(5):
        qtbot.keyClick(tab.view, Qt.Key.Key_J)
    assert tab.view.current_uuid() == uuids[5]
    qtbot.keyClick(tab.view, Qt.Key.Key_K)
    assert tab.view.current_uuid() == uuids[4]
    assert not any(is_bold(tab, r) for r in range(6))  # at once, before the server answers
    wait_idle(qtbot, tab)
    states = read_on_server(server_client)
    assert all(states[u] for u in uuids)


def test_without_it_selecting_reads_nothing(qtbot, loaded_tab, server_client):
    tab = loaded_tab
    row = next(r for r in range(1, tab.model.rowCount()) if not tab.model.activity(r).is_read)
    focus_view(qtbot, tab)
    tab.view.selectRow(row - 1)
    qtbot.keyClick(tab.view, Qt.Key.Key_J)
    assert tab.view.currentIndex().row() == row
    wait_idle(qtbot, tab)
    assert is_bold(tab, row)
    assert not read_on_server(server_client)[tab.model.activity(row).uuid]


def test_the_option_is_remembered(settings, qapp):
    actions = {a.objectName(): a for a in option_actions(settings, qapp)}
    select = actions["markReadOnSelectAction"]
    assert not select.isChecked() and actions["notifyNewAction"].isChecked()
    select.setChecked(True)
    assert settings.value(MARK_READ_ON_SELECT, type=bool) is True
    assert {a.objectName(): a for a in option_actions(settings, qapp)}[
        "markReadOnSelectAction"
    ].isChecked()
    for action in actions.values():
        action.deleteLater()


# -- the tray -------------------------------------------------------------------------------


def open_window(qtbot, connections, settings) -> MainWindow:
    window = MainWindow(connections, settings)
    qtbot.addWidget(window)
    wait_loaded(qtbot, window.inbox_tab)
    return window


def test_the_tray_count_follows_marking(qtbot, connections, settings, server_client):
    window = open_window(qtbot, connections, settings)
    tray, tab = window.tray, window.inbox_tab
    unread = server_client.unread_count().unread
    qtbot.waitUntil(lambda: tray.unread == unread, timeout=WAIT_MS)
    assert tray.badge == badge_text(unread)
    assert tray.tooltip.endswith(f"{unread:,} unread activities")
    row = next(r for r in range(tab.model.rowCount()) if not tab.model.activity(r).is_read)
    tab.marker.mark([tab.model.activity(row).uuid], True)
    qtbot.waitUntil(lambda: tray.unread == unread - 1, timeout=WAIT_MS)
    assert tray.tooltip.endswith(f"{unread - 1:,} unread activities")
    tab.reading.mark_all_read(confirm=lambda _question: True)
    qtbot.waitUntil(lambda: tray.unread == 0, timeout=WAIT_MS)
    assert tray.badge == "" and tray.tooltip.endswith("no unread activities")
    window.close()


# The offscreen platform has no window stacking to raise the window in.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_asking_for_the_inbox_brings_the_window_forward_on_it(qtbot, connections, settings):
    window = open_window(qtbot, connections, settings)
    window.tabs.setCurrentWidget(window.pathway_tab)
    window.showMinimized()
    window.tray.showInboxRequested.emit()  # a click on the icon or on a notification
    assert window.tabs.currentWidget() is window.inbox_tab
    assert window.isVisible() and not window.isMinimized()
    window.close()


def test_new_activities_bring_one_notification_while_the_window_is_away(
    qtbot, connections, settings, demo_server
):
    window = open_window(qtbot, connections, settings)
    assert not window.isActiveWindow()  # never shown: not in use
    tab = window.inbox_tab
    notes: list[tuple[str, str]] = []
    window.tray.notificationRequested.connect(lambda title, text: notes.append((title, text)))
    demo_server.add_activities(2, "security")
    with qtbot.waitSignal(tab.poller.headChecked, timeout=WAIT_MS):
        tab.poll()
    assert notes == [("2 new activities", "2 Security")]
    with qtbot.waitSignal(tab.poller.headChecked, timeout=WAIT_MS):
        tab.poll()  # the same two again: already told
    assert len(notes) == 1
    window.close()


def test_no_notification_when_the_setting_is_off(qtbot, connections, settings, demo_server):
    settings.setValue(NOTIFY_NEW, False)
    window = open_window(qtbot, connections, settings)
    tab = window.inbox_tab
    notes: list[tuple[str, str]] = []
    window.tray.notificationRequested.connect(lambda title, text: notes.append((title, text)))
    demo_server.add_activities(3)
    with qtbot.waitSignal(tab.activitiesArrived, timeout=WAIT_MS):
        tab.poll()
    assert notes == []
    assert not tab.notice.isHidden()  # the tab still says so
    window.close()


def test_notifications_name_counts_and_types_only():
    activities = [
        Activity(uuid=str(n), type=kind, title="<b>secret</b>")
        for n, kind in enumerate(["security"] * 3 + ["payment", "a<b>", "x", "y"])
    ]
    title, text = notification_for(activities)
    assert title == "7 new activities"
    assert text == "3 Security, 1 Payment, 1 Ab, 2 more"
    assert notification_for(activities[:1]) == ("1 new activity", "1 Security")


def test_the_badge_is_drawn_on_the_icon(qapp):
    plain = badge_icon(QIcon(), "").pixmap(64, 64).toImage()
    badged = badge_icon(QIcon(), "7").pixmap(64, 64).toImage()
    red = QColor(badged.pixel(60, 20))
    assert red.red() > 180 and red.green() < 80  # the disc, top right
    assert QColor(plain.pixel(60, 20)) != red
    assert badge_text(0) == "" and badge_text(42) == "42" and badge_text(250) == "99+"


def test_without_a_system_tray_no_icon_is_made(qtbot, connections, settings):
    window = open_window(qtbot, connections, settings)
    tray = InboxTray(window, settings, available=False)
    assert tray.icon is None
    tray.set_unread(5)
    assert tray.tooltip.endswith("5 unread activities") and tray.badge == "5"
    tray.close()
    window.close()
