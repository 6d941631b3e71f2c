"""The models under pytest-qt's model tester, and the data preparation behind them."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from tests.pathway.ui.conftest import fetch
from viewer.api.errors import BadResponseError, NotFoundError
from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.pathway.columns import NAME, RESULT, STATE
from viewer.pathway.data import OTHER
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.ui.details import DetailsPane
from viewer.pathway.ui.matrix_model import PathwayMatrixModel
from viewer.pathway.ui.style import STATE_ROLE
from viewer.pathway.ui.tree_model import PathwayTreeModel
from viewer.widgets.checklist import ChecklistModel


def demo_body(demo_server, pathway: str = "Pathway A") -> bytes:
    with PathwayClient(demo_server.url, demo_server.pathway_token) as client:
        return bytes(client.fetch_body(PathwayQuery(pathway)))


def test_tree_model_passes_the_model_tester(qtbot, qtmodeltester, tab):
    fetch(qtbot, tab, "Pathway A")
    model = tab.views.tree_model
    tab.views.tree.expandAll()
    qtmodeltester.check(model)  # and again after every change the model signals
    model.sort(NAME, Qt.SortOrder.DescendingOrder)
    model.set_search("group b")
    model.sort(RESULT)
    model.set_search("no such person")
    model.set_search("")
    model.sort(STATE)
    fetch(qtbot, tab)  # a reset with the views attached


def test_matrix_model_passes_the_model_tester(qtbot, qtmodeltester, tab):
    fetch(qtbot, tab, "Pathway A")
    model = tab.views.matrix_model
    qtmodeltester.check(model)
    model.sort(5, Qt.SortOrder.DescendingOrder)
    model.set_search("soap")
    model.sort(0)
    model.set_search("")
    fetch(qtbot, tab)


@pytest.mark.parametrize("kind", ["tree", "matrix"])
def test_models_stay_consistent_while_searched_and_sorted(qtmodeltester, demo_server, kind):
    data = build_pathway_data(demo_body(demo_server))
    model = PathwayTreeModel() if kind == "tree" else PathwayMatrixModel()
    qtmodeltester.check(model, force_py=True)  # empty first, then filled
    model.set_pathway_data(data)
    for text in ("a", "soap", "no such person", ""):
        for column in (NAME, STATE, 6, -1):
            model.sort(column)
            model.set_search(text)
    model.set_pathway_data(None)


def test_checklist_model_passes_the_model_tester(qtmodeltester):
    model = ChecklistModel()
    model.set_entries([("a@example.com", "A <a@example.com>", "a"), ("b", "B", "b")])
    model.set_checked(["typed entry"])
    model.set_filter("a")
    qtmodeltester.check(model, force_py=True)
    assert model.checked() == ["typed entry"]
    assert [model.index(r).data() for r in range(model.rowCount())] == ["A <a@example.com>"]


def test_a_checklist_of_unique_entries_gathers_their_values_only_when_needed():
    model = ChecklistModel()
    entries = [(f"u{n}@example.com", f"U {n}", f"u{n}") for n in range(3)]
    model.set_entries(entries, unique=True)
    assert model._known is None and model.rowCount() == 3
    model.set_checked(["u1@example.com", "typed"])  # a typed value goes on top
    assert [model.index(r).data() for r in range(model.rowCount())] == [
        "typed",
        "U 0",
        "U 1",
        "U 2",
    ]
    assert model.index(0).data(Qt.ItemDataRole.ToolTipRole) is not None
    assert model.index(2).data(Qt.ItemDataRole.ToolTipRole) is None
    model.set_entries([("a", "First", "a"), ("a", "Last", "a")])  # not said unique: checked
    assert [model.index(r).data() for r in range(model.rowCount())] == [
        "u1@example.com",
        "typed",
        "Last",
    ]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"", BadResponseError),
        (b"<html><body>Bad gateway</body></html>", BadResponseError),
        (b'{"status":"success","data":[],"hash":"x"}', NotFoundError),
        (
            b'{"status":"success","data":[{"pathway":{},"activities":[{"ID":"a","logs":[1]}]}]}',
            BadResponseError,
        ),
        (
            b'{"status":"success","data":[{"pathway":{},"activities":[{"ID":"a","logs":[{}]',
            BadResponseError,
        ),
    ],
)
def test_answers_in_odd_shapes_raise_the_api_errors(body, error):
    with pytest.raises(error):
        build_pathway_data(body)


def test_users_are_shared_across_activities_and_unknown_states_kept():
    logs = [
        {
            "firstname": "Ann",
            "lastname": "Lee",
            "email": "ann@example.com",
            "groups": ["G"],
            "status": {"state": "completed", "progress": 100, "timestamp": "2024-01-02T03:04:05Z"},
            "fulfilment": [],
        },
        {
            "firstname": "Bo",
            "email": "BO@example.com",
            "status": {"state": "paused", "progress": 40},
            "fulfilment": {"type": "x", "y": [1]},
        },
    ]
    second = [dict(logs[1], email="bo@example.com"), dict(logs[0])]
    body = json.dumps(
        {
            "status": "success",
            "data": [
                {
                    "pathway": {"name": "P"},
                    "activities": [
                        {"ID": "1", "name": "One", "required": True, "logs": logs},
                        {"ID": "2", "name": "Two", "required": True, "logs": second},
                    ],
                }
            ],
        }
    ).encode()
    data = build_pathway_data(body)
    assert [u.email for u in data.users] == ["ann@example.com", "BO@example.com"]
    one, two = data.activities
    assert list(one.users) == [0, 1] and list(two.users) == [1, 0]
    assert one.states[1] == OTHER and one.state_text[1] == "paused"
    assert data.required_share == [1.0, 0.0]
    assert one.fulfilment[0] is None and one.fulfilment_at(1).payload == {"y": [1]}


def test_details_show_unknown_nested_payloads_and_escape_tooltips(qtbot):
    payload = {
        "type": "mystery",
        "state": "completed",
        "progress": 100,
        "mystery": {"level": {"deep": [1, {"x": None}]}, "flag": True},
        "note": "<b>bold</b> & <script>",
    }
    body = json.dumps(
        {
            "status": "success",
            "data": [
                {
                    "pathway": {"name": "P"},
                    "activities": [
                        {
                            "ID": "1",
                            "name": "<i>One</i>",
                            "logs": [
                                {
                                    "firstname": "<b>Eve</b>",
                                    "email": "eve@example.com",
                                    "status": {"state": "completed"},
                                    "fulfilment": payload,
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    ).encode()
    data = build_pathway_data(body)
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.show_log(data, data.activities[0], 0)
    rows = pane.rows()
    for expected in [
        (1, "mystery", ""),
        (2, "level", ""),
        (3, "deep", ""),
        (4, "[0]", "1"),
        (5, "x", "null"),
        (2, "flag", "true"),
        (1, "note", "<b>bold</b> & <script>"),
    ]:
        assert expected in rows
    assert pane.title.textFormat() == Qt.TextFormat.PlainText
    assert pane.title.text().startswith("<b>Eve</b>")
    items = pane.tree.findItems("note", Qt.MatchFlag.MatchRecursive)
    assert items[0].toolTip(1) == "<qt>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;</qt>"
    tree = PathwayTreeModel()
    tree.set_pathway_data(data)
    activity = tree.index(0, NAME, tree.index(0, 0))
    assert "&lt;i&gt;One&lt;/i&gt;" in activity.data(Qt.ItemDataRole.ToolTipRole)


def _shown(model: PathwayTreeModel) -> list[list[object]]:
    """Every role a paint asks of every log cell of the first activity, as the model says."""
    root = model.index(0, 0)
    activity = model.index(0, 0, root)
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, STATE_ROLE)
    return [
        [model.index(row, column, activity).data(role) is not None for role in roles[1:]]
        + [model.index(row, column, activity).data(roles[0])]
        for row in range(min(50, model.rowCount(activity)))
        for column in range(model.columnCount())
    ]


def test_tree_cells_kept_from_a_paint_follow_their_rows_through_sort_and_search(demo_server):
    data = build_pathway_data(demo_body(demo_server))
    kept = PathwayTreeModel()
    kept.set_pathway_data(data)
    for column, text in ((NAME, ""), (STATE, "a"), (NAME, "soap"), (-1, "")):
        _shown(kept)  # cells kept, as after a paint
        kept.sort(column, Qt.SortOrder.DescendingOrder)
        kept.set_search(text)
        fresh = PathwayTreeModel()
        fresh.set_pathway_data(data)
        fresh.sort(column, Qt.SortOrder.DescendingOrder)
        fresh.set_search(text)
        assert _shown(kept) == _shown(fresh)
    other = build_pathway_data(demo_body(demo_server, "Become A Store Owner"))
    kept.set_pathway_data(other)
    fresh = PathwayTreeModel()
    fresh.set_pathway_data(other)
    assert _shown(kept) == _shown(fresh)
