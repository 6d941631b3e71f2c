"""The columns of the pathway tree, and how each one sorts (Qt-free)."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import Any

from viewer.formats import time_key
from viewer.pathway.data import ActivityData, PathwayData, sorted_gently
from viewer.pathway.sort_keys import LogKeys

COLUMNS = (
    "Name",
    "State",
    "Progress",
    "Result",
    "Last update",
    "Email",
    "Groups",
    "Type",
    "Fulfilment",
    "Required",
    "Level",
)
(
    NAME,
    STATE,
    PROGRESS,
    RESULT,
    UPDATED,
    EMAIL,
    GROUPS,
    TYPE,
    FULFILMENT,
    REQUIRED,
    LEVEL,
) = range(len(COLUMNS))


def log_sort_keys(
    data: PathwayData,
    activity: ActivityData,
    column: int,
    cached: LogKeys,
) -> Sequence[Any] | None:
    """One sort key per log of ``activity`` for ``column``; None when logs keep their order.

    ``cached`` keeps the keys that take long to work out (``LogKeys``)."""
    users = activity.users
    if column == NAME:
        ranks = data.name_ranks  # small integers compare faster than names
        if len(ranks) == len(data.users):
            return [ranks[u] for u in users]
        names = data.user_sort_names
        return [names[u] for u in users]
    if column == EMAIL:
        emails = [(u.email or "").lower() for u in data.users]
        return [emails[u] for u in users]
    if column == GROUPS:
        groups = [", ".join(u.groups).lower() for u in data.users]
        return [groups[u] for u in users]
    if column == STATE:
        return activity.states
    if column == PROGRESS:
        return [-1.0 if p != p else p for p in activity.progress]
    if column == UPDATED:
        return [time_key(t) for t in activity.timestamps]
    if column == RESULT:
        return cached.result_keys(activity)
    return None


def log_order(
    data: PathwayData,
    activity: ActivityData,
    column: int,
    descending: bool,
    cached: LogKeys,
) -> Sequence[int] | None:
    """Every log row of ``activity`` in the order of ``column``; None when logs keep theirs.

    A stable sort: logs with equal keys keep the server's order, in both directions.
    """
    # Last update: the seconds ``time_key`` gives, worked out at C speed when they can be.
    keys: Sequence[Any] | None = cached.seconds(activity) if column == UPDATED else None
    if keys is None:
        keys = log_sort_keys(data, activity, column, cached)
    if keys is None:
        return None
    return array("i", sorted(range(len(activity)), key=keys.__getitem__, reverse=descending))


def name_ranks(names: Sequence[str]) -> array[int]:
    """Each name's place among the sorted names, equal names sharing one."""
    ranks = array("i", [0]) * len(names)
    rank, last = -1, None
    for user in sorted_gently(range(len(names)), key=names.__getitem__):
        if names[user] != last:
            rank, last = rank + 1, names[user]
        ranks[user] = rank
    return ranks


def _activity_ratio(activity: ActivityData) -> float:
    return activity.completed / activity.total if activity.total else 0.0


#: How activity rows sort, by column; columns missing here keep the server's order.
ACTIVITY_KEYS: dict[int, Callable[[ActivityData], Any]] = {
    NAME: lambda a: a.label.lower(),
    STATE: _activity_ratio,
    PROGRESS: _activity_ratio,
    TYPE: lambda a: (a.type or "").lower(),
    FULFILMENT: lambda a: (a.fulfilment_type or "").lower(),
    REQUIRED: lambda a: bool(a.required),
    LEVEL: lambda a: a.level if a.level is not None else -1,
}
