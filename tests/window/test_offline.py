"""End to end: saved copies when the server cannot be reached, and File > Open snapshot."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from tests.pathway.ui.conftest import FETCH_TIMEOUT_MS, fetch
from viewer.api.pathway import PathwayQuery
from viewer.inbox.ui.tab import InboxTab
from viewer.jobs import CancelToken
from viewer.pathway.columns import NAME
from viewer.pathway.fetch import FetchProgress
from viewer.pathway.ui.fetch_status import fetch_job
from viewer.pathway.ui.tab import PathwayTab
from viewer.snapshots import ACTIVITY, PATHWAY, SUFFIX, PendingSnapshot
from viewer.window.main_window import MainWindow


@pytest.fixture
def tab(saving_tab):
    """Every fetch of these tests is kept as a snapshot."""
    return saving_tab


def shown_counts(tab: PathwayTab) -> dict[str, int]:
    model = tab.views.tree_model
    root = model.index(0, 0)
    return {
        model.index(r, NAME, root).data(): model.rowCount(model.index(r, 0, root))
        for r in range(model.rowCount(root))
    }


def test_each_fetch_is_saved_without_the_token(qtbot, tab, store, demo_server):
    data = fetch(qtbot, tab, "Pathway A")
    assert tab.snapshot is not None
    assert store.snapshots() == [tab.snapshot]
    assert tab.snapshot.size == data.response_size
    assert tab.snapshot.hash == data.hash
    assert tab.snapshot.query == {"pathway": "Pathway A"}
    assert tab.snapshot.title == "Pathway A"
    for path in store.directory.iterdir():
        assert demo_server.pathway_token.encode() not in path.read_bytes()


def test_the_tree_shows_without_waiting_for_its_copy(qtbot, tab, store, monkeypatch):
    shown = threading.Event()
    commit = PendingSnapshot.commit

    def after_the_tree(pending, **meta):
        # A fetch that waited for its copy would never show the tree: this gives up then.
        assert shown.wait(FETCH_TIMEOUT_MS / 1000), "the tree waited for the copy"
        return commit(pending, **meta)

    monkeypatch.setattr(PendingSnapshot, "commit", after_the_tree)
    tab.titleChanged.connect(lambda _title: shown.set())
    data = fetch(qtbot, tab, "Pathway A")
    assert store.snapshots() == [tab.snapshot] and tab.snapshot.hash == data.hash
    assert tab.changes.current is data  # comparisons waited for the copy


def test_a_copy_is_kept_when_nobody_shows_its_answer(connections, store):
    # A fetch cancelled or replaced once its answer decoded: its result is dropped, and
    # neither the tree nor the save job ever sees it.
    data, keeper = fetch_job(
        connections, PathwayQuery("Pathway A"), FetchProgress(), store, CancelToken(), _no_progress
    )
    assert keeper is not None
    keeper.wait()
    assert [copy.hash for copy in store.snapshots()] == [data.hash]
    assert [path.suffix for path in store.directory.iterdir()] == [SUFFIX]  # nothing partial


def _no_progress(_done: int, _total: int | None) -> None:
    pass


def test_a_copy_that_fails_to_be_put_in_place_says_so_and_keeps_the_tree(
    qtbot, tab, store, monkeypatch
):
    def broken(pending, **_meta):
        pending.discard()
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("viewer.snapshots.PendingSnapshot.commit", broken)
    tab.pathway_input.setEditText("Pathway A")
    tab.fetch_button.click()
    qtbot.waitUntil(lambda: tab.data is not None, timeout=FETCH_TIMEOUT_MS)
    data = tab.data
    qtbot.waitUntil(lambda: not tab.saving, timeout=FETCH_TIMEOUT_MS)
    assert tab.data is data and tab.snapshot is None and store.snapshots() == []
    assert tab.banner.title == "Not saved for offline use"
    assert "disk on fire" in tab.banner.text
    assert tab.status.text().endswith(" · not saved for offline use")


def test_unreachable_server_offers_the_saved_copy_marked_offline(qtbot, tab, store, demo_server):
    data = fetch(qtbot, tab, "Pathway A")
    counts = shown_counts(tab)
    totals = (len(data.activities), len(data.users), data.log_count, data.state_counts())
    demo_server.stop()

    fetch(qtbot, tab, expect_error=True)

    assert tab.banner.title in ("Network problem", "Timed out")
    assert "A copy saved just now can be shown instead." in tab.banner.text
    assert tab.saved_copy_button.isVisible()
    assert tab.saved_copy_button.text() == "Show saved copy"
    qtbot.mouseClick(tab.saved_copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.data is not data and tab.offline, timeout=FETCH_TIMEOUT_MS)

    shown = tab.data
    assert (len(shown.activities), len(shown.users), shown.log_count, shown.state_counts()) == (
        totals
    )
    assert shown_counts(tab) == counts
    assert tab.status.text().startswith("Offline — saved copy from just now")
    assert tab.banner.isVisible() and tab.banner.title == "Offline"
    assert "#fff4e5" in tab.banner.styleSheet()  # the warning colours
    assert not tab.saved_copy_button.isVisible()
    assert shown.query is not None and shown.query.pathway == "Pathway A"
    assert shown.fetched_at == tab.snapshot.fetched_at


def test_no_saved_copy_is_offered_for_other_errors_or_other_queries(qtbot, tab, demo_server):
    fetch(qtbot, tab, "Pathway A")
    fetch(qtbot, tab, "No such pathway", expect_error=True)
    assert tab.banner.title == "Not found"
    assert not tab.saved_copy_button.isVisible()
    demo_server.stop()
    fetch(qtbot, tab, "Become A Store Owner", expect_error=True)
    assert tab.banner.title in ("Network problem", "Timed out")
    assert not tab.saved_copy_button.isVisible()  # nothing saved for this pathway


def test_a_damaged_copy_shows_an_error_not_a_crash(qtbot, tab, store, demo_server):
    fetch(qtbot, tab, "Pathway A")
    snapshot = tab.snapshot
    raw = snapshot.path.read_bytes()
    snapshot.path.write_bytes(raw[:20] + b"\0" * 64 + raw[84:])
    tab.open_snapshot(snapshot)
    qtbot.waitUntil(lambda: tab.banner.isVisible(), timeout=FETCH_TIMEOUT_MS)
    assert tab.banner.title == "Saved copy unreadable"
    assert "damaged" in tab.banner.text


def test_file_open_snapshot_loads_one_into_its_tab(
    qtbot, connections, settings, store, demo_server
):
    window = MainWindow(connections, settings, snapshots=store)
    qtbot.addWidget(window)
    window.show()
    tab = window.pathway_tab
    assert tab.snapshots is store
    data = fetch(qtbot, tab, "Pathway A")
    fetch(qtbot, tab, "Become A Store Owner")
    window.tabs.setCurrentWidget(window.inbox_tab)
    assert window.open_snapshot_action.isEnabled()
    assert window.open_snapshot_action in window.file_menu.actions()

    window.open_snapshot_action.trigger()
    dialog = window.snapshot_dialog
    assert dialog is not None and dialog.isVisible()
    model = dialog.model
    listed = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert listed[:2] == ["Become A Store Owner", "Pathway A"]
    assert model.index(0, 0).data() == "Pathway logs"
    assert model.index(0, 2).data() == f"127.0.0.1:{demo_server.port}"
    assert model.index(0, 4).data().endswith("kB")
    row = listed.index("Pathway A")
    dialog.view.selectRow(row)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: tab.data is not None and tab.data.query.pathway == "Pathway A")
    assert window.tabs.currentWidget() is tab
    assert tab.data.log_count == data.log_count
    assert not tab.offline
    assert tab.banner.title == "Saved copy"
    # Opened by choice, with the server reachable: nothing says offline.
    assert tab.status.text().startswith("Saved copy from ")
    assert "Offline" not in tab.status.text() + tab.banner.title + tab.banner.text
    assert tab.pathway_input.currentText() == "Pathway A"
    window.close()


def test_inbox_keeps_its_loaded_activities_and_shows_them_offline(
    qtbot, connections, settings, store, demo_server
):
    inbox = InboxTab(connections, settings, snapshots=store)
    qtbot.addWidget(inbox)
    inbox.show()
    qtbot.waitUntil(lambda: inbox.model.rowCount() > 0, timeout=FETCH_TIMEOUT_MS)
    qtbot.waitUntil(lambda: bool(store.snapshots(ACTIVITY)), timeout=FETCH_TIMEOUT_MS)
    saved = store.snapshots(ACTIVITY)
    assert len(saved) == 1 and not store.snapshots(PATHWAY)
    uuids = [inbox.model.activity(r).uuid for r in range(inbox.model.rowCount())]
    demo_server.stop()

    inbox.refresh()
    qtbot.waitUntil(lambda: inbox.saved_copy_button.isVisible(), timeout=FETCH_TIMEOUT_MS)
    qtbot.mouseClick(inbox.saved_copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: inbox.snapshot is not None, timeout=FETCH_TIMEOUT_MS)

    shown = [inbox.model.activity(r).uuid for r in range(inbox.model.rowCount())]
    assert shown == uuids
    assert inbox.banner.title == "Offline"
    assert inbox.offline
    assert inbox.status_label.text().startswith("Offline — saved copy from just now")
    inbox.shutdown()


def test_inbox_copy_opened_by_choice_is_not_called_offline(
    qtbot, connections, settings, store, demo_server
):
    window = MainWindow(connections, settings, snapshots=store)
    qtbot.addWidget(window)
    window.show()
    inbox = window.inbox_tab
    qtbot.waitUntil(lambda: bool(store.snapshots(ACTIVITY)), timeout=FETCH_TIMEOUT_MS)
    saved = store.snapshots(ACTIVITY)[0]

    window.show_snapshot(saved)  # what File > Open snapshot does with the chosen copy
    qtbot.waitUntil(lambda: inbox.snapshot == saved, timeout=FETCH_TIMEOUT_MS)
    assert window.tabs.currentWidget() is inbox
    assert not inbox.offline
    assert inbox.banner.title == "Saved copy" and inbox.banner.kind == "info"
    assert inbox.status_label.text().startswith("Saved copy from just now")
    assert "Offline" not in inbox.status_label.text() + inbox.banner.title + inbox.banner.text
    # The status line is the one in the window's status bar.
    assert inbox.status_widget().parentWidget() is window.statusBar()
    assert inbox.status_label.isVisible()

    inbox.banner._action.click()  # "Refresh": the server's list again
    qtbot.waitUntil(lambda: inbox.snapshot is None, timeout=FETCH_TIMEOUT_MS)
    assert not inbox.offline and "saved copy" not in inbox.status_label.text().lower()
    window.close()
