"""Long runs through both tabs: memory stays bounded and nothing is left behind.

The counts are the full ones by default; ``VIEWER_LOAD_SCALE=0.2`` (for example) shortens
them on a slow machine. Each test prints the process's resident memory before and after.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.pathway.ui.conftest import fetch
from viewer.connections import Connections
from viewer.demo.server import DemoServer
from viewer.inbox.ui.tab import InboxTab
from viewer.pathway.ui.tab import PathwayTab

SCALE = float(os.environ.get("VIEWER_LOAD_SCALE", "1"))
MARKS = max(10, int(1000 * SCALE))
FETCHES = max(5, int(100 * SCALE))
#: Growth allowed over a whole run: generous, as allocators keep freed memory.
GROWTH_LIMIT_MB = 80
WAIT_MS = 60000


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


@pytest.fixture
def big_server() -> Iterator[DemoServer]:
    server = DemoServer(seed=11, users=400, inbox=MARKS + 100, activities=10).start()
    server.store.mark_all(False, [], None)  # every click is a real change
    yield server
    server.stop()


@pytest.fixture
def big_connections(big_server) -> Iterator[Connections]:
    conns = Connections.to_demo_server(big_server)
    yield conns
    conns.close()


def test_a_thousand_mark_read_clicks_in_a_row(qtbot, big_server, big_connections, settings):
    tab = InboxTab(big_connections, settings)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    try:
        qtbot.waitUntil(
            lambda: tab.model.rowCount() > 0 and tab.counts is not None, timeout=WAIT_MS
        )
        gc.collect()
        before = rss_mb()
        view = tab.view
        clicked: list[str] = []
        for row in range(MARKS):
            while tab.model.rowCount() <= row:
                tab.model.fetchMore()
                qtbot.waitUntil(lambda: not tab.model.loading, timeout=WAIT_MS)
            index = tab.model.index(row, 0)
            view.scrollTo(index)
            QTest.mouseClick(
                view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
            )
            assert tab.model.activity(row).is_read  # shown read at once
            clicked.append(tab.model.activity(row).uuid)
        qtbot.waitUntil(
            lambda: not tab.marker.busy and tab.runner.active_count == 0, timeout=WAIT_MS
        )
        gc.collect()
        after = rss_mb()
        print(f"\ninbox: {MARKS} mark-read clicks, RSS {before:.1f} MB -> {after:.1f} MB")
        assert tab.banner.isHidden(), tab.banner.text
        assert len(set(clicked)) == MARKS
        assert all(tab.model.activity_by_uuid(uuid).is_read for uuid in clicked)
        assert all(big_server.store.is_read(uuid) for uuid in clicked)
        posts = [path for method, path, _ in big_server.request_log if method == "POST"]
        assert len(posts) == MARKS
        assert after - before < GROWTH_LIMIT_MB
    finally:
        tab.shutdown()


def test_a_hundred_pathway_fetches(qtbot, big_connections, settings):
    tab = PathwayTab(big_connections, settings)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    try:
        first = fetch(qtbot, tab, "Pathway A")
        tab.views.tree.expandAll()
        gc.collect()
        before = rss_mb()
        for _ in range(FETCHES):
            data = fetch(qtbot, tab, "Pathway A")
        tab.views.tree.expandAll()
        del first
        gc.collect()
        after = rss_mb()
        print(
            f"\npathway: {FETCHES} fetches of {data.log_count} logs, "
            f"RSS {before:.1f} MB -> {after:.1f} MB"
        )
        assert tab.banner.isHidden()
        assert after - before < GROWTH_LIMIT_MB
    finally:
        tab.shutdown()
