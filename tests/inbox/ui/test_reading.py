"""Marking activities read and unread: on screen at once, on the server, rolled back on refusal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.inbox.ui.conftest import WAIT_MS, is_bold, page_requests, wait_idle
from viewer.window.main_window import MainWindow


def first_unread_row(tab, start: int = 0) -> int:
    model = tab.model
    return next(r for r in range(start, model.rowCount()) if not model.activity(r).is_read)


def click_row(qtbot, tab, row: int) -> None:
    rect = tab.view.visualRect(tab.model.index(row, 0))
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def server_read_states(server_client) -> dict[str, bool]:
    return {a.uuid: bool(a.is_read) for a in server_client.walk()}


def focus_view(qtbot, tab) -> None:
    tab.activateWindow()
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus, timeout=WAIT_MS)


def test_clicking_an_unread_row_marks_it_read_on_screen_and_server(
    qtbot, loaded_tab, demo_server, server_client
):
    tab = loaded_tab
    before = server_client.unread_count().unread
    row = first_unread_row(tab)
    uuid = tab.model.activity(row).uuid
    assert is_bold(tab, row)
    click_row(qtbot, tab, row)
    assert not is_bold(tab, row)  # at once, before the server has answered
    qtbot.waitUntil(lambda: server_client.unread_count().unread == before - 1, timeout=WAIT_MS)
    assert ("POST", f"/v1/activities/{uuid}/read", {"read": True}) in demo_server.request_log
    assert tab.details.title.text() == tab.model.activity(row).title


def test_mark_read_rolls_back_when_server_fails(qtbot, loaded_tab, demo_server, server_client):
    tab = loaded_tab
    before = server_client.unread_count().unread
    row = first_unread_row(tab)
    demo_server.faults.set(status=500, api="activity", times=1)
    click_row(qtbot, tab, row)
    assert not is_bold(tab, row)
    qtbot.waitUntil(lambda: is_bold(tab, row) and tab.banner.isVisible(), timeout=WAIT_MS)
    assert "could not be marked as read" in tab.banner.text
    assert tab.banner.title == "Server error"
    assert server_client.unread_count().unread == before
    # Retry from the banner does what failed.
    tab.banner.findChild(QPushButton, "bannerAction").click()
    qtbot.waitUntil(lambda: server_client.unread_count().unread == before - 1, timeout=WAIT_MS)
    assert not is_bold(tab, row)


def test_shortcuts_mark_several_selected_rows(qtbot, loaded_tab, server_client):
    tab = loaded_tab
    focus_view(qtbot, tab)
    tab.view.selectRow(0)
    for row in range(1, 6):
        tab.view.selectionModel().select(
            tab.model.index(row, 0),
            tab.view.selectionModel().SelectionFlag.Select
            | tab.view.selectionModel().SelectionFlag.Rows,
        )
    uuids = tab.view.selected_uuids()
    assert len(uuids) == 6
    qtbot.keyClick(tab.view, Qt.Key.Key_R)
    assert not any(is_bold(tab, r) for r in range(6))
    wait_idle(qtbot, tab)
    states = server_read_states(server_client)
    assert all(states[u] for u in uuids)

    qtbot.keyClick(tab.view, Qt.Key.Key_U)
    assert all(is_bold(tab, r) for r in range(6))
    wait_idle(qtbot, tab)
    states = server_read_states(server_client)
    assert not any(states[u] for u in uuids)


def test_m_toggles_read_and_j_k_move(qtbot, loaded_tab, server_client):
    tab = loaded_tab
    focus_view(qtbot, tab)
    row = first_unread_row(tab)
    tab.view.selectRow(row)
    qtbot.keyClick(tab.view, Qt.Key.Key_M)
    assert not is_bold(tab, row)
    qtbot.keyClick(tab.view, Qt.Key.Key_M)
    assert is_bold(tab, row)
    qtbot.keyClick(tab.view, Qt.Key.Key_J)
    assert tab.view.currentIndex().row() == row + 1
    qtbot.keyClick(tab.view, Qt.Key.Key_K)
    qtbot.keyClick(tab.view, Qt.Key.Key_K) if row > 0 else None
    assert tab.view.currentIndex().row() == max(row - 1, 0)
    wait_idle(qtbot, tab)
    assert not server_read_states(server_client)[tab.model.activity(row).uuid]


def test_context_menu_actions_mark_unread(qtbot, loaded_tab, server_client):
    tab = loaded_tab
    row = next(r for r in range(tab.model.rowCount()) if tab.model.activity(r).is_read)
    tab.view.selectRow(row)
    tab.view.mark_unread_action.trigger()
    assert is_bold(tab, row)
    wait_idle(qtbot, tab)
    assert not server_read_states(server_client)[tab.model.activity(row).uuid]


def test_mark_all_read_for_a_type(qtbot, loaded_tab, demo_server, server_client):
    tab = loaded_tab
    tab.filters.select_type("security")
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and not tab.model.loading, timeout=WAIT_MS)
    before = server_client.unread_count()
    assert before.for_type("security") > 0
    questions: list[str] = []
    assert tab.reading.mark_all_read(confirm=lambda q: questions.append(q) or True)
    assert questions[0] == "Mark every “Security” activity as read?"
    assert not any(is_bold(tab, r) for r in range(tab.model.rowCount()))
    qtbot.waitUntil(
        lambda: tab.counts is not None and tab.counts.for_type("security") == 0, timeout=WAIT_MS
    )
    after = server_client.unread_count()
    assert after.for_type("security") == 0
    assert after.unread == before.unread - before.for_type("security")
    assert (
        "POST",
        "/v1/activities/read",
        {"isRead": True, "type": "security"},
    ) in demo_server.request_log
    assert tab.title == f"Activity inbox ({after.unread})"


def test_mark_all_read_for_a_subtype_sends_its_name(qtbot, loaded_tab, demo_server, server_client):
    tab = loaded_tab
    tab.filters.select_type("security")
    security = next(t for t in tab.filters.types() if t.name == "security")
    login = next(s for s in security.subtypes if s.name == "login")
    tab.filters.select_subtype(login.key)
    before = server_client.unread_count()
    assert tab.reading.mark_all_read(confirm=lambda q: True)
    wait_idle(qtbot, tab)
    after = server_client.unread_count()
    assert after.for_subtype("security", "login") == 0
    assert after.for_type("security") == before.for_type("security") - before.for_subtype(
        "security", "login"
    )
    body = {"isRead": True, "type": "security", "subtype": "login"}
    assert ("POST", "/v1/activities/read", body) in demo_server.request_log


def test_mark_all_read_declined_changes_nothing(qtbot, loaded_tab, demo_server):
    tab = loaded_tab
    demo_server.clear_request_log()
    bold = [is_bold(tab, r) for r in range(tab.model.rowCount())]
    assert not tab.reading.mark_all_read(confirm=lambda q: False)
    assert [is_bold(tab, r) for r in range(tab.model.rowCount())] == bold
    assert not [m for m, *_ in demo_server.request_log if m == "POST"]


def test_unread_count_is_in_the_tab_title(qtbot, loaded_tab, server_client):
    tab = loaded_tab
    unread = server_client.unread_count().unread
    assert tab.title == f"Activity inbox ({unread})"
    with qtbot.waitSignal(tab.titleChanged, timeout=WAIT_MS) as blocker:
        click_row(qtbot, tab, first_unread_row(tab))
    assert blocker.args == [f"Activity inbox ({unread - 1})"]


def test_main_window_shows_the_count_on_the_tab(qtbot, connections, settings, server_client):
    window = MainWindow(connections, settings)
    qtbot.addWidget(window)
    tabs = window.tabs
    index = tabs.indexOf(window.inbox_tab)
    unread = server_client.unread_count().unread
    try:
        qtbot.waitUntil(
            lambda: tabs.tabText(index) == f"Activity inbox ({unread})", timeout=WAIT_MS
        )
    finally:
        window.close()
    assert window.inbox_tab.runner.active_count == 0


def test_new_activities_notice_shows_them_on_request(qtbot, loaded_tab, demo_server):
    tab = loaded_tab
    new = demo_server.add_activities(3)
    tab.poll()
    qtbot.waitUntil(tab.notice.isVisible, timeout=WAIT_MS)
    assert tab.notice.text == "3 new activities arrived."
    tab.notice.findChild(QPushButton, "bannerAction").click()
    qtbot.waitUntil(
        lambda: not tab.model.loading and tab.model.activity(0).uuid == new[0], timeout=WAIT_MS
    )
    assert [tab.model.activity(r).uuid for r in range(3)] == new
    assert not tab.notice.isVisible()


def test_no_notice_when_nothing_is_new(qtbot, loaded_tab, demo_server):
    tab = loaded_tab
    demo_server.clear_request_log()
    tab.poll()
    wait_idle(qtbot, tab)
    assert any("per_page=20" in p for p in page_requests(demo_server))
    assert not tab.notice.isVisible()


def test_f5_reloads_from_the_top_keeping_the_selection(qtbot, loaded_tab, demo_server):
    tab = loaded_tab
    focus_view(qtbot, tab)
    tab.view.selectRow(7)
    uuid = tab.view.current_uuid()
    new = demo_server.add_activities(2)
    demo_server.clear_request_log()
    qtbot.keyClick(tab.view, Qt.Key.Key_F5)
    qtbot.waitUntil(
        lambda: not tab.model.loading and tab.model.activity(0).uuid == new[0], timeout=WAIT_MS
    )
    assert page_requests(demo_server)[0].startswith("/v1/activities?page=1&")
    assert tab.view.current_uuid() == uuid
    assert tab.view.selected_uuids() == [uuid]
    assert tab.view.currentIndex().row() == 9


def test_timer_tick_refreshes_counts_and_looks_for_new_activities(
    qtbot, loaded_tab, demo_server, server_client
):
    tab = loaded_tab
    unread = server_client.unread_count().unread
    demo_server.add_activities(1)
    with qtbot.waitSignal(tab.titleChanged, timeout=WAIT_MS) as blocker:
        tab.refresh_timer.timeout.emit()
    assert blocker.args == [f"Activity inbox ({unread + 1})"]
    qtbot.waitUntil(tab.notice.isVisible, timeout=WAIT_MS)
    assert tab.notice.text == "1 new activity arrived."
