"""End to end: the pathway tab against the real demo server."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest

from tests.pathway.ui.conftest import fetch, last_body
from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.formats import percent
from viewer.pathway.columns import EMAIL, NAME, PROGRESS, RESULT, STATE
from viewer.pathway.data import COMPLETED
from viewer.pathway.ui.tab import PathwayTab


def server_answer(demo_server, query: PathwayQuery):
    with PathwayClient(demo_server.url, demo_server.pathway_token) as client:
        return client.fetch(query)


def activity_rows(tab: PathwayTab) -> dict[str, int]:
    """Activity name -> number of log rows shown under it."""
    model = tab.views.tree_model
    root = model.index(0, 0)
    return {
        model.index(r, NAME, root).data(): model.rowCount(model.index(r, 0, root))
        for r in range(model.rowCount(root))
    }


def log_names(tab: PathwayTab, activity_row: int, column: int = NAME) -> list[str]:
    model = tab.views.tree_model
    parent = model.index(activity_row, 0, model.index(0, 0))
    return [model.index(r, column, parent).data() for r in range(model.rowCount(parent))]


def test_fetch_fills_the_tree_with_the_servers_counts(qtbot, tab, demo_server):
    data = fetch(qtbot, tab, "Pathway A")
    expected = server_answer(demo_server, PathwayQuery("Pathway A"))
    assert last_body(demo_server) == {"pathway": "Pathway A"}
    assert tab.views.tree_model.index(0, NAME).data() == "Pathway A"
    assert activity_rows(tab) == {a.name: len(a.logs) for a in expected.activities}
    emails = {log.email for a in expected.activities for log in a.logs}
    assert len(data.users) == len(emails)  # one user record per person, not per log
    assert data.log_count == expected.log_count
    status = tab.status.text()
    assert f"{len(expected.activities)} activities" in status
    assert f"{len(emails)} users" in status
    assert f"{expected.log_count:,} logs" in status
    assert expected.hash[:12] in status
    # The activity row shows the server's completed / total.
    model = tab.views.tree_model
    first = expected.activities[0]
    cell = model.index(0, PROGRESS, model.index(0, 0)).data()
    assert cell == f"{first.stats.completed} / {first.stats.total}"
    assert "Pathway A" in tab.pathway_input.itemText(0)  # remembered as a recent pathway


def test_enter_and_f5_fetch(qtbot, tab, demo_server):
    tab.pathway_input.setEditText("Pathway A")
    QTest.keyClick(tab.pathway_input.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.data is not None, timeout=15000)
    first = tab.data
    tab.pathway_input.setFocus()
    QTest.keyClick(tab.pathway_input, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: tab.data is not first, timeout=15000)
    assert sum(1 for method, _, _ in demo_server.request_log if method == "POST") == 2


def test_activity_filter_reaches_the_server(qtbot, tab, demo_server):
    fetch(qtbot, tab, "Pathway A")
    checklist = tab.filters.lists["activities"]
    model = checklist.model
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r).data(Qt.ItemDataRole.UserRole) == "Story A"
    )
    model.setData(model.index(row), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    fetch(qtbot, tab)
    assert last_body(demo_server) == {"pathway": "Pathway A", "activities": ["Story A"]}
    assert list(activity_rows(tab)) == ["Story A"]
    assert "Activities (1 checked)" in tab.filters.itemText(0)


def test_type_filter_takes_a_typed_vendor_name(qtbot, tab, demo_server):
    checklist = tab.filters.lists["types"]
    assert "Data Tracking" in [e[0] for e in checklist.model._entries]  # vendor names offered
    QTest.keyClicks(checklist.filter_edit, "Data Target")
    QTest.keyClick(checklist.filter_edit, Qt.Key.Key_Return)
    assert checklist.checked() == ["Data Target"]
    fetch(qtbot, tab, "Pathway A")
    assert last_body(demo_server)["types"] == ["Data Target"]
    assert set(activity_rows(tab)) == {"Data Tracking"}


def test_group_filter_reaches_the_server(qtbot, tab, demo_server):
    fetch(qtbot, tab, "Pathway A")
    checklist = tab.filters.lists["groups"]
    assert "Group B" in [e[0] for e in checklist.model._entries]  # filled from the data
    checklist.set_checked(["Group B"])
    data = fetch(qtbot, tab)
    assert last_body(demo_server)["groups"] == ["Group B"]
    assert data.users and all("Group B" in user.groups for user in data.users)


def test_user_filter_by_email_reaches_the_server(qtbot, tab, demo_server):
    fetch(qtbot, tab, "Pathway A")
    checklist = tab.filters.lists["users"]
    QTest.keyClicks(checklist.filter_edit, "joe.soap")
    qtbot.waitUntil(lambda: checklist.model.rowCount() == 1)
    assert "Joe Soap" in checklist.model.index(0).data()
    checklist.model.setData(
        checklist.model.index(0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    data = fetch(qtbot, tab)
    assert last_body(demo_server)["users"] == ["joe.soap@example.com"]
    assert [user.email for user in data.users] == ["joe.soap@example.com"]
    assert set(activity_rows(tab).values()) == {1}


def test_quick_search_narrows_tree_and_matrix(qtbot, tab):
    data = fetch(qtbot, tab, "Pathway A")
    QTest.keyClick(tab, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = tab.views.search_edit
    assert search.hasFocus()
    QTest.keyClicks(search, "joe soap")
    qtbot.waitUntil(lambda: tab.views.matrix_model.rowCount() == 1)
    assert set(activity_rows(tab).values()) == {1}
    assert log_names(tab, 0) == ["Joe Soap"]
    # Groups are searched too.
    search.setText("night shift")
    tab.views.apply_search()
    night = sum("Night Shift" in user.groups for user in data.users)
    assert tab.views.matrix_model.rowCount() == night > 0
    search.clear()
    tab.views.apply_search()
    assert tab.views.matrix_model.rowCount() == len(data.users)
    assert max(activity_rows(tab).values()) == max(len(a) for a in data.activities)


def test_clicking_headers_sorts_tree_and_matrix(qtbot, tab):
    fetch(qtbot, tab, "Pathway A")
    tree = tab.views.tree
    header = tree.header()

    def click(section: int) -> None:
        x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
        QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click(NAME)
    names = log_names(tab, 0)
    assert names == sorted(names, key=str.lower) and len(set(names)) > 1
    click(NAME)
    assert log_names(tab, 0) == sorted(names, key=str.lower, reverse=True)
    click(STATE)
    states = log_names(tab, 0, STATE)
    order = {"Not started": 0, "In progress": 1, "Completed": 2}
    assert [order[s] for s in states] == sorted(order[s] for s in states)
    click(RESULT)  # every column sorts, also the computed summaries
    results = log_names(tab, 0, RESULT)
    assert results == sorted(results, key=str.lower)
    matrix = tab.views.matrix
    matrix.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    model = matrix.model()
    emails = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert emails == sorted(emails, key=str.lower)


def test_details_pane_shows_every_field_of_a_log(qtbot, tab):
    data = fetch(qtbot, tab, "Pathway A")
    tree, model = tab.views.tree, tab.views.tree_model
    tab.views.search_edit.setText("joe.soap@example.com")
    tab.views.apply_search()
    root = model.index(0, 0)
    names = [model.index(r, NAME, root).data() for r in range(model.rowCount(root))]
    activity = model.index(names.index("Data Tracking"), 0, root)
    tree.setCurrentIndex(model.index(0, 0, activity))
    rows = tab.details.rows()
    fields = {(field, value) for _depth, field, value in rows}
    assert ("Email", "joe.soap@example.com") in fields
    assert ("First name", "Joe") in fields and ("City", "Cape Town") in fields
    assert ("Groups", "Group A, Group B") in fields
    joe = next(u for u in data.users if u.email == "joe.soap@example.com")
    act = next(a for a in data.activities if a.name == "Data Tracking")
    info = act.fulfilment_at(act.by_user[data.users.index(joe)])
    if info is not None:
        assert ("data", "") in fields and (
            "category",
            str(info.payload["data"]["category"]),
        ) in fields
        assert model.index(0, RESULT, activity).data() == info.summary()
    assert tab.details.title.textFormat() == Qt.TextFormat.PlainText


def test_details_pane_shows_an_undocumented_payload_as_keys_and_values(qtbot, tab):
    data = fetch(qtbot, tab, "Pathway A")
    video = next(a for a in data.activities if a.name == "Video A")
    row = next(r for r, raw in enumerate(video.fulfilment) if raw is not None)
    info = video.fulfilment_at(row)
    assert "view" in info.payload  # not a payload the API documents
    tab.views.itemSelected.emit("log", video, row)
    rows = tab.details.rows()
    keys = [field for _depth, field, _value in rows]
    assert "view" in keys
    for key, value in info.payload["view"].items():
        assert (2, key, str(value)) in rows


def test_by_user_view_and_chart_show_the_data(qtbot, tab):
    data = fetch(qtbot, tab, "Pathway A")
    matrix = tab.views.matrix_model
    assert matrix.rowCount() == len(data.users)
    assert matrix.columnCount() == 4 + len(data.activities)
    joe = next(u for u, user in enumerate(data.users) if user.email == "joe.soap@example.com")
    row = next(r for r in range(matrix.rowCount()) if matrix.user_at(r) == joe)
    share = matrix.index(row, 3).data()
    done = sum(a.user_states[joe] == COMPLETED for a in data.activities if a.required)
    assert share == percent(done / data.required_count * 100)
    assert abs(data.required_share[joe] - done / data.required_count) < 1e-9
    chart = tab.views.chart.rows()
    assert [label for label, _ in chart] == [a.label for a in data.activities]
    assert [counts for _, counts in chart] == [a.counts for a in data.activities]


def test_filters_and_recent_pathways_are_remembered(qtbot, connections, settings: QSettings):
    first = PathwayTab(connections, settings)
    qtbot.addWidget(first)
    first.filters.lists["groups"].set_checked(["Group A"])
    fetch(qtbot, first, "Pathway A")
    first.views.tree.header().resizeSection(EMAIL, 321)
    first.shutdown()
    second = PathwayTab(connections, settings)
    qtbot.addWidget(second)
    try:
        assert second.pathway_input.currentText() == "Pathway A"
        assert second.filters.lists["groups"].checked() == ["Group A"]
        assert second.views.tree.header().sectionSize(EMAIL) == 321
    finally:
        second.shutdown()
