"""How logs sort: the quick orders are the orders of the plain sort keys."""

from __future__ import annotations

import random

import pytest

from tests.pathway.made_answers import answer
from viewer.api.pathway_types import Fulfilment
from viewer.pathway.columns import (
    COLUMNS,
    UPDATED,
    log_order,
    log_sort_keys,
    name_ranks,
)
from viewer.pathway.data import sorted_gently
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.search import UserSearch
from viewer.pathway.sort_keys import LogKeys


@pytest.fixture(scope="module")
def data():
    return build_pathway_data(answer(users=400))


def _summaries(activity):
    return [
        "" if raw is None else (Fulfilment.parse(raw) or Fulfilment.parse(b"{}")).summary()
        for raw in activity.fulfilment
    ]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", range(len(COLUMNS)))
def test_each_order_is_the_stable_sort_of_its_keys(data, column, descending):
    for activity in data.activities:
        order = log_order(data, activity, column, descending, LogKeys())
        keys = log_sort_keys(data, activity, column, LogKeys())
        if keys is None:
            assert order is None
            continue
        assert list(order) == sorted(range(len(activity)), key=keys.__getitem__, reverse=descending)


def test_times_that_are_naive_or_odd_sort_the_plain_way(data):
    activity = data.activities[0]
    saved = activity.timestamps
    try:
        activity.timestamps = [*saved[:-3], "2025-01-01T00:00:00", "soon", None]
        order = log_order(data, activity, UPDATED, False, LogKeys())
        keys = log_sort_keys(data, activity, UPDATED, LogKeys())
        assert list(order) == sorted(range(len(activity)), key=keys.__getitem__)
    finally:
        activity.timestamps = saved


def test_equal_names_share_a_rank():
    assert list(name_ranks(["b", "a", "b", "c", "a"])) == [1, 0, 1, 2, 0]


def test_result_texts_are_each_logs_summary(data):
    for activity in data.activities:
        assert LogKeys().summaries(activity) == _summaries(activity)


def test_a_search_keeps_the_sorted_order_of_what_it_matches(data):
    activity = data.activities[2]
    order = log_order(data, activity, 0, True, LogKeys())
    search = UserSearch(data, "group 1")
    rows = search.rows(activity, order)

    def matches(row: int) -> bool:
        user = data.users[activity.users[row]]
        text = "\n".join((user.name, user.email or "", *user.groups)).lower()
        return "group" in text and "1" in text

    assert list(rows) == [r for r in order if matches(r)] != list(order)
    assert len(rows) == search.count(activity)
    assert list(UserSearch(data, "").rows(activity, order)) == list(order)


def test_a_gentle_sort_is_the_stable_sort():
    rng = random.Random(3)
    items = [(rng.randint(0, 50), i) for i in range(30_000)]
    assert sorted_gently(items, key=lambda item: item[0]) == sorted(items, key=lambda x: x[0])
