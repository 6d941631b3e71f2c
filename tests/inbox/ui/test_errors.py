"""Errors shown in the tab with what to do, an expired token, and an orderly shutdown."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from tests.inbox.ui.conftest import WAIT_MS, page_requests
from viewer.connections import ACTIVITY_SERVICE, Connections, ServiceConfig


def uuids(tab) -> list[str]:
    return [tab.model.activity(r).uuid for r in range(tab.model.rowCount())]


def retry(tab) -> None:
    tab.banner.findChild(QPushButton, "bannerAction").click()


def test_expired_token_asks_for_credentials_and_keeps_the_list(
    qtbot, loaded_tab, connections, demo_server
):
    tab = loaded_tab
    shown = uuids(tab)
    connections.set_config(ACTIVITY_SERVICE, ServiceConfig(demo_server.url, "expired-token"))
    with qtbot.waitSignal(tab.credentialsRequested, timeout=WAIT_MS) as blocker:
        tab.refresh()
    assert blocker.args == [ACTIVITY_SERVICE]
    qtbot.waitUntil(lambda: not tab.model.loading, timeout=WAIT_MS)
    assert uuids(tab) == shown
    assert tab.banner.isVisible() and tab.banner.title == "Not authorised"
    assert "token" in tab.banner.text

    connections.set_config(
        ACTIVITY_SERVICE, ServiceConfig(demo_server.url, demo_server.activity_token)
    )
    retry(tab)
    qtbot.waitUntil(lambda: not tab.banner.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not tab.model.loading, timeout=WAIT_MS)
    assert uuids(tab) == shown


def test_a_failed_page_shows_a_banner_and_retry_loads_it(qtbot, loaded_tab, demo_server):
    tab = loaded_tab
    demo_server.faults.set(status=500, api="activity", times=1)
    tab.model.fetchMore()
    qtbot.waitUntil(tab.banner.isVisible, timeout=WAIT_MS)
    assert tab.banner.title == "Server error"
    assert "try again" in tab.banner.text
    assert tab.model.rowCount() == 100
    assert not tab.model.canFetchMore()  # the view does not hammer a failing server
    retry(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 200, timeout=WAIT_MS)
    assert not tab.banner.isVisible()


def test_an_answer_that_is_not_json_is_explained(qtbot, loaded_tab, demo_server):
    tab = loaded_tab
    demo_server.faults.set(not_json=True, api="activity", times=1)
    tab.model.fetchMore()
    qtbot.waitUntil(tab.banner.isVisible, timeout=WAIT_MS)
    assert tab.banner.title == "Unexpected response"


def test_filters_that_match_nothing_say_so(qtbot, loaded_tab):
    tab = loaded_tab
    tab.filters.reference_edit.setText("00000000-0000-4000-8000-000000000000")
    tab.filters.reference_edit.returnPressed.emit()
    qtbot.waitUntil(lambda: tab.list_stack.currentWidget() is tab.list_empty, timeout=WAIT_MS)
    assert tab.list_empty.text.text() == "No activities match these filters."


def test_without_a_server_the_tab_says_what_to_do(qtbot, make_tab, demo_server):
    demo_server.clear_request_log()
    tab = make_tab(conns=Connections())
    assert tab.stack.currentWidget() is tab.unconfigured
    assert "File > Connections" in tab.unconfigured.text.text()
    assert tab.runner.active_count == 0
    assert not tab.refresh_timer.isActive()
    assert page_requests(demo_server) == []


def test_refresh_timer_uses_the_setting(qtbot, make_tab, settings):
    settings.setValue("inbox/refreshSeconds", 15)
    tab = make_tab(qsettings=settings)
    assert tab.refresh_timer.interval() == 15000
    assert tab.refresh_timer.isActive()


def test_shutdown_stops_timers_and_waits_for_running_work(qtbot, loaded_tab, demo_server):
    tab = loaded_tab
    demo_server.faults.set(latency=0.5, api="activity")
    tab.refresh()
    tab.model.fetchMore()
    assert tab.runner.active_count > 0
    rows = tab.model.rowCount()
    tab.shutdown()
    demo_server.faults.reset()
    assert tab.runner.active_count == 0
    assert not tab.refresh_timer.isActive()
    assert tab.model.rowCount() == rows
    tab.model.fetchMore()  # a view asking after shutdown starts nothing
    assert tab.runner.active_count == 0
