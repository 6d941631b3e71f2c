"""End to end: the filter lists keep what they offered, say when they differ from what is
shown, and a saved copy's Fetch asks for what they say."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.pathway.ui.conftest import FETCH_TIMEOUT_MS, fetch, last_body
from viewer.pathway.choices import TYPES_HINT
from viewer.pathway.ui.tab import FETCH_KEY, PathwayTab


@pytest.fixture
def tab(saving_tab):
    return saving_tab


def offered(tab: PathwayTab, key: str) -> list[str]:
    model = tab.filters.lists[key].model
    return [model.index(r).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]


def test_a_filtered_fetch_keeps_every_value_in_the_lists(qtbot, tab):
    everything = fetch(qtbot, tab, "Pathway A")
    users, groups = offered(tab, "users"), offered(tab, "groups")
    assert not tab.filters.note.isVisible()
    tab.filters.lists["groups"].set_checked(["Group B"])
    assert tab.filters.note.isVisible()  # checked, not yet fetched
    narrowed = fetch(qtbot, tab)
    assert len(narrowed.users) < len(everything.users)
    assert not tab.filters.note.isVisible()
    assert offered(tab, "users") == users
    assert sorted(offered(tab, "groups")) == sorted(groups)
    tab.filters.lists["groups"].set_checked([])
    assert tab.filters.note.isVisible()


def test_types_are_one_list_explained_and_old_spellings_join_it(qtbot, tab, settings):
    types = tab.filters.lists["types"]
    tab.filters.setCurrentIndex(1)
    assert types.hint.isVisible() and types.hint.text() == TYPES_HINT
    data = fetch(qtbot, tab, "Pathway A")
    values = offered(tab, "types")
    assert len(values) == len(set(v.casefold() for v in values))
    assert data.types and all(kind not in values for kind in data.types if kind.islower())
    tab.filters.set_values({"types": ["assessment"]})  # as an older version remembered it
    assert types.checked() == ["Assessment"]
    assert offered(tab, "types").count("Assessment") == 1


def test_a_saved_copys_fetch_asks_for_what_the_lists_say(qtbot, tab, store, demo_server):
    tab.filters.lists["types"].set_checked(["Story"])
    fetch(qtbot, tab, "Pathway A")
    assert last_body(demo_server)["types"] == ["Story"]
    filtered_copy = tab.snapshot
    tab.filters.lists["types"].set_checked([])
    fetch(qtbot, tab)
    assert "types" not in last_body(demo_server)

    tab.open_snapshot(filtered_copy)
    qtbot.waitUntil(
        lambda: tab.snapshot == filtered_copy and not tab.runner.is_running(FETCH_KEY),
        timeout=FETCH_TIMEOUT_MS,
    )
    assert tab.banner.title == "Saved copy" and "Offline" not in tab.status.text()
    assert tab.filters.lists["types"].checked() == []
    assert tab.filters.note.isVisible()  # the copy was filtered; the lists are not
    demo_server.clear_request_log()
    before = tab.data
    qtbot.mouseClick(tab.banner._action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.data is not before, timeout=FETCH_TIMEOUT_MS)
    assert last_body(demo_server) == {"pathway": "Pathway A"}
    assert not tab.filters.note.isVisible()


def test_the_note_is_right_in_the_event_that_shows_an_answer(qtbot, tab):
    fetch(qtbot, tab, "Pathway A")
    tab.filters.lists["groups"].set_checked(["Group B"])
    assert tab.filters.note.isVisible()
    at_swap: list[bool] = []
    tab.titleChanged.connect(lambda _title: at_swap.append(tab.filters.note.isVisible()))
    fetch(qtbot, tab)
    assert at_swap == [False]  # not only once the lists have been filled


def test_the_lists_offer_an_answers_values_once_its_tree_is_in_place(qtbot, tab):
    at_swap: list[int] = []
    tab.titleChanged.connect(lambda _title: at_swap.append(len(offered(tab, "users"))))
    data = fetch(qtbot, tab, "Pathway A")
    assert at_swap == [0]  # the tree came first, in an event of its own
    assert len(offered(tab, "users")) == len(data.users)
