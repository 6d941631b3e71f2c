"""Errors, retries, stale answers and cancelling, against the real demo server."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.pathway.ui.conftest import fetch
from viewer.connections import PATHWAY_SERVICE, Connections, ServiceConfig
from viewer.pathway.columns import NAME
from viewer.pathway.ui.tab import FETCH_KEY, PathwayTab


def shown_pathway(tab: PathwayTab) -> str:
    return tab.views.tree_model.index(0, NAME).data()


def retry(qtbot, tab: PathwayTab) -> None:
    before = tab.data
    assert tab.banner.findChild(type(tab.fetch_button), "bannerAction").text() == "Retry"
    tab.banner.actionTriggered.emit()
    qtbot.waitUntil(lambda: tab.data is not before or not tab.banner.isHidden(), timeout=15000)
    qtbot.waitUntil(lambda: not tab.runner.is_running(FETCH_KEY), timeout=15000)


@pytest.mark.parametrize(
    ("fault", "title"),
    [
        ({"status": 401}, "Not authorised"),
        ({"status": 404}, "Not found"),
        ({"truncate": True}, "Network problem"),
        ({"not_json": True}, "Unexpected response"),
        ({"empty_body": True}, "Unexpected response"),
    ],
)
def test_error_shows_in_banner_keeps_data_and_retry_recovers(qtbot, tab, demo_server, fault, title):
    good = fetch(qtbot, tab, "Pathway A")
    demo_server.faults.set(api="pathway", times=1, **fault)
    asked: list[str] = []
    tab.credentialsRequested.connect(asked.append)
    fetch(qtbot, tab, expect_error=True)
    assert tab.banner.title == title
    assert tab.banner.text  # the error's message for people
    assert tab.data is good and shown_pathway(tab) == "Pathway A"  # last good data stays
    assert tab.views.tree_model.rowCount(tab.views.tree_model.index(0, 0)) > 0
    assert asked == ([PATHWAY_SERVICE] if fault.get("status") == 401 else [])
    requests = len(demo_server.request_log)
    retry(qtbot, tab)
    assert len(demo_server.request_log) == requests + 1
    assert tab.banner.isHidden()
    assert tab.data is not good and shown_pathway(tab) == "Pathway A"


def test_wrong_token_asks_for_credentials(qtbot, demo_server, settings):
    connections = Connections(ServiceConfig(demo_server.url, "d3Jvbmc="), demo=True)
    tab = PathwayTab(connections, settings)
    qtbot.addWidget(tab)
    try:
        with qtbot.waitSignal(tab.credentialsRequested, timeout=15000) as asked:
            fetch(qtbot, tab, "Pathway A", expect_error=True)
        assert asked.args == [PATHWAY_SERVICE]
        assert tab.banner.title == "Not authorised"
        assert "401" in tab.banner.text
        connections.set_config(
            PATHWAY_SERVICE, ServiceConfig(demo_server.url, demo_server.pathway_token)
        )
        retry(qtbot, tab)
        assert tab.data is not None and tab.banner.isHidden()
    finally:
        tab.shutdown()
        connections.close()


def test_unknown_pathway_is_not_found_and_a_known_one_recovers(qtbot, tab, demo_server):
    good = fetch(qtbot, tab, "Pathway A")
    fetch(qtbot, tab, "No Such Pathway", expect_error=True)
    assert tab.banner.title == "Not found"
    assert "No Such Pathway" in tab.banner.text
    assert tab.data is good
    retry(qtbot, tab)  # the same unknown pathway: still not found, one more request
    assert not tab.banner.isHidden() and tab.data is good
    fetch(qtbot, tab, "Become A Store Owner")
    assert shown_pathway(tab) == "Become A Store Owner"


def test_stopped_server_is_a_network_problem(qtbot, tab, demo_server):
    good = fetch(qtbot, tab, "Pathway A")
    demo_server.stop()
    fetch(qtbot, tab, expect_error=True)
    assert tab.banner.title == "Network problem"
    assert tab.data is good and shown_pathway(tab) == "Pathway A"


def test_slow_stale_answer_does_not_overwrite_a_newer_one(qtbot, tab, demo_server):
    demo_server.faults.set(api="pathway", latency=1.5, times=1)
    tab.pathway_input.setEditText("Pathway A")
    tab.fetch_button.click()  # slow: answered after the next one
    qtbot.waitUntil(lambda: len(demo_server.request_log) == 1)
    with qtbot.waitSignal(tab.runner.discarded, timeout=15000):
        fetch(qtbot, tab, "Become A Store Owner")
        assert shown_pathway(tab) == "Become A Store Owner"
    assert shown_pathway(tab) == "Become A Store Owner"
    assert tab.data.pathway.name == "Become A Store Owner"
    assert not tab.cancel_button.isEnabled() and not tab.progress.isVisible()


@pytest.mark.parametrize("how", ["button", "escape"])
def test_cancel_stops_a_fetch(qtbot, tab, demo_server, how):
    demo_server.faults.set(api="pathway", latency=1.0, times=1)
    tab.pathway_input.setEditText("Pathway A")
    tab.fetch_button.click()
    assert (
        tab.runner.is_running(FETCH_KEY)
        and tab.cancel_button.isEnabled()
        and tab.progress.isVisible()
    )
    with qtbot.waitSignal(
        tab.runner.activeChanged, timeout=15000, check_params_cb=lambda n: n == 0
    ):
        if how == "button":
            tab.cancel_button.click()
        else:
            tab.pathway_input.setFocus()
            QTest.keyClick(tab.pathway_input, Qt.Key.Key_Escape)
        assert not tab.runner.is_running(FETCH_KEY) and not tab.cancel_button.isEnabled()
    assert tab.data is None and tab.banner.isHidden()
    fetch(qtbot, tab)  # and the next fetch works
    assert shown_pathway(tab) == "Pathway A"
