"""Fixtures for the security tests."""

from __future__ import annotations

import pytest

from viewer.inbox.ui.tab import InboxTab


@pytest.fixture
def make_inbox_tab(qtbot, settings):
    from viewer.connections import Connections

    tabs = []

    def make():
        tab = InboxTab(Connections(), settings)  # no server: nothing runs in the background
        qtbot.addWidget(tab)
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.shutdown()
