"""The quick search: who it matches, by one word or several, as a list and as a mask."""

from __future__ import annotations

import pytest

from tests.pathway.made_answers import answer
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.search import UserSearch


@pytest.fixture(scope="module")
def data():
    return build_pathway_data(answer(users=200, activities=2))


@pytest.mark.parametrize("needle", ["1", "USER1", "group 2", " same  first3 ", "nobody", "@"])
def test_every_word_must_appear_in_name_email_or_groups(data, needle):
    words = needle.lower().split()
    expected = [u for u, text in enumerate(data.user_search) if all(word in text for word in words)]
    search = UserSearch(data, needle)
    assert search.matched == expected
    assert search.mask == bytes(u in set(expected) for u in range(len(data.users)))
    assert list(search.users(len(data.users))) == expected
    for activity in data.activities:  # an activity whose name matches shows every log
        shown = [row for row, u in enumerate(activity.users) if search.mask[u]]
        if search.names_activity(activity):
            shown = list(range(len(activity)))
        assert search.count(activity) == len(shown)
        assert list(search.rows(activity, None)) == shown


def test_no_words_match_everyone(data):
    search = UserSearch(data, "   ")
    assert not search.active
    assert list(search.users(len(data.users))) == list(range(len(data.users)))
