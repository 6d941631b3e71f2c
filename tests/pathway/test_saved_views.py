"""Saved views as stored: a round trip, and damaged settings that never break the tab."""

from __future__ import annotations

import json

import pytest

from viewer.pathway.saved_views import (
    MAX_NAME,
    SavedView,
    ViewSet,
    decode,
    encode,
    pathway_key,
)


def test_views_and_the_default_survive_a_round_trip():
    night = SavedView(
        "Night shift, least done",
        {"groups": ("Night Shift",), "activities": ("Story A", "Video A")},
        "mokoena",
        "pathwayMatrix",
        {"pathwayMatrix": (3, False), "pathwayTree": (-1, True)},
    )
    views = ViewSet()
    views.put(night)
    views.put(SavedView("Everyone"))
    views.default = "Everyone"
    back = decode(encode({pathway_key(" Pathway  A "): views}))
    assert list(back) == ["pathway a"]
    assert back["pathway a"].views == [night, SavedView("Everyone")]
    assert back["pathway a"].default_view() == SavedView("Everyone")


def test_a_view_of_the_same_name_is_replaced_in_place_and_deleting_drops_the_default():
    views = ViewSet()
    for name in ("A", "B", "C"):
        views.put(SavedView(name))
    views.put(SavedView("B", search="new"))
    assert views.names() == ["A", "B", "C"] and views.get("B").search == "new"
    views.default = "B"
    views.remove("B")
    assert views.names() == ["A", "C"] and views.default is None


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "not json",
        "[1, 2]",
        json.dumps({"p": "x"}),
        json.dumps({"p": {"views": "x"}}),
        json.dumps({"p": {"views": [{"name": ""}, {"nom": "x"}, 5]}}),
    ],
)
def test_damaged_settings_give_no_views(text):
    assert decode(text) == {}


def test_damaged_parts_are_dropped_and_the_rest_kept():
    text = json.dumps(
        {
            "p": {
                "views": [
                    {
                        "name": "  two\nlines  " + "x" * 200,
                        "filters": {"groups": ["G", 3], "bad": "x"},
                        "search": 5,
                        "view": ["x"],
                        "sort": {"t": [2, True], "u": ["2", True], "v": [1], "w": [True, False]},
                    }
                ],
                "default": "missing",
            }
        }
    )
    (view,) = decode(text)["p"].views
    assert view.name.startswith("two lines x") and len(view.name) == MAX_NAME
    assert view.filters == {"groups": ("G",)}
    assert (view.search, view.view) == ("", "")
    assert view.sort == {"t": (2, True)}
    assert decode(text)["p"].default is None
