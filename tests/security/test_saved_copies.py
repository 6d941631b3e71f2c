"""One answer cannot wipe the saved copies: the pathway tab says when a copy is not kept."""

from __future__ import annotations

import pytest

from tests.pathway.ui.conftest import FETCH_TIMEOUT_MS
from viewer.pathway.ui.tab import FETCH_KEY, PathwayTab
from viewer.snapshots import PATHWAY, SnapshotStore


@pytest.fixture
def small_store(tmp_path, demo_server) -> SnapshotStore:
    """Room for a small earlier copy, not for the demo's Pathway A."""
    store = SnapshotStore(tmp_path / "snapshots", max_bytes=2_000)
    store.save(b"[]" * 50, server=demo_server.url, service=PATHWAY, query={"pathway": "B"})
    return store


def fetch_shown(qtbot, tab: PathwayTab, pathway: str) -> None:
    before = tab.data
    tab.pathway_input.setEditText(pathway)
    tab.fetch_button.click()
    qtbot.waitUntil(lambda: tab.data is not before, timeout=FETCH_TIMEOUT_MS)
    qtbot.waitUntil(
        lambda: not tab.runner.is_running(FETCH_KEY) and tab.settled, timeout=FETCH_TIMEOUT_MS
    )


def test_a_copy_larger_than_the_store_is_not_kept_and_the_tab_says_so(
    qtbot, connections, settings, small_store
):
    earlier = small_store.snapshots()
    tab = PathwayTab(connections, settings, snapshots=small_store)
    qtbot.addWidget(tab)
    try:
        fetch_shown(qtbot, tab, "Pathway A")
        assert tab.data is not None and tab.data.log_count > 0  # the answer is shown all the same
        assert tab.snapshot is None
        assert small_store.snapshots() == earlier  # nothing evicted for it
        assert list(small_store.directory.iterdir()) == [s.path for s in earlier]
        assert tab.status.text().endswith(" · not saved for offline use")
        assert not tab.banner.isHidden()
        assert tab.banner.title == "Not saved for offline use"
        assert "not kept" in tab.banner.text and "earlier copies are all kept" in tab.banner.text
        assert "snapshots/maxMegabytes" in tab.banner.text

        small_store.max_bytes = 10_000_000
        fetch_shown(qtbot, tab, "Pathway A")
        assert tab.banner.isHidden() and tab.snapshot is not None
        assert not tab.status.text().endswith("not saved for offline use")
        assert [s.query["pathway"] for s in small_store.snapshots()] == ["Pathway A", "B"]
    finally:
        tab.shutdown()
