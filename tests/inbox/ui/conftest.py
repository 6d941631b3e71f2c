"""Fixtures for the inbox tab: a tab on the real demo server, and a client to check it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QSettings

from viewer.api.activity import ActivityClient
from viewer.connections import Connections
from viewer.inbox.ui.tab import InboxTab

WAIT_MS = 10000


@pytest.fixture
def server_client(demo_server) -> Iterator[ActivityClient]:
    """The test's own view of the server, independent of the tab's client."""
    client = ActivityClient(demo_server.url, demo_server.activity_token)
    yield client
    client.close()


@pytest.fixture
def make_tab(qtbot, connections: Connections, settings: QSettings) -> Iterator[Callable]:
    """Builds shown tabs and shuts every one of them down at the end of the test."""
    tabs: list[InboxTab] = []

    def make(conns: Connections | None = None, qsettings: QSettings | None = None) -> InboxTab:
        tab = InboxTab(conns or connections, qsettings or settings)
        qtbot.addWidget(tab)
        tab.resize(1300, 800)
        tab.show()
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.shutdown()
        assert tab.runner.active_count == 0


@pytest.fixture
def loaded_tab(qtbot, make_tab) -> InboxTab:
    """A tab with its first page, its types and its counts in."""
    tab = make_tab()
    wait_loaded(qtbot, tab)
    return tab


def wait_loaded(qtbot, tab: InboxTab) -> None:
    qtbot.waitUntil(
        lambda: (
            tab.model.rowCount() > 0
            and not tab.model.loading
            and tab.counts is not None
            and tab.filters.type_combo.count() > 1
        ),
        timeout=WAIT_MS,
    )


def wait_idle(qtbot, tab: InboxTab) -> None:
    """Until no background job of the tab is running."""
    qtbot.waitUntil(lambda: tab.runner.active_count == 0, timeout=WAIT_MS)


def page_requests(demo_server) -> list[str]:
    return [
        path for method, path, _ in demo_server.request_log if path.startswith("/v1/activities?")
    ]


def is_bold(tab: InboxTab, row: int) -> bool:
    from PySide6.QtCore import Qt

    font = tab.model.data(tab.model.index(row, 0), Qt.ItemDataRole.FontRole)
    return font is not None and font.bold()
