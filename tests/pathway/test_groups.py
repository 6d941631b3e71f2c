"""Completion by group, counted against the answer's own JSON."""

from __future__ import annotations

import random

import pytest

from tests.pathway.answers import answer, expected_counts, fetch, log
from viewer.pathway.data import COMPLETED, IN_PROGRESS, NO_LOG, NOT_STARTED, OTHER
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.groups import (
    ALL_REQUIRED_ID,
    ALL_REQUIRED_NAME,
    EVERYONE,
    NO_GROUP,
    _tally_by_group,
    _UsersByCombo,
    group_rows,
    users_behind,
)


def test_group_rows_match_the_demo_answer(demo_server):
    body = fetch(demo_server)
    rows = group_rows(build_pathway_data(body))

    got = {
        (r.group, r.activity_id): (r.users, r.completed, r.in_progress, r.not_started) for r in rows
    }
    assert got == expected_counts(body)
    assert len(rows) == len(got)  # one row per cell
    for row in rows:
        assert row.users == row.completed + row.in_progress + row.not_started
        assert row.percent_completed == pytest.approx(100 * row.completed / row.users)
        if row.activity_id == ALL_REQUIRED_ID:
            assert row.activity_name == ALL_REQUIRED_NAME


def test_a_user_in_several_groups_counts_in_each_and_no_group_has_a_row():
    body = answer(
        [
            (
                "A",
                True,
                [
                    log("both@x.org", "completed", ["Red", "Blue"]),
                    log("red@x.org", "in progress", ["Red"]),
                    log("loner@x.org", "completed", None),
                ],
            ),
            ("B", False, [log("both@x.org", "not started", ["Red", "Blue"])]),
        ]
    )
    rows = group_rows(build_pathway_data(body))

    table = {(r.group, r.activity_id): (r.users, r.completed) for r in rows}
    assert table[("Red", "A")] == (2, 1)
    assert table[("Blue", "A")] == (1, 1)
    assert table[(NO_GROUP, "A")] == (1, 1)
    assert [r.group for r in rows][-1] == NO_GROUP  # after the named groups
    assert table[("Red", ALL_REQUIRED_ID)] == (2, 1)  # only A is required


def test_other_states_count_as_in_progress_and_missing_logs_as_not_started():
    body = answer(
        [
            ("A", True, [log("a@x.org", "expired", ["G"]), log("b@x.org", "completed", ["G"])]),
            ("B", True, [log("b@x.org", "completed", ["G"])]),  # a@ has no log here
        ]
    )
    data = build_pathway_data(body)
    table = {(r.group, r.activity_id): r for r in group_rows(data)}

    a, b, total = table[("G", "A")], table[("G", "B")], table[("G", ALL_REQUIRED_ID)]
    assert (a.users, a.completed, a.in_progress, a.not_started) == (2, 1, 1, 0)
    assert (b.users, b.completed, b.in_progress, b.not_started) == (2, 1, 0, 1)
    assert (total.completed, total.in_progress, total.not_started) == (1, 1, 0)
    assert total.percent_completed == 50.0

    emails = lambda uids: sorted(data.users[u].email for u in uids)  # noqa: E731
    assert emails(users_behind(data, "G", "A", IN_PROGRESS)) == ["a@x.org"]
    assert emails(users_behind(data, "G", "A", OTHER)) == ["a@x.org"]
    assert emails(users_behind(data, "G", "B", NOT_STARTED)) == ["a@x.org"]
    assert emails(users_behind(data, "G", "B", NO_LOG)) == ["a@x.org"]
    assert emails(users_behind(data, "G", "B", COMPLETED)) == ["b@x.org"]
    assert emails(users_behind(data, "G", ALL_REQUIRED_ID, COMPLETED)) == ["b@x.org"]
    assert emails(users_behind(data, "G", ALL_REQUIRED_ID, IN_PROGRESS)) == ["a@x.org"]
    assert emails(users_behind(data, "G", "A", None)) == ["a@x.org", "b@x.org"]
    with pytest.raises(KeyError):
        users_behind(data, "G", "nope", None)


def test_users_behind_each_cell_add_up_to_its_counts(demo_server):
    data = build_pathway_data(fetch(demo_server))
    for row in group_rows(data):
        cells = {
            code: users_behind(data, row.group, row.activity_id, code)
            for code in (COMPLETED, IN_PROGRESS, NOT_STARTED)
        }
        assert len(cells[COMPLETED]) == row.completed
        assert len(cells[IN_PROGRESS]) == row.in_progress
        assert len(cells[NOT_STARTED]) == row.not_started
        assert sorted(uid for uids in cells.values() for uid in uids) == users_behind(
            data, row.group, row.activity_id, None
        )
    assert len(users_behind(data, EVERYONE, data.activities[0].ID or "", None)) == len(data.users)


def test_no_total_row_without_a_required_activity():
    body = answer([("A", False, [log("a@x.org", "completed", ["G"])])])
    rows = group_rows(build_pathway_data(body))
    assert [(r.group, r.activity_id) for r in rows] == [("G", "A")]


def test_chosen_activities_narrow_the_rows_and_the_total(demo_server):
    data = build_pathway_data(fetch(demo_server))
    first = data.activities[:2]
    rows = group_rows(data, first)
    ids = {r.activity_id for r in rows}
    assert ids <= {first[0].ID, first[1].ID, ALL_REQUIRED_ID}
    assert {first[0].ID, first[1].ID} <= ids


def test_counting_by_slices_of_shared_groups_matches_counting_user_by_user():
    rng = random.Random(7)
    combo_groups = [(), ("A",), ("B",), ("A", "B"), (NO_GROUP,)]
    combos = [rng.randrange(len(combo_groups)) for _ in range(500)]
    codes = [NOT_STARTED, IN_PROGRESS, COMPLETED, OTHER, NO_LOG]
    states = bytes(rng.choice(codes) for _ in combos)
    assert _UsersByCombo.fits(combos, combo_groups)
    by_slices = _UsersByCombo(combos, combo_groups).tally(states, True)
    one_by_one = _tally_by_group([c * 256 for c in combos], combo_groups, states, True)
    assert by_slices == one_by_one
    assert sum(by_slices[EVERYONE]) == len(combos)
