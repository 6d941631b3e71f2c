"""Folding the last activities of an answer in a helper process gives the data of one pass."""

from __future__ import annotations

import json
import math

import pytest

from tests.pathway.made_answers import answer
from viewer.api.errors import BadResponseError, Cancelled
from viewer.jobs import CancelToken
from viewer.pathway import fetch, fold_helper
from viewer.pathway.data import ActivityData, PathwayData
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.fold_helper import FoldHelper, first_shared


@pytest.fixture
def helper():
    # Every answer is shared, however small: the tests' answers are a few hundred kB.
    helper = FoldHelper(smallest=0)
    helper.start()
    yield helper
    helper.close()


def _columns(activity: ActivityData) -> dict[str, object]:
    columns: dict[str, object] = {}
    for name in ActivityData.__slots__:
        value = getattr(activity, name)
        if name == "progress":
            value = ["nan" if math.isnan(p) else p for p in value]
        elif name == "fulfilment":
            value = list(value)
        columns[name] = value
    return columns


def _same(one: PathwayData, other: PathwayData) -> None:
    assert one.users == other.users
    assert one.user_search == other.user_search
    assert one.name_ranks == other.name_ranks
    assert [repr(s) for s in one.required_share] == [repr(s) for s in other.required_share]
    assert (one.groups, one.types, one.choices) == (other.groups, other.types, other.choices)
    assert [_columns(a) for a in one.activities] == [_columns(a) for a in other.activities]


def _mixed_answer() -> bytes:
    """Six activities; in the helper's half, people met nowhere before (with and without an
    e-mail), an e-mail in other letters, and an activity without someone of the first."""
    decoded = json.loads(answer(users=400, activities=6, seed=11))
    activities = decoded["data"][0]["activities"]
    activities[4]["logs"][5]["email"] = activities[4]["logs"][5]["email"].upper()
    del activities[3]["logs"][7]
    activities[3]["logs"].append(
        {**activities[3]["logs"][0], "email": "late@example.com", "firstname": "Late"}
    )
    return json.dumps(decoded).encode()


def test_an_answer_shared_with_the_helper_is_the_answer_folded_alone(helper):
    body = _mixed_answer()
    alone = build_pathway_data(body)
    shared = build_pathway_data(body, share=helper.share)
    assert helper.folded >= 2  # of six activities, of which it has the last half of bytes
    _same(shared, alone)
    # Met first in the helper's share: numbered after the first activity's 400 people, and
    # before the two met in the last activity.
    assert [user.email for user in shared.users[400:]] == [
        "late@example.com",
        "user401@example.com",
        None,
    ]
    assert helper.running  # ready for the next answer


def test_the_helper_folds_one_answer_after_another(helper):
    folded = []
    for seed in (1, 2):
        body = answer(users=200, activities=4, seed=seed)
        _same(build_pathway_data(body, share=helper.share), build_pathway_data(body))
        folded.append(helper.folded)
    assert 0 < folded[0] < folded[1]


def test_an_activity_the_helper_cannot_read_gives_the_error_of_one_pass(helper):
    decoded = json.loads(answer(users=300, activities=5))
    decoded["data"][0]["activities"][4]["logs"][9]["status"]["progress"] = "half"
    body = json.dumps(decoded).encode()
    with pytest.raises(BadResponseError) as alone:
        build_pathway_data(body)
    with pytest.raises(BadResponseError) as shared:
        build_pathway_data(body, share=helper.share)
    assert str(shared.value) == str(alone.value)
    assert helper.folded == 1  # the helper took the activity before the bad one
    assert helper.running  # it stopped in step, and waits for the next answer
    good = answer(users=300, activities=5)
    _same(build_pathway_data(good, share=helper.share), build_pathway_data(good))
    assert helper.folded == 3


def test_a_helper_that_died_leaves_its_share_to_the_worker(helper):
    body = answer(users=300, activities=4)
    process = helper._process
    assert process is not None
    process.kill()
    process.wait()
    _same(build_pathway_data(body, share=helper.share), build_pathway_data(body))
    assert helper._process is not process  # a new one was started for the next answer


def test_a_helper_gone_in_the_middle_of_a_share_leaves_the_rest_to_the_worker(helper, monkeypatch):
    body = answer(users=300, activities=6)
    taken = fetch.Builder.take

    def take_then_kill(self, *args):
        taken(self, *args)
        helper._process.kill()  # after its first activity came

    monkeypatch.setattr(fetch.Builder, "take", take_then_kill)
    shared = build_pathway_data(body, share=helper.share)
    monkeypatch.undo()
    _same(shared, build_pathway_data(body))
    assert helper.folded >= 1


def test_an_activity_of_many_logs_comes_in_pieces_and_is_folded_the_same(helper):
    body = answer(users=17_000, activities=3)  # more logs than a frame of timestamps holds
    shared = build_pathway_data(body, share=helper.share)
    _same(shared, build_pathway_data(body))
    assert helper.folded == 1
    activity = shared.activities[2]  # the helper's; cut here as it was there
    frames = fold_helper.activity_frames(0, [], activity)
    # The rest, then two pieces each of timestamps, state texts and flags, and three blocks
    assert len(frames) == 1 + 3 * 2 + 3
    assert len(activity.timestamps) == len(activity.users) > 16_384  # left as it was


def test_a_helper_gone_between_the_pieces_of_an_activity_leaves_it_to_the_worker(
    helper, monkeypatch
):
    body = answer(users=17_000, activities=3)
    calls = []
    next_frame = fold_helper._Share._next

    def gone_after_the_first(self, cancel):
        calls.append(None)
        return fold_helper._GONE if len(calls) == 2 else next_frame(self, cancel)

    monkeypatch.setattr(fold_helper._Share, "_next", gone_after_the_first)
    shared = build_pathway_data(body, share=helper.share)
    monkeypatch.undo()
    _same(shared, build_pathway_data(body))
    assert helper.folded == 0


def test_a_cancelled_fetch_stops_the_helper_and_the_next_one_starts_another(helper):
    body = answer(users=300, activities=4)
    process = helper._process
    cancel = CancelToken()
    builds = fetch.Builder.add

    def add_then_cancel(self, index, logs):
        builds(self, index, logs)
        if index == 1:  # the helper has its share by now
            cancel.cancel()

    fetch.Builder.add = add_then_cancel  # type: ignore[method-assign]
    try:
        with pytest.raises(Cancelled):
            build_pathway_data(body, cancel=cancel, share=helper.share)
    finally:
        fetch.Builder.add = builds  # type: ignore[method-assign]
    assert process is not None and process.poll() is not None  # stopped mid-share
    assert helper.folded == 0
    _same(build_pathway_data(body, share=helper.share), build_pathway_data(body))
    assert helper.folded > 0  # by a helper started anew


def test_small_answers_and_a_closed_helper_are_folded_alone():
    body = answer(users=100, activities=4)
    helper = FoldHelper()  # the usual threshold: far above this answer
    _same(build_pathway_data(body, share=helper.share), build_pathway_data(body))
    assert helper._process is None  # not even started for it
    helper = FoldHelper(smallest=0)
    helper.close()
    _same(build_pathway_data(body, share=helper.share), build_pathway_data(body))
    assert helper._process is None and helper.folded == 0


def test_the_share_is_cut_at_the_activity_nearest_its_part_of_the_bytes():
    starts = [100, 200, 300, 1000, 1100]
    assert first_shared(starts, 2000, 0.55) == 3  # from 1000: 1000 of the 1900 bytes
    assert first_shared(starts, 2000, 0.99) == 1  # one activity at least stays
    assert first_shared(starts, 2000, 0.01) == 4  # and one at least is shared
    assert first_shared([0, 10], 20, 0.5) == 1
