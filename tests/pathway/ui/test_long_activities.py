"""Activities with thousands of logs: offered a page at a time, the rest as the view scrolls."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.pathway.made_answers import answer
from viewer.pathway import sort_keys
from viewer.pathway.columns import NAME, RESULT, UPDATED, log_order
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.sort_keys import LogKeys
from viewer.pathway.ui import tree_model
from viewer.pathway.ui.tree_model import FIRST_LOGS, PathwayTreeModel
from viewer.pathway.ui.views import PathwayViews

LOGS = 2500


@pytest.fixture(scope="module")
def data():
    return build_pathway_data(answer(users=LOGS, activities=2))


@pytest.fixture
def views(qtbot, data):
    widget = PathwayViews()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    widget.set_pathway_data(data)
    return widget


def _activity(model: PathwayTreeModel):
    """The first activity's row, wherever a sort has put it."""
    return model.activity_index("act-0", "Activity 0")


def test_an_activity_offers_its_logs_a_page_at_a_time(qtmodeltester, data):
    model = PathwayTreeModel()
    model.set_pathway_data(data)
    activity = _activity(model)
    assert model.rowCount(activity) == FIRST_LOGS < LOGS
    assert model.has_more_logs(activity)
    offered = FIRST_LOGS
    while offered < LOGS:
        assert model.has_more_logs(activity)
        model.show_more_logs(activity)
        offered = min(2 * offered, LOGS)  # twice as many each time, then the rest
        assert model.rowCount(activity) == offered
    assert not model.has_more_logs(activity)
    model.show_more_logs(activity)  # nothing more: no change
    assert model.rowCount(activity) == LOGS
    qtmodeltester.check(model, force_py=True)
    # What is exported as "on screen" is every log, offered or not.
    assert [len(rows or a) for a, rows in model.visible_selection()] == [LOGS, LOGS + 2]


def test_scrolling_to_the_last_offered_log_offers_more(qtbot, views):
    tree, model = views.tree, views.tree_model
    tree.expand(_activity(model))
    assert model.rowCount(_activity(model)) == FIRST_LOGS
    offered = FIRST_LOGS
    while offered < LOGS:
        offered = min(2 * offered, LOGS)
        tree.scrollToBottom()
        qtbot.waitUntil(lambda n=offered: model.rowCount(_activity(model)) == n)
    assert tree.isExpanded(_activity(model))


def test_a_new_search_starts_again_at_the_first_page_but_keeps_the_current_log(views):
    tree, model = views.tree, views.tree_model
    activity = _activity(model)
    tree.expand(activity)
    while model.rowCount(activity) <= 1500:
        model.show_more_logs(activity)
    offered = model.rowCount(activity)
    deep = model.index(1500, NAME, activity)
    tree.setCurrentIndex(deep)
    name = deep.data()
    model.sort(NAME, Qt.SortOrder.DescendingOrder)  # a sort keeps what was offered
    assert model.rowCount(_activity(model)) == offered < LOGS
    assert tree.currentIndex().data() == name
    views.search_edit.setText("first")  # every user matches: the same rows, searched anew
    views.apply_search()
    current = tree.currentIndex()
    assert current.data() == name and current.row() >= FIRST_LOGS
    assert FIRST_LOGS < model.rowCount(_activity(model)) < LOGS
    views.search_edit.setText("first24")  # fewer matches than a first page
    views.apply_search()
    assert model.rowCount(_activity(model)) <= FIRST_LOGS


def test_opening_a_long_activity_works_its_slow_sort_keys_out_ahead(
    qtbot, views, data, monkeypatch
):
    monkeypatch.setattr(tree_model, "WARM_FROM", 1000)
    monkeypatch.setattr(sort_keys, "WARM_STEP", 300)
    tree, model = views.tree, views.tree_model
    tree.expand(_activity(model))
    assert model.warming
    qtbot.waitUntil(lambda: not model.warming)

    expected = {
        c: log_order(data, data.activities[0], c, True, LogKeys()) for c in (UPDATED, RESULT)
    }

    def again(*_args):
        raise AssertionError("worked out again when sorted")

    monkeypatch.setattr(sort_keys, "stamp_seconds", again)
    monkeypatch.setattr(sort_keys, "result_summaries", again)
    for column, order in expected.items():
        tree.sortByColumn(column, Qt.SortOrder.DescendingOrder)
        tree.viewport().repaint()
        shown = [model.item_at(model.index(r, 0, _activity(model)))[2] for r in range(50)]
        assert shown == list(order[:50])


def test_a_new_answer_stops_the_warming(qtbot, data, monkeypatch):
    monkeypatch.setattr(tree_model, "WARM_FROM", 1000)
    model = PathwayTreeModel()
    model.set_pathway_data(data)
    model.warm_sort_keys(_activity(model))
    assert model.warming
    model.set_pathway_data(build_pathway_data(answer(users=20)))
    assert not model.warming
    model.warm_sort_keys(_activity(model))  # too short to warm
    assert not model.warming


def test_an_activity_opened_again_is_not_worked_out_again(qtbot, views, monkeypatch):
    monkeypatch.setattr(tree_model, "WARM_FROM", 1000)
    started = []
    warm = LogKeys.warm
    monkeypatch.setattr(LogKeys, "warm", lambda self, a: started.append(a) or warm(self, a))
    tree, model = views.tree, views.tree_model
    for _ in range(3):
        tree.expand(_activity(model))
        tree.collapse(_activity(model))
    assert len(started) == 1
    qtbot.waitUntil(lambda: not model.warming)
