"""Fixtures for the pathway tab: a tab on the demo server, and a helper that fetches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from viewer.pathway.ui.tab import FETCH_KEY, PathwayTab

FETCH_TIMEOUT_MS = 15000


@pytest.fixture
def tab(qtbot, connections, settings) -> Iterator[PathwayTab]:
    widget = PathwayTab(connections, settings)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    yield widget
    widget.shutdown()


def fetch(qtbot, tab: PathwayTab, pathway: str | None = None, *, expect_error: bool = False):
    """Click Fetch (after typing ``pathway``) and wait for the answer or the error banner."""
    if pathway is not None:
        tab.pathway_input.setEditText(pathway)
    before = tab.data
    tab.banner.hide()
    tab.fetch_button.click()
    if expect_error:
        qtbot.waitUntil(lambda: not tab.banner.isHidden(), timeout=FETCH_TIMEOUT_MS)
    else:
        qtbot.waitUntil(
            lambda: tab.data is not before or not tab.banner.isHidden(), timeout=FETCH_TIMEOUT_MS
        )
        assert tab.banner.isHidden(), f"{tab.banner.title}: {tab.banner.text}"
    qtbot.waitUntil(
        lambda: not tab.runner.is_running(FETCH_KEY) and tab.settled, timeout=FETCH_TIMEOUT_MS
    )
    return tab.data


def last_body(server) -> dict:
    """The JSON body of the last pathway-logs request the demo server received."""
    for method, path, body in reversed(server.request_log):
        if method == "POST" and path.startswith("/v1/logs/pathway-logs"):
            return body
    raise AssertionError("no pathway-logs request was made")
