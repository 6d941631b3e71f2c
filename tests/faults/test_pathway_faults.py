"""Every kind of failure, end to end through the pathway tab against the real demo server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.faults.cells import ALL_CELLS, Cell, restore
from tests.pathway.ui.conftest import fetch
from viewer.connections import PATHWAY_SERVICE, Connections
from viewer.pathway.columns import NAME
from viewer.pathway.ui.tab import FETCH_KEY, PathwayTab


@pytest.fixture
def tab(qtbot, quick_connections: Connections, settings) -> Iterator[PathwayTab]:
    widget = PathwayTab(quick_connections, settings)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    yield widget
    widget.shutdown()


def shown_pathway(tab: PathwayTab) -> str:
    return tab.views.tree_model.index(0, NAME).data()


@pytest.mark.parametrize("cell", ALL_CELLS, ids=repr)
def test_fault_is_explained_keeps_data_and_the_next_fetch_works(
    qtbot, tab, demo_server, quick_connections, other_origin, cell: Cell
):
    good = fetch(qtbot, tab, "Pathway A")
    logs = good.log_count
    asked: list[str] = []
    tab.credentialsRequested.connect(asked.append)
    with ExitStack() as stack:
        cell.arrange(demo_server, quick_connections, PATHWAY_SERVICE, other_origin, stack)
        fetch(qtbot, tab, expect_error=True)
        assert tab.banner.title == cell.title, tab.banner.text
        for word in cell.words:
            assert word.lower() in tab.banner.text.lower(), tab.banner.text
        assert demo_server.pathway_token not in tab.banner.text
        # The last good answer stays on screen and usable.
        assert tab.data is good and shown_pathway(tab) == "Pathway A"
        assert tab.views.tree_model.rowCount(tab.views.tree_model.index(0, 0)) > 0
        assert not tab.runner.is_running(FETCH_KEY) and not tab.cancel_button.isEnabled()
    assert asked == ([PATHWAY_SERVICE] if cell.title == "Not authorised" else [])
    if cell.id == "redirect-other-origin":
        assert other_origin.requests == [], "the redirect to plain http elsewhere was followed"
        assert all("authorization" not in r.headers for r in other_origin.requests)
    restore(demo_server, quick_connections, PATHWAY_SERVICE, demo_server.pathway_token)
    again = fetch(qtbot, tab, "Pathway A")
    assert again is not good and again.log_count == logs
    assert tab.banner.isHidden()


def test_an_answer_ten_times_the_usual_size_is_read(qtbot, tab, demo_server):
    usual = fetch(qtbot, tab, "Pathway A")
    demo_server.faults.set(api="pathway", padding=9 * usual.response_size)
    big = fetch(qtbot, tab, "Pathway A")
    assert big.response_size >= 10 * usual.response_size
    assert big.log_count == usual.log_count and len(big.users) == len(usual.users)
    assert tab.banner.isHidden()


def test_a_server_that_answers_slowly_then_fails_does_not_overwrite_a_newer_answer(
    qtbot, tab, demo_server
):
    demo_server.faults.set(api="pathway", latency=0.6, status=500, times=1)
    tab.pathway_input.setEditText("Pathway A")
    tab.fetch_button.click()  # slow, and failing: superseded by the next fetch
    qtbot.waitUntil(lambda: len(demo_server.request_log) == 1)
    with qtbot.waitSignal(tab.runner.discarded, timeout=15000):
        fetch(qtbot, tab, "Become A Store Owner")
    assert tab.banner.isHidden()
    assert shown_pathway(tab) == "Become A Store Owner"
