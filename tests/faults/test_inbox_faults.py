"""Every kind of failure, end to end through the inbox tab against the real demo server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from PySide6.QtWidgets import QPushButton

from tests.faults.cells import ALL_CELLS, CONNECTION_CELLS, RESPONSE_CELLS, Cell, restore
from viewer.api.activity import ActivityClient
from viewer.connections import ACTIVITY_SERVICE, Connections
from viewer.inbox.ui.tab import InboxTab

WAIT_MS = 15000


@pytest.fixture
def tab(qtbot, quick_connections: Connections, settings) -> Iterator[InboxTab]:
    widget = InboxTab(quick_connections, settings)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitUntil(
        lambda: (
            widget.model.rowCount() > 0
            and not widget.model.loading
            and widget.counts is not None
            and widget.filters.type_combo.count() > 1
            and widget.runner.active_count == 0
        ),
        timeout=WAIT_MS,
    )
    yield widget
    widget.shutdown()
    assert widget.runner.active_count == 0


@pytest.fixture
def server_client(demo_server) -> Iterator[ActivityClient]:
    client = ActivityClient(demo_server.url, demo_server.activity_token)
    yield client
    client.close()


def uuids(tab: InboxTab) -> list[str]:
    return [tab.model.activity(row).uuid for row in range(tab.model.rowCount())]


def wait_idle(qtbot, tab: InboxTab) -> None:
    qtbot.waitUntil(lambda: tab.runner.active_count == 0 and not tab.model.loading, timeout=WAIT_MS)


def check_banner(tab: InboxTab, cell: Cell, token: str) -> None:
    assert tab.banner.isVisible()
    assert tab.banner.title == cell.title, tab.banner.text
    for word in cell.words:
        assert word.lower() in tab.banner.text.lower(), tab.banner.text
    assert token not in tab.banner.text


@pytest.mark.parametrize("cell", ALL_CELLS, ids=repr)
def test_failed_refresh_is_explained_keeps_the_list_and_the_next_refresh_works(
    qtbot, tab, demo_server, quick_connections, other_origin, cell: Cell
):
    shown = uuids(tab)
    asked: list[str] = []
    tab.credentialsRequested.connect(asked.append)
    with ExitStack() as stack:
        cell.arrange(demo_server, quick_connections, ACTIVITY_SERVICE, other_origin, stack)
        tab.refresh()
        qtbot.waitUntil(tab.banner.isVisible, timeout=WAIT_MS)
        wait_idle(qtbot, tab)
        check_banner(tab, cell, demo_server.activity_token)
        assert uuids(tab) == shown  # the last good list stays
    assert asked == ([ACTIVITY_SERVICE] if cell.title == "Not authorised" else [])
    if cell.id == "redirect-other-origin":
        assert other_origin.requests == [], "the redirect to plain http elsewhere was followed"
        assert all("authorization" not in r.headers for r in other_origin.requests)
    restore(demo_server, quick_connections, ACTIVITY_SERVICE, demo_server.activity_token)
    demo_server.add_activities(1)
    tab.refresh()
    qtbot.waitUntil(lambda: not tab.banner.isVisible(), timeout=WAIT_MS)
    wait_idle(qtbot, tab)
    now = uuids(tab)
    assert now[1:] == shown[: len(now) - 1] and now[0] not in shown


MARK_CELLS = [
    c
    for c in CONNECTION_CELLS + RESPONSE_CELLS
    if c.id
    not in (
        # A POST that timed out may still have been carried out: nothing to roll back to.
        "read-timeout",
        # A mark's answer is 204 with no body to cut or replace; any 2xx means done.
        "reset-mid-body",
        "html-200",
        "empty-body",
        "truncated-json",
        "reported-error",
    )
]


@pytest.mark.parametrize("cell", MARK_CELLS, ids=repr)
def test_failed_mark_read_rolls_back_and_retry_marks_it(
    qtbot, tab, demo_server, quick_connections, other_origin, server_client, cell: Cell
):
    row = next(r for r in range(tab.model.rowCount()) if not tab.model.activity(r).is_read)
    uuid = tab.model.activity(row).uuid
    with ExitStack() as stack:
        cell.arrange(demo_server, quick_connections, ACTIVITY_SERVICE, other_origin, stack)
        tab.view.clicked.emit(tab.model.index(row, 0))
        assert tab.model.activity(row).is_read  # at once, before the server answers
        qtbot.waitUntil(tab.banner.isVisible, timeout=WAIT_MS)
        wait_idle(qtbot, tab)
        assert "could not be marked as read" in tab.banner.text
        assert tab.banner.title == cell.title, tab.banner.text
        assert not tab.model.activity_by_uuid(uuid).is_read  # rolled back
        assert not tab.marker.busy
    if cell.id == "redirect-other-origin":
        assert all("authorization" not in r.headers for r in other_origin.requests)
    restore(demo_server, quick_connections, ACTIVITY_SERVICE, demo_server.activity_token)
    assert uuid in {a.uuid for a in server_client.page(1, 100).data if not a.is_read}
    tab.banner.findChild(QPushButton, "bannerAction").click()
    qtbot.waitUntil(lambda: not tab.banner.isVisible(), timeout=WAIT_MS)
    wait_idle(qtbot, tab)
    qtbot.waitUntil(lambda: not tab.marker.busy, timeout=WAIT_MS)
    assert tab.model.activity_by_uuid(uuid).is_read
    assert uuid in {a.uuid for a in server_client.page(1, 100).data if a.is_read}


def test_a_page_ten_times_the_usual_size_is_read(qtbot, tab, demo_server):
    shown = uuids(tab)
    demo_server.faults.set(api="activity", padding=1_000_000)
    tab.refresh()
    wait_idle(qtbot, tab)
    assert tab.banner.isHidden()
    assert uuids(tab) == shown


def test_activities_added_between_pages_are_neither_doubled_nor_lost(
    qtbot, tab, demo_server, server_client
):
    everything = [a.uuid for a in server_client.walk(100)]
    assert tab.model.rowCount() < len(everything)
    for _ in range(10):
        if not tab.model.canFetchMore():
            break
        demo_server.add_activities(37)  # pushes what page 2 would show down by 37
        tab.model.fetchMore()
        wait_idle(qtbot, tab)
    loaded = uuids(tab)
    assert not tab.model.canFetchMore() and tab.banner.isHidden()
    assert len(loaded) == len(set(loaded))
    assert loaded == everything  # the new ones wait for a refresh; none of the old lost


def test_a_mark_that_fails_after_a_newer_mark_does_not_undo_it(qtbot, tab, demo_server):
    row = next(r for r in range(tab.model.rowCount()) if not tab.model.activity(r).is_read)
    uuid = tab.model.activity(row).uuid
    demo_server.faults.set(api="activity", status=500, times=1)
    tab.marker.mark([uuid], True)  # fails
    tab.marker.mark([uuid], False)  # queued behind it; succeeds
    tab.marker.mark([uuid], True)  # and again
    qtbot.waitUntil(lambda: not tab.marker.busy, timeout=WAIT_MS)
    wait_idle(qtbot, tab)
    assert tab.model.activity_by_uuid(uuid).is_read
