"""The slow columns' sort keys, worked out a step at a time: the same as all at once."""

from __future__ import annotations

import math

import pytest

from tests.pathway.made_answers import answer
from viewer.formats import time_key
from viewer.pathway import sort_keys
from viewer.pathway.columns import RESULT, UPDATED, log_order, log_sort_keys
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.sort_keys import LogKeys, stamp_seconds


@pytest.fixture(scope="module")
def data():
    return build_pathway_data(answer(users=300, activities=2))


@pytest.fixture
def small_steps(monkeypatch):
    monkeypatch.setattr(sort_keys, "WARM_STEP", 7)


def test_seconds_are_those_time_key_gives():
    stamps = [
        "2025-03-01T12:00:00Z",
        None,
        "2025-03-01T14:00:00.5+02:00",
        "2025-03-01T06:29:59.250-05:30",
        "1969-12-31T23:59:59Z",
        None,
    ]
    seconds = stamp_seconds(stamps)
    assert seconds == [time_key(stamp) for stamp in stamps]
    assert seconds[1] == seconds[5] == -math.inf
    assert stamp_seconds([]) == []


@pytest.mark.parametrize("odd", ["2025-03-01T12:00:00", "soon", "2025-13-01T00:00:00Z"])
def test_a_time_without_an_offset_or_not_iso_has_no_seconds(odd):
    assert stamp_seconds(["2025-03-01T12:00:00Z", odd]) is None


def test_warming_step_by_step_gives_the_keys_of_one_pass(data, small_steps):
    for activity in data.activities:
        whole = LogKeys()
        warmed = LogKeys()
        steps = sum(1 for _ in warmed.warm(activity))
        assert steps == 2 * math.ceil(len(activity) / 7)  # the times, then the texts
        assert warmed.seconds(activity) == whole.seconds(activity) is not None
        assert warmed.summaries(activity) == whole.summaries(activity)
        assert warmed.result_keys(activity) == [t.lower() for t in whole.summaries(activity)]


def test_keys_asked_for_midway_are_finished_from_where_the_steps_got_to(data, small_steps):
    activity = data.activities[1]
    keys = LogKeys()
    painted = [keys.summary(activity, row) for row in (3, 40, 41)]  # a paint, meanwhile
    steps = keys.warm(activity)
    for _ in range(5):
        next(steps)
    ready = LogKeys()
    assert keys.seconds(activity) == ready.seconds(activity)
    assert keys.summaries(activity) == ready.summaries(activity)
    assert painted == [ready.summaries(activity)[row] for row in (3, 40, 41)]
    for _ in steps:  # the rest of the steps change nothing
        pass
    assert keys.summaries(activity) == ready.summaries(activity)
    for column in (UPDATED, RESULT):
        assert log_order(data, activity, column, True, keys) == log_order(
            data, activity, column, True, ready
        )


def test_a_naive_time_past_the_first_steps_sorts_the_plain_way(data, small_steps):
    activity = data.activities[0]
    saved = activity.timestamps
    try:
        activity.timestamps = [*saved[:-1], "2025-01-01T00:00:00"]
        keys = LogKeys()
        steps = list(keys.warm(activity))
        per_column = math.ceil(len(activity) / 7)
        assert len(steps) == 2 * per_column - 1  # the times stopped at the naive one
        assert keys.seconds(activity) is None
        plain = log_sort_keys(data, activity, UPDATED, keys)
        order = log_order(data, activity, UPDATED, False, keys)
        assert list(order) == sorted(range(len(activity)), key=plain.__getitem__)
    finally:
        activity.timestamps = saved
