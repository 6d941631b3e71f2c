"""What changed in a pathway between two fetches: per user and activity, old state → new state.

Qt-free, and run in a worker thread. People are matched by e-mail (case-insensitive, or by
name when there is none) and activities by ID (or name), so the two answers may list them in
any order. The per-user state tables prepared by ``pathway_index`` are compared as bytes, so
activities where nothing moved cost one comparison.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from viewer.pathway.data import (
    COMPLETED,
    IN_PROGRESS,
    NO_LOG,
    NOT_STARTED,
    OTHER,
    STATE_LABELS,
    ActivityData,
    PathwayData,
    User,
)

COMPLETED_NOW = "completed"
STARTED = "started"
WENT_BACK = "went back"
NEW_LOG = "new log"
LOG_REMOVED = "log removed"
CHANGED = "changed"
#: The order changes are listed in by default (the most wanted first).
CHANGE_ORDER = (COMPLETED_NOW, STARTED, WENT_BACK, NEW_LOG, LOG_REMOVED, CHANGED)
HEADER = (
    "email",
    "name",
    "activity_id",
    "activity_name",
    "before",
    "after",
    "change",
    "timestamp",
)
_NO_LOG_LABEL = "No log"
_RANK = {NOT_STARTED: 0, IN_PROGRESS: 1, COMPLETED: 2}


@dataclass(frozen=True, slots=True)
class Change:
    """One (user, activity) whose state differs between the two answers."""

    email: str
    name: str
    activity_id: str
    activity_name: str
    before: str
    after: str
    change: str
    timestamp: str  # of the newer log, as the server sent it ("" without one)

    def row(self) -> tuple[str, ...]:
        return (
            self.email,
            self.name,
            self.activity_id,
            self.activity_name,
            self.before,
            self.after,
            self.change,
            self.timestamp,
        )


@dataclass
class PathwayDiff:
    """The changes from ``before`` (an earlier answer) to ``after``."""

    changes: list[Change]
    before_time: float
    after_time: float
    pathway: str
    counts: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.changes)

    def rows(self) -> Iterator[tuple[str, ...]]:
        return (change.row() for change in self.changes)

    def summary(self) -> str:
        if not self.changes:
            return "No changes"
        parts = [f"{self.counts[kind]:,} {kind}" for kind in CHANGE_ORDER if self.counts.get(kind)]
        return ", ".join(parts)


def kind_of(before: int, after: int) -> str:
    """How a state code moved (codes of ``pathway_index``; ``NO_LOG`` for no log)."""
    if before == NO_LOG:
        return NEW_LOG if after != COMPLETED else COMPLETED_NOW
    if after == NO_LOG:
        return LOG_REMOVED
    if after == COMPLETED:
        return COMPLETED_NOW
    old, new = _RANK.get(before), _RANK.get(after)
    if old is None or new is None:
        return CHANGED
    if new < old:
        return WENT_BACK
    return STARTED if after == IN_PROGRESS else CHANGED


def _user_key(user: User) -> object:
    if user.email:
        return user.email.lower()
    return (user.firstname, user.lastname, user.telephone, user.country, user.city, user.name)


def _activity_key(activity: ActivityData) -> object:
    return activity.ID or ("name", activity.name, activity.index)


def _label(activity: ActivityData, code: int, uid: int) -> str:
    """The state's usual name; the server's own word only for states it does not know."""
    if code == NO_LOG:
        return _NO_LOG_LABEL
    if code != OTHER:
        return STATE_LABELS[code]
    row = activity.by_user[uid]
    text = activity.state_text[row] if row >= 0 else None
    return text or STATE_LABELS[OTHER]


def diff_pathways(before: PathwayData, after: PathwayData) -> PathwayDiff:
    """Every (user, activity) whose state differs, in ``after``'s order of activities."""
    old_ids = {_user_key(user): uid for uid, user in enumerate(before.users)}
    # For each user of ``after``, their number in ``before`` (-1: not there).
    mapping = [old_ids.pop(_user_key(user), -1) for user in after.users]
    gone = sorted(old_ids.values())  # users of ``before`` that ``after`` no longer has
    same_users = len(before.users) == len(after.users) and mapping == list(range(len(mapping)))
    old_activities = {_activity_key(a): a for a in before.activities}
    changes: list[Change] = []
    no_logs = bytes([NO_LOG]) * len(after.users)
    for activity in after.activities:
        old = old_activities.pop(_activity_key(activity), None)
        new_states = activity.user_states
        if old is None:
            old_states = no_logs
        elif same_users:
            old_states = old.user_states
        else:
            table = old.user_states
            old_states = bytes(NO_LOG if u < 0 else table[u] for u in mapping)
        if old_states != new_states:
            for uid, (was, now) in enumerate(zip(old_states, new_states, strict=True)):
                if was != now:
                    row = activity.by_user[uid]
                    stamp = activity.timestamps[row] if row >= 0 else None
                    changes.append(
                        _change(after.users[uid], activity, was, now, old, uid, mapping, stamp)
                    )
        if old is not None and gone:
            for uid in gone:
                was = old.user_states[uid]
                if was != NO_LOG:
                    changes.append(
                        Change(
                            *_who(before.users[uid]),
                            activity.ID or "",
                            activity.label,
                            _label(old, was, uid),
                            _NO_LOG_LABEL,
                            LOG_REMOVED,
                            "",
                        )
                    )
    for old in old_activities.values():  # activities the newer answer no longer has
        for uid, was in enumerate(old.user_states):
            if was != NO_LOG:
                changes.append(
                    Change(
                        *_who(before.users[uid]),
                        old.ID or "",
                        old.label,
                        _label(old, was, uid),
                        _NO_LOG_LABEL,
                        LOG_REMOVED,
                        "",
                    )
                )
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.change] = counts.get(change.change, 0) + 1
    return PathwayDiff(
        changes=changes,
        before_time=before.fetched_at,
        after_time=after.fetched_at,
        pathway=after.pathway.name or after.pathway.ID or "",
        counts=counts,
    )


def _who(user: User) -> tuple[str, str]:
    return user.email or "", user.name


def _change(
    user: User,
    activity: ActivityData,
    was: int,
    now: int,
    old: ActivityData | None,
    uid: int,
    mapping: list[int],
    stamp: str | None,
) -> Change:
    before = _NO_LOG_LABEL if old is None or was == NO_LOG else _label(old, was, mapping[uid])
    return Change(
        *_who(user),
        activity.ID or "",
        activity.label,
        before,
        _label(activity, now, uid),
        kind_of(was, now),
        stamp or "",
    )
