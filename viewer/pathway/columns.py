"""The columns of the pathway tree, and how each one sorts (Qt-free)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from viewer.formats import time_key
from viewer.pathway.data import ActivityData, PathwayData

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
    summaries: Callable[[ActivityData], list[str]],
) -> Sequence[Any] | None:
    """One sort key per log of ``activity`` for ``column``; None when logs keep their order."""
    users = activity.users
    if column == NAME:
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
        return [s.lower() for s in summaries(activity)]
    return None


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
