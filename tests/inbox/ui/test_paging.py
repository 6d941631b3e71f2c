"""Lazy paging of the inbox list against the demo server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.inbox.ui.conftest import WAIT_MS, page_requests


def fetch_to_end(qtbot, model, between=None) -> None:
    """Scroll-like paging: one fetchMore at a time until the model has no more."""
    while model.canFetchMore():
        if between is not None:
            between()
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)


def shown_uuids(model) -> list[str]:
    return [model.activity(row).uuid for row in range(model.rowCount())]


def page_numbers(demo_server) -> list[int]:
    return [int(parse_qs(urlsplit(p).query)["page"][0]) for p in page_requests(demo_server)]


def test_first_page_only_until_the_user_scrolls(loaded_tab, demo_server):
    model = loaded_tab.model
    assert model.rowCount() == 100
    assert model.total == 230
    assert model.canFetchMore()
    assert page_numbers(demo_server) == [1]


def test_paging_reaches_the_servers_total_without_duplicates(qtbot, loaded_tab, demo_server):
    model = loaded_tab.model
    fetch_to_end(qtbot, model)
    uuids = shown_uuids(model)
    assert len(uuids) == len(set(uuids)) == model.total == 230
    assert model.exhausted and not model.canFetchMore()
    assert page_numbers(demo_server) == [1, 2, 3]


def test_scrolling_the_view_to_the_bottom_loads_the_next_page(qtbot, loaded_tab):
    view, model = loaded_tab.view, loaded_tab.model
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 200, timeout=WAIT_MS)


def test_new_activities_while_paging_are_not_shown_twice(
    qtbot, loaded_tab, demo_server, server_client
):
    model = loaded_tab.model
    before = {a.uuid for a in server_client.walk()}
    added: list[str] = []
    fetch_to_end(qtbot, model, between=lambda: added.extend(demo_server.add_activities(7)))
    uuids = shown_uuids(model)
    assert len(uuids) == len(set(uuids))
    assert set(uuids) == before  # every activity once; the new ones wait for a reload
    assert not set(added) & set(uuids)
    assert model.total == 230 + len(added)


def test_only_one_page_request_is_in_flight(qtbot, loaded_tab, demo_server):
    model = loaded_tab.model
    demo_server.clear_request_log()
    demo_server.faults.set(latency=0.4, api="activity", times=1)
    for _ in range(5):
        model.fetchMore()
    assert model.loading
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    assert page_numbers(demo_server) == [2]
    assert model.rowCount() == 200


def test_unread_only_pages_on_until_unread_rows_show(qtbot, make_tab, server_client):
    server_client.mark_all_read(True)
    deep = server_client.page(3, 100).data[-1].uuid
    server_client.mark_read(deep, False)
    tab = make_tab()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 100 and not tab.model.loading)
    tab.filters.unread_check.setChecked(True)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=WAIT_MS)
    assert tab.model.activity(0).uuid == deep
    assert tab.model.exhausted


def test_unread_only_keeps_a_row_read_on_screen_until_refiltered(qtbot, loaded_tab):
    tab = loaded_tab
    tab.filters.unread_check.setChecked(True)
    model = tab.model
    assert all(not model.activity(r).is_read for r in range(model.rowCount()))
    first = model.activity(0)
    tab.marker.mark([first.uuid], True)
    assert model.activity(0) is first and first.is_read
    tab.filters.unread_check.setChecked(False)
    tab.filters.unread_check.setChecked(True)
    assert model.row_of(first.uuid) == -1


def test_model_passes_the_model_tester(qtbot, qtmodeltester, loaded_tab):
    model = loaded_tab.model
    qtmodeltester.check(model)
    # Keep the tester attached while the model changes in every way it can.
    model.fetchMore()
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    loaded_tab.filters.unread_check.setChecked(True)
    loaded_tab.marker.mark([model.activity(0).uuid], True)
    loaded_tab.filters.unread_check.setChecked(False)
    loaded_tab.filters.select_type("security")
    qtbot.waitUntil(lambda: model.rowCount() > 0 and not model.loading, timeout=WAIT_MS)
    qtmodeltester.check(model)
