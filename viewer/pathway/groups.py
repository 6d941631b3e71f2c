"""Completion by group: one row per group and activity, and a total over the required ones.

How people count, so that ``users = completed + in_progress + not_started`` in every row:

- ``users`` is everyone of the group in the answer (anyone with a log in any activity),
  whether or not they have a log for that activity.
- A log whose state the app does not know ("Other": failed, expired, …) counts as
  ``in_progress``: something was done, nothing was completed.
- Someone with no log for an activity counts as ``not_started``.
- A user in several groups counts in each of them; users without a group form ``NO_GROUP``.
- The per-group total (activity ``ALL_REQUIRED_ID``) counts people, not logs: ``completed``
  when every required activity is completed, ``in_progress`` when any of them is started
  (or completed, or "Other"), else ``not_started``. With no required activity there is no
  total row.

Everything is counted from the per-user state tables of ``ActivityData`` (``user_states``),
one C-level pass per activity, so 400,000 logs take a few tens of milliseconds.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from viewer.pathway.data import (
    COMPLETED,
    IN_PROGRESS,
    NO_LOG,
    NOT_STARTED,
    OTHER,
    ActivityData,
    PathwayData,
)

NO_GROUP = "(no group)"
ALL_REQUIRED_ID = "*"
ALL_REQUIRED_NAME = "All required"
#: The group that stands for everyone, in the catalogue's counts.
EVERYONE = "*"

#: Which per-user state codes each column takes.
CODES_OF = {
    COMPLETED: frozenset({COMPLETED}),
    IN_PROGRESS: frozenset({IN_PROGRESS, OTHER}),
    NOT_STARTED: frozenset({NOT_STARTED, NO_LOG}),
    OTHER: frozenset({OTHER}),
    NO_LOG: frozenset({NO_LOG}),
}
#: Index of each state code in a tally.
SLOTS = {NOT_STARTED: 0, IN_PROGRESS: 1, COMPLETED: 2, OTHER: 3, NO_LOG: 4}
#: A tally: users per state, in the order of ``SLOTS``.
Tally = list[int]
_GROUPS_OF = operator.attrgetter("groups")
#: ``required_summary`` adds flags up into these codes.
assert (NOT_STARTED, IN_PROGRESS, COMPLETED) == (0, 1, 2)
#: Per-user state codes mapped to 1 when completed / when started, else 0.
_COMPLETED_TABLE = bytes(1 if code == COMPLETED else 0 for code in range(256))
_STARTED_TABLE = bytes(0 if code in (NOT_STARTED, NO_LOG) else 1 for code in range(256))


@dataclass(frozen=True)
class GroupRow:
    """One cell row of the groups view; ``percent_completed`` is 0-100."""

    group: str
    activity_id: str
    activity_name: str
    users: int
    completed: int
    in_progress: int
    not_started: int
    percent_completed: float


def activity_key(activity: ActivityData) -> str:
    """The activity's ID, or its position for an answer that gives none."""
    return activity.ID or f"#{activity.index + 1}"


def user_groups(data: PathwayData) -> list[tuple[str, ...]]:
    """Each user's groups, ``(NO_GROUP,)`` for a user without one."""
    none = (NO_GROUP,)
    return [user.groups or none for user in data.users]


def group_order(data: PathwayData) -> list[str]:
    """The groups in display order: as ``data.groups`` (sorted), ``NO_GROUP`` last if any."""
    order = list(data.groups)
    if not all(map(_GROUPS_OF, data.users)):
        order.append(NO_GROUP)
    return order


def required_summary(activities: Sequence[ActivityData], users: int) -> bytes | None:
    """Per user, one state for all of ``activities`` together; ``None`` if there are none.

    ``COMPLETED`` when every one is completed, ``IN_PROGRESS`` when any is started, else
    ``NOT_STARTED``.
    """
    if not activities:
        return None
    # Each column as one big integer, a byte a user (1: completed / started, else 0), so
    # "every one" and "any one" are one C-level ``&`` and ``|`` an activity. A completed
    # user has also started, so begun + done is per byte 2, 1 or 0: COMPLETED, IN_PROGRESS
    # or NOT_STARTED, with no carry from one user's byte into the next.
    done = -1
    begun = 0
    for activity in activities:
        states = activity.user_states
        done &= int.from_bytes(states.translate(_COMPLETED_TABLE))
        begun |= int.from_bytes(states.translate(_STARTED_TABLE))
    return (begun + done).to_bytes(users)


def _tally_by_group(
    combos: list[int],
    combo_groups: list[tuple[str, ...]],
    states: bytes,
    everyone: bool,
) -> dict[str, Tally]:
    """Users per state and group for one activity's per-user states, a user at a time.

    For answers where nearly every user has groups of their own; ``_UsersByCombo`` is
    several times faster where many users share them.
    """
    counted = Counter(map(operator.add, combos, states))
    tallies: dict[str, Tally] = {}
    whole = [0] * len(SLOTS)
    for key, count in counted.items():
        combo, code = divmod(key, 256)
        slot = SLOTS[code]
        for group in combo_groups[combo]:
            tally = tallies.get(group)
            if tally is None:
                tally = tallies[group] = [0] * len(SLOTS)
            tally[slot] += count
        whole[slot] += count
    if everyone:
        tallies[EVERYONE] = whole
    return tallies


#: The state codes in the order of ``SLOTS``.
_CODES = sorted(SLOTS, key=SLOTS.__getitem__)


class _UsersByCombo:
    """Users ordered by their combination of groups, to count an activity's states a
    combination at a time.

    A column of per-user states is put in that order by one C-level ``itemgetter`` call;
    each combination is then a slice of it, whose states ``bytes.count`` counts at memory
    speed. Hashing a (combination, state) pair per user with a ``Counter`` took over half
    of the catalogue summary recorded on each fetch.
    """

    def __init__(self, combos: list[int], combo_groups: list[tuple[str, ...]]) -> None:
        self.combo_groups = combo_groups
        order = sorted(range(len(combos)), key=combos.__getitem__)
        self._gather = operator.itemgetter(*order)
        sizes = Counter(combos)
        self._spans: list[tuple[int, int, int]] = []  # (combination, first user, end)
        start = 0
        for combo in range(len(combo_groups)):
            self._spans.append((combo, start, start + sizes[combo]))
            start += sizes[combo]

    @staticmethod
    def fits(combos: list[int], combo_groups: list[tuple[str, ...]]) -> bool:
        """Whether counting by slices pays: many users to a combination."""
        return len(combos) > 1 and len(combo_groups) * 8 <= len(combos)

    def tally(self, states: bytes, everyone: bool) -> dict[str, Tally]:
        """What ``_tally_by_group`` counts, for the same states."""
        column = bytes(self._gather(states))
        tallies: dict[str, Tally] = {}
        whole = [0] * len(SLOTS)
        for combo, start, end in self._spans:
            counts = [column.count(code, start, end) for code in _CODES]
            for group in self.combo_groups[combo]:
                tally = tallies.get(group)
                if tally is None:
                    tallies[group] = counts[:]
                else:
                    tallies[group] = list(map(operator.add, tally, counts))
            whole = list(map(operator.add, whole, counts))
        if everyone:
            tallies[EVERYONE] = whole
        return tallies


def tallies(
    data: PathwayData,
    activities: Sequence[ActivityData] | None = None,
    *,
    everyone: bool = False,
) -> dict[tuple[str, str], Tally]:
    """Users per state for every (group, activity key), the all-required total included.

    With ``everyone`` each activity also has a tally for the group ``EVERYONE``. Groups come
    in ``group_order``, ``EVERYONE`` first; within a group, activities in the given order,
    then the total.
    """
    chosen = list(data.activities if activities is None else activities)
    per_user = user_groups(data)
    combo_groups = list(dict.fromkeys(per_user))  # each combination of groups once
    combo_ids = {groups: combo for combo, groups in enumerate(combo_groups)}
    combos = list(map(combo_ids.__getitem__, per_user))
    if _UsersByCombo.fits(combos, combo_groups):
        tally = _UsersByCombo(combos, combo_groups).tally
    else:
        shifted = [combo * 256 for combo in combos]

        def tally(states: bytes, everyone: bool) -> dict[str, Tally]:
            return _tally_by_group(shifted, combo_groups, states, everyone)

    columns: list[tuple[str, bytes]] = [(activity_key(a), a.user_states) for a in chosen]
    summary = required_summary([a for a in chosen if a.required], len(data.users))
    if summary is not None:
        columns.append((ALL_REQUIRED_ID, summary))
    order = ([EVERYONE] if everyone else []) + group_order(data)
    found: dict[tuple[str, str], Tally] = {}
    for key, states in columns:
        for group, counted in tally(states, everyone).items():
            found[(group, key)] = counted
    keys = [key for key, _ in columns]
    empty = [0] * len(SLOTS)
    return {(group, key): found.get((group, key), empty[:]) for group in order for key in keys}


def percent_of(completed: int, users: int) -> float:
    return 100.0 * completed / users if users else 0.0


def group_rows(
    data: PathwayData, activities: Sequence[ActivityData] | None = None
) -> list[GroupRow]:
    """One row per group and activity of ``activities`` (default: all), and per group a
    total over the required ones among them (see the module's notes on counting)."""
    chosen = list(data.activities if activities is None else activities)
    names = {activity_key(a): a.label for a in chosen}
    names[ALL_REQUIRED_ID] = ALL_REQUIRED_NAME
    rows = []
    for (group, key), tally in tallies(data, chosen).items():
        completed = tally[SLOTS[COMPLETED]]
        in_progress = tally[SLOTS[IN_PROGRESS]] + tally[SLOTS[OTHER]]
        not_started = tally[SLOTS[NOT_STARTED]] + tally[SLOTS[NO_LOG]]
        users = completed + in_progress + not_started
        rows.append(
            GroupRow(
                group=group,
                activity_id=key,
                activity_name=names[key],
                users=users,
                completed=completed,
                in_progress=in_progress,
                not_started=not_started,
                percent_completed=percent_of(completed, users),
            )
        )
    return rows


def users_behind(
    data: PathwayData,
    group: str,
    activity_id: str,
    state: int | None,
    activities: Sequence[ActivityData] | None = None,
) -> list[int]:
    """The users (numbers into ``data.users``) counted in one cell of ``group_rows``.

    ``state`` is a code of ``pathway.data``: ``COMPLETED``, ``IN_PROGRESS`` (with "Other")
    or ``NOT_STARTED`` (with no log), as the columns count; ``OTHER`` or ``NO_LOG`` alone;
    ``None`` for everyone of the group. ``group`` may be ``EVERYONE``. Raises ``KeyError``
    for an activity that is not there.
    """
    chosen = list(data.activities if activities is None else activities)
    if activity_id == ALL_REQUIRED_ID:
        summary = required_summary([a for a in chosen if a.required], len(data.users))
        if summary is None:
            raise KeyError("no activity is required")
        states = summary
    else:
        found = [a.user_states for a in chosen if activity_key(a) == activity_id]
        if not found:
            raise KeyError(f"no activity {activity_id!r} in this answer")
        states = found[0]
    codes = None if state is None else CODES_OF[state]
    members = _members(data, group)
    if codes is None:
        return list(members)
    return [uid for uid in members if states[uid] in codes]


def _members(data: PathwayData, group: str) -> Iterable[int]:
    if group == EVERYONE:
        return range(len(data.users))
    if group == NO_GROUP:
        return (uid for uid, user in enumerate(data.users) if not user.groups)
    return (uid for uid, user in enumerate(data.users) if group in user.groups)
