"""The quick search over users, shared by the tree and the by-user matrix (Qt-free)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, repeat
from operator import contains

from viewer.pathway.data import ActivityData, PathwayData


class UserSearch:
    """Which users a search text matches: every word must appear in name, e-mail or groups.

    An activity whose own name matches shows all of its logs.
    """

    def __init__(self, data: PathwayData | None = None, needle: str = "") -> None:
        self.needle = needle.strip().lower()
        self.data = data  # what was searched
        self.active = bool(self.needle) and data is not None
        self.matched: list[int] = []
        self.mask = b""
        if not self.active:
            return
        assert data is not None
        first, *others = self.needle.split()
        texts = data.user_search
        hits = list(map(contains, texts, repeat(first)))  # C speed: 100,000 users a keystroke
        matched = list(compress(range(len(texts)), hits))
        if not others:
            self.matched, self.mask = matched, bytes(hits)
            return
        for word in others:  # each further word looks only at who is left
            matched = [u for u in matched if word in texts[u]]
        self.matched = matched
        mask = bytearray(len(texts))
        for u in self.matched:
            mask[u] = 1
        self.mask = bytes(mask)

    def names_activity(self, activity: ActivityData) -> bool:
        return self.active and all(word in activity.label.lower() for word in self.needle.split())

    def count(self, activity: ActivityData) -> int:
        """How many of an activity's logs the search lets through."""
        n = len(activity)
        if not self.active or self.names_activity(activity):
            return n
        if n == len(self.mask):  # every user has a log here
            return len(self.matched)
        if len(self.matched) * 8 < n:
            by_user = activity.by_user
            return sum(by_user[u] >= 0 for u in self.matched)
        return sum(map(self.mask.__getitem__, activity.users))

    def rows(self, activity: ActivityData, order: Sequence[int] | None) -> Sequence[int]:
        """The activity's visible log rows, in ``order`` (every row, sorted) when given."""
        n = len(activity)
        if not self.active or self.names_activity(activity):
            return range(n) if order is None else order
        if order is not None:  # one pass over the sorted rows, keeping the matching ones
            matching = bytes(map(self.mask.__getitem__, activity.users))
            return list(compress(order, map(matching.__getitem__, order)))
        if len(self.matched) * 8 < n:
            by_user = activity.by_user
            return sorted(row for row in (by_user[u] for u in self.matched) if row >= 0)
        return list(compress(range(n), map(self.mask.__getitem__, activity.users)))

    def users(self, count: int) -> Sequence[int]:
        """Every matching user, in user order."""
        return self.matched if self.active else range(count)
