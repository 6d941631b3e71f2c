"""End to end: what changed between two fetches of a pathway, its model and its CSV."""

from __future__ import annotations

import csv

import msgspec
import pytest
from PySide6.QtCore import Qt

from tests.pathway.ui.conftest import FETCH_TIMEOUT_MS, fetch
from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.pathway.diff import COMPLETED_NOW, HEADER, STARTED, Change, PathwayDiff
from viewer.pathway.ui.changes import CHANGE_COLUMN, COLUMNS, KIND_ROLE, ChangesModel
from viewer.pathway.ui.tab import PathwayTab

LABELS = {"not started": "Not started", "in progress": "In progress", "completed": "Completed"}


@pytest.fixture
def tab(saving_tab):
    """Every fetch of these tests is kept as a snapshot."""
    return saving_tab


def server_states(demo_server) -> dict[tuple[str, str], str]:
    with PathwayClient(demo_server.url, demo_server.pathway_token) as client:
        answer = msgspec.json.decode(client.fetch_body(PathwayQuery("Pathway A")))
    return {
        (log["email"], activity["name"]): LABELS[log["status"]["state"]]
        for activity in answer["data"][0]["activities"]
        for log in activity["logs"]
    }


def show_changes(qtbot, tab: PathwayTab) -> None:
    tab.views.setCurrentWidget(tab.changes)
    qtbot.waitUntil(lambda: tab.changes.model.diff is not None, timeout=FETCH_TIMEOUT_MS)


def test_changes_list_exactly_what_moved_since_the_previous_fetch(qtbot, tab, demo_server):
    before = server_states(demo_server)
    first = fetch(qtbot, tab, "Pathway A")
    first_snapshot = tab.snapshot
    assert tab.changes.base_choice.count() == 0  # nothing earlier to compare with
    assert demo_server.advance_pathway("Pathway A", 10) == 10
    after = server_states(demo_server)
    expected = {key: (before[key], after[key]) for key in after if before[key] != after[key]}
    assert len(expected) == 10

    fetch(qtbot, tab, "Pathway A")
    assert tab.changes.earlier() == first_snapshot  # the previous copy, by default
    show_changes(qtbot, tab)

    model = tab.changes.model
    assert model.rowCount() == 10
    rows = [[model.index(r, c).data() for c in range(len(COLUMNS))] for r in range(10)]
    got = {(row[1], row[2]): (row[3], row[4]) for row in rows}
    assert got == expected
    for row in rows:
        assert row[CHANGE_COLUMN] == (COMPLETED_NOW if row[4] == "Completed" else STARTED)
    assert tab.changes.stack.currentWidget() is tab.changes.view
    assert tab.changes.summary.text() == model.diff.summary()
    assert tab.changes.export_button.isEnabled()
    assert first.fetched_at < tab.data.fetched_at


def test_changes_export_to_csv(qtbot, tab, demo_server, tmp_path):
    fetch(qtbot, tab, "Pathway A")
    demo_server.advance_pathway("Pathway A", 4)
    fetch(qtbot, tab, "Pathway A")
    show_changes(qtbot, tab)
    path = tmp_path / "changes.csv"
    with qtbot.waitSignal(tab.statusMessage, timeout=FETCH_TIMEOUT_MS) as blocker:
        tab.changes.export_to(path)
    assert blocker.args == ["Exported 4 changes to changes.csv"]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == list(HEADER)
    assert rows[0] == [
        "email",
        "name",
        "activity_id",
        "activity_name",
        "before",
        "after",
        "change",
        "timestamp",
    ]
    assert sorted(rows[1:]) == sorted(list(c.row()) for c in tab.changes.model.diff.changes)


def test_changes_csv_neutralises_formulas(tmp_path):
    from viewer.export.changes_csv import export_changes

    change = Change("=cmd@x.y", "+SUM(A1)", "-1", "@act", "Not started", "Completed", "x", "")
    diff = PathwayDiff([change], 0.0, 1.0, "P", {"completed": 1})
    path = tmp_path / "formula.csv"
    assert export_changes(diff, path) == 1
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[1][:4] == ["'=cmd@x.y", "'+SUM(A1)", "'-1", "'@act"]


def test_choosing_an_older_copy_compares_with_it(qtbot, tab, demo_server):
    fetch(qtbot, tab, "Pathway A")
    demo_server.advance_pathway("Pathway A", 3)
    fetch(qtbot, tab, "Pathway A")
    demo_server.advance_pathway("Pathway A", 5)
    fetch(qtbot, tab, "Pathway A")
    show_changes(qtbot, tab)
    assert tab.changes.model.rowCount() == 5
    choice = tab.changes.base_choice
    assert choice.count() == 2
    diff = tab.changes.model.diff
    choice.setCurrentIndex(1)
    choice.activated.emit(1)
    qtbot.waitUntil(lambda: tab.changes.model.diff is not diff, timeout=FETCH_TIMEOUT_MS)
    assert 5 < tab.changes.model.rowCount() <= 8  # a log may have moved twice


def test_changes_model_passes_the_model_tester_and_sorts_in_the_model(qtmodeltester):
    changes = [
        Change(f"u{i}@x.org", name, "A1", act, "Not started", after, kind, f"2025-01-0{i + 1}")
        for i, (name, act, after, kind) in enumerate(
            [
                ("Zoë", "Story", "Completed", COMPLETED_NOW),
                ("adam", "Quiz", "In progress", STARTED),
                ("Bea", "Story", "In progress", STARTED),
            ]
        )
    ]
    model = ChangesModel()
    model.set_diff(PathwayDiff(changes, 0.0, 1.0, "P", {}))
    qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 0).data() for r in range(3)] == ["adam", "Bea", "Zoë"]
    model.sort(CHANGE_COLUMN, Qt.SortOrder.AscendingOrder)
    assert model.index(0, CHANGE_COLUMN).data() == COMPLETED_NOW
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "Zoë"
    assert model.index(0, CHANGE_COLUMN).data(KIND_ROLE) == COMPLETED_NOW  # its colour
    assert "&lt;u0@x.org&gt;" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    qtmodeltester.check(model)
