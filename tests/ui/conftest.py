"""Fixtures shared by the tests of offline use and of what changed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from viewer.snapshots import SnapshotStore
from viewer.ui.pathway_tab import PathwayTab


@pytest.fixture
def store(tmp_path) -> SnapshotStore:
    return SnapshotStore(tmp_path / "snapshots")


@pytest.fixture
def tab(qtbot, connections, settings, store) -> Iterator[PathwayTab]:
    """A pathway tab on the demo server that keeps a snapshot of every fetch."""
    widget = PathwayTab(connections, settings, snapshots=store)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    yield widget
    widget.shutdown()
