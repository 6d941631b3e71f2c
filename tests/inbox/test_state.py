"""The inbox's list and read marks as plain data, without Qt."""

from __future__ import annotations

import pytest

from viewer.api.activity_types import Activity
from viewer.inbox.state import InboxState, RowsEdit, runs_of


def act(uuid: str, read: bool = False, type: str = "t", subtype: str | None = None) -> Activity:
    return Activity(uuid=uuid, is_read=read, type=type, subtype=subtype, created_at=None)


def page(*specs: str, read: bool = False) -> list[Activity]:
    return [act(uuid, read) for uuid in specs]


def receive(state: InboxState, fresh: list[Activity], replace: bool = False) -> RowsEdit:
    edit = state.receive(fresh, replace)
    edit.apply()
    return edit


def shown(state: InboxState) -> list[str]:
    return [a.uuid for a in state.rows]


# -- rows -------------------------------------------------------------------------------


def test_page_one_replaces_and_later_pages_append_after_the_last_row():
    state = InboxState()
    first = receive(state, page("a", "b", "c"), replace=True)
    assert (first.reset, first.count) == (True, 3)
    second = receive(state, page("d", "e"))
    assert (second.reset, second.first, second.last, second.count) == (False, 3, 4, 2)
    assert shown(state) == ["a", "b", "c", "d", "e"]
    assert state.row_of("d") == 3 and state.row_of("zz") == -1
    assert state.newest().uuid == "a"
    third = receive(state, page("f", "g"), replace=True)
    assert third.reset and shown(state) == ["f", "g"] and state.loaded_count == 2
    assert state.activity_by_uuid("a") is None


def test_an_edit_changes_nothing_until_it_is_applied():
    state = InboxState()
    receive(state, page("a"), replace=True)
    edit = state.receive(page("b", "c"), False)
    assert shown(state) == ["a"] and state.loaded_count == 1  # what views still see
    edit.apply()
    assert shown(state) == ["a", "b", "c"]


def test_an_edit_made_before_another_was_applied_is_refused():
    state = InboxState()
    older = state.receive(page("a"), True)
    state.receive(page("b"), True).apply()
    with pytest.raises(RuntimeError):
        older.apply()
    assert shown(state) == ["b"]


def test_unread_only_shows_unread_rows_and_counts_only_them_in_the_edit():
    state = InboxState()
    state.refilter(True).apply()
    edit = receive(state, [act("a", True), act("b"), act("c", True), act("d")], replace=True)
    assert edit.count == 2 and shown(state) == ["b", "d"]
    edit = receive(state, [act("e", True), act("f", True)])
    assert edit.count == 0 and shown(state) == ["b", "d"]
    assert state.loaded_count == 6  # loaded, just not shown
    edit = receive(state, [act("g", True), act("h")])
    assert (edit.first, edit.count) == (2, 1) and shown(state) == ["b", "d", "h"]


def test_refiltering_shows_every_row_again_and_says_so_as_a_reset():
    state = InboxState()
    receive(state, [act("a", True), act("b"), act("c", True)], replace=True)
    edit = state.refilter(True)
    assert edit is not None and edit.reset and edit.count == 1
    edit.apply()
    assert shown(state) == ["b"] and state.row_of("b") == 0 and state.row_of("a") == -1
    assert state.refilter(True) is None  # already so: nothing to tell views
    edit = state.refilter(False)
    assert edit is not None and edit.count == 3
    edit.apply()
    assert shown(state) == ["a", "b", "c"] and state.row_of("c") == 2


def test_reset_replaces_everything_with_the_activities_given():
    state = InboxState()
    receive(state, page("a", "b"), replace=True)
    edit = state.reset(page("x"))
    assert edit.reset and edit.count == 1
    edit.apply()
    assert shown(state) == ["x"]
    state.reset().apply()
    assert shown(state) == [] and state.newest() is None and state.activity(0) is None


# -- read marks -------------------------------------------------------------------------


def test_a_mark_shows_at_once_and_names_the_rows_to_repaint_as_runs():
    state = InboxState()
    receive(state, page("a", "b", "c", "d", "e"), replace=True)
    change, runs = state.apply_read(["a", "b", "d", "b", "nope"], True)
    assert change.uuids == ["a", "b", "d"]  # once each, only loaded ones
    assert change.previous == {"a": False, "b": False, "d": False}
    assert runs == [(0, 1), (3, 3)]
    assert [a.is_read for a in state.rows] == [True, True, False, True, False]


def test_runs_join_neighbouring_rows_and_skip_rows_not_shown():
    assert runs_of([5, 1, 2, -1, 3, 9, 8]) == [(1, 3), (5, 5), (8, 9)]
    assert runs_of([]) == []


def test_settling_with_failures_rolls_back_only_the_failed_rows():
    state = InboxState()
    receive(state, page("a", "b", "c"), replace=True)
    change, _ = state.apply_read(["a", "b", "c"], True)
    rolled_back, runs = state.settle(change, failed=["c", "a"])
    assert sorted(rolled_back) == ["a", "c"]
    assert runs == [(0, 0), (2, 2)]
    assert [a.is_read for a in state.rows] == [False, True, False]
    assert state.settle(change, failed=["b"]) == ([], [])  # settled once only


def test_a_failed_older_change_does_not_undo_a_newer_change_of_the_row():
    state = InboxState()
    receive(state, page("a"), replace=True)
    older, _ = state.apply_read(["a"], True)
    newer, _ = state.apply_read(["a"], False)
    assert state.settle(older, failed=["a"]) == ([], [])
    assert state.activity_by_uuid("a").is_read is False  # the newer change stands
    assert state.settle(newer, failed=["a"])[0] == ["a"]
    assert state.activity_by_uuid("a").is_read is True  # back to how it was before the newer


def test_a_page_carrying_the_old_state_does_not_undo_a_pending_mark():
    state = InboxState()
    receive(state, page("a", "b"), replace=True)
    change, _ = state.apply_read(["a"], True)
    receive(state, page("a", "b", read=False), replace=True)  # a reload, sent before the mark
    assert state.activity_by_uuid("a").is_read is True
    assert state.activity_by_uuid("b").is_read is False
    state.settle(change)
    assert state.activity_by_uuid("a").is_read is True
    receive(state, page("a", read=False), replace=True)  # settled: the server's word again
    assert state.activity_by_uuid("a").is_read is False


def test_a_rollback_reaches_the_row_of_a_page_that_arrived_meanwhile():
    state = InboxState()
    receive(state, page("a"), replace=True)
    change, _ = state.apply_read(["a"], True)
    receive(state, page("a", read=False), replace=True)
    rolled_back, runs = state.settle(change, failed=["a"])
    assert rolled_back == ["a"] and runs == [(0, 0)]
    assert state.rows[0].is_read is False


def test_a_row_read_while_unread_only_stays_until_the_list_is_refiltered():
    state = InboxState()
    receive(state, page("a", "b", "c"), replace=True)
    state.refilter(True).apply()
    change, runs = state.apply_read(["b"], True)
    assert runs == [(1, 1)]
    assert shown(state) == ["a", "b", "c"] and state.rows[1].is_read
    receive(state, [act("d", True)])  # later pages keep it too
    assert shown(state) == ["a", "b", "c"]
    state.settle(change)
    state.refilter(False).apply()
    state.refilter(True).apply()
    assert shown(state) == ["a", "c"]


def test_page_one_drops_the_rows_kept_while_unread_only():
    state = InboxState()
    receive(state, page("a", "b"), replace=True)
    state.refilter(True).apply()
    state.apply_read(["a"], True)
    edit = receive(state, [act("a", True), act("b")], replace=True)
    assert edit.count == 1 and shown(state) == ["b"]


def test_mark_where_takes_the_loaded_activities_of_a_type_and_subtype_not_yet_so():
    state = InboxState()
    fresh = [
        act("a", type="x", subtype="s1"),
        act("b", type="x", subtype="s2"),
        act("c", True, type="x", subtype="s1"),
        act("d", type="y", subtype="s1"),
    ]
    receive(state, fresh, replace=True)
    change, runs = state.apply_read_where("x", "s1", True)
    assert change.uuids == ["a"] and runs == [(0, 0)]
    change, _ = state.apply_read_where("x", None, True)
    assert change.uuids == ["b"]
    change, _ = state.apply_read_where(None, None, True)
    assert change.uuids == ["d"]


# -- labels and times -------------------------------------------------------------------


def test_subtype_labels_name_ids_and_leave_unknown_ids_as_they_are():
    state = InboxState()
    state.set_subtype_labels({"s1": "Sign-in"})
    assert state.subtype_label("s1") == "Sign-in"
    assert state.subtype_label("s2") == "s2"
    assert state.subtype_label(None) == ""


def test_times_are_parsed_once_and_relative_texts_kept_until_forgotten():
    state = InboxState()
    activity = Activity(uuid="a", created_at="2024-01-02T03:04:05Z")
    receive(state, [activity], replace=True)
    when = state.time_of(activity)
    assert when is not None and when.year == 2024
    activity.created_at = "2030-01-01T00:00:00Z"
    assert state.time_of(activity) is when  # cached
    text = state.when_text(activity)
    assert text and state.when_text(activity) is text
    state.forget_when_texts()
    assert state.when_text(activity) == text  # same time, text made again
    receive(state, [Activity(uuid="a", created_at="2030-01-01T00:00:00Z")], replace=True)
    assert state.time_of(state.rows[0]).year == 2030  # page one forgets parsed times


# -- search -----------------------------------------------------------------------------


def titled(uuid: str, title: str, description: str = "", read: bool = False) -> Activity:
    return Activity(uuid=uuid, title=title, description=description, is_read=read)


def test_a_search_keeps_the_loaded_rows_holding_every_word_in_title_or_description():
    state = InboxState()
    receive(
        state,
        [
            titled("a", "Signed in from Auckland", "New device"),
            titled("b", "Payment to Initech"),
            titled("c", "Signed in from Bengaluru", "Known DEVICE", read=True),
        ],
        replace=True,
    )
    edit = state.filter(False, "  DEVICE signed ")
    assert edit is not None and edit.reset and edit.count == 2
    edit.apply()
    assert shown(state) == ["a", "c"] and state.searching
    assert state.filter(False, "device signed") is None  # the same words: nothing to tell
    state.filter(True, "device signed").apply()  # with unread only too
    assert shown(state) == ["a"]
    state.filter(False, "").apply()
    assert shown(state) == ["a", "b", "c"] and not state.searching


def test_pages_arriving_during_a_search_show_only_their_matches():
    state = InboxState()
    receive(state, [titled("a", "Payment")], replace=True)
    state.filter(False, "signed").apply()
    edit = receive(state, [titled("b", "Signed in"), titled("c", "Payment")])
    assert (edit.first, edit.count) == (0, 1) and shown(state) == ["b"]
    assert state.loaded_count == 3
    edit = receive(state, [titled("d", "Payment")])
    assert edit.count == 0  # nothing shown: the list may ask on, or offer to look further
    assert state.refilter(True) is not None  # unread only keeps the search
    state.refilter(True).apply()
    assert shown(state) == ["b"]
