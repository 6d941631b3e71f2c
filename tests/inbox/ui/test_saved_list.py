"""A saved copy shown in place of the server's list: no page of the live list follows it."""

from __future__ import annotations

from tests.inbox.ui.conftest import WAIT_MS, page_requests, wait_idle
from viewer.api.activity_types import Activity


def saved() -> list[Activity]:
    return [Activity(uuid="saved-1", title="Saved one"), Activity(uuid="saved-2", title="Two")]


def test_a_saved_list_replaces_the_rows_and_stops_paging(qtbot, qtmodeltester, loaded_tab):
    model = loaded_tab.model
    qtmodeltester.check(model)
    pages: list[tuple[int, bool]] = []
    model.pageLoaded.connect(lambda count, replaced: pages.append((count, replaced)))
    model.show_saved(saved())
    assert [model.activity(r).uuid for r in range(model.rowCount())] == ["saved-1", "saved-2"]
    assert pages == [(2, True)]
    assert not model.canFetchMore() and not model.loading
    qtmodeltester.check(model)


def test_a_page_on_its_way_when_a_saved_list_is_shown_is_dropped(qtbot, loaded_tab, demo_server):
    model = loaded_tab.model
    demo_server.faults.set(latency=0.4, api="activity", times=1)
    model.fetchMore()
    assert model.loading
    model.show_saved(saved())
    assert not model.loading
    wait_idle(qtbot, loaded_tab)
    assert model.rowCount() == 2 and model.activity_by_uuid("saved-1") is not None


def test_reloading_after_a_saved_list_goes_back_to_the_server(qtbot, loaded_tab, demo_server):
    model = loaded_tab.model
    model.show_saved(saved())
    demo_server.clear_request_log()
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() == 100 and not model.loading, timeout=WAIT_MS)
    assert model.activity_by_uuid("saved-1") is None and model.canFetchMore()
    assert len(page_requests(demo_server)) == 1
