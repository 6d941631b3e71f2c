"""What the filter lists offer, worked out in the worker thread after a fetch (Qt-free)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from operator import itemgetter

from viewer.pathway.data import PathwayData, sorted_gently

#: The vendor's activity type names (its "Activity & Fulfilment Types" page), offered in the
#: types filter next to the types found in the data; values are sent exactly as chosen.
VENDOR_TYPES = (
    "Article",
    "Assessment",
    "Audio",
    "Certificate",
    "Classroom",
    "Confirmation",
    "Connect Pathway",
    "Data Checkpoint",
    "Data Tracking",
    "Event",
    "Milestone",
    "Physical Activity",
    "Podcast Episode",
    "Reward",
    "Story",
    "Stream Snippet",
    "Survey",
    "Video",
    "Web Activity",
    "YouTube Video",
)

#: The item codes answers give an activity's type, where they are not its name in lower case.
_CODE_NAMES = {
    "checkpoint": "Data Checkpoint",
    "connect": "Connect Pathway",
    "data": "Data Tracking",
    "physical": "Physical Activity",
    "podcast": "Podcast Episode",
    "snippet": "Stream Snippet",
    "web": "Web Activity",
    "youtube": "YouTube Video",
}
_NAMES = {name.casefold(): name for name in VENDOR_TYPES} | _CODE_NAMES
#: Said above the types list, so its one list explains itself.
TYPES_HINT = (
    "This pathway's types first, with how many of its activities have each; then the "
    "vendor's other types."
)

#: (value sent to the server, label shown, lower-cased text the list filter searches)
Choice = tuple[str, str, str]
FILTER_KEYS = ("activities", "types", "groups", "users")
_VALUE, _SEARCH = itemgetter(0), itemgetter(2)
#: Users handled in one C call before other threads get a turn: a few milliseconds.
_RUN = 16384


def canonical_type(value: str) -> str:
    """The vendor's name of a type given by its name in any case or by its item code."""
    return _NAMES.get(value.strip().casefold(), value.strip())


def type_counts(data: PathwayData) -> dict[str, int]:
    """How many activities of the pathway have each type, by the type's vendor name."""
    counts: dict[str, int] = {}
    for activity in data.activities:
        if activity.type and activity.type.strip():
            name = canonical_type(activity.type)
            counts[name] = counts.get(name, 0) + 1
    for kind in data.types:  # a type the answer names without an activity of it
        counts.setdefault(canonical_type(kind), 0)
    return counts


def type_choices(in_pathway: Mapping[str, int]) -> list[Choice]:
    """One list of types: those of the pathway first (with how many of its activities have
    each), then the vendor's other types; each type once, whatever its spelling."""
    choices = [
        (name, f"{name} ({count})" if count else name, name.casefold())
        for name, count in in_pathway.items()
    ]
    choices += [(name, name, name.casefold()) for name in VENDOR_TYPES if name not in in_pathway]
    return choices


def filter_choices(data: PathwayData | None) -> dict[str, list[Choice]]:
    """What the filter lists offer after a fetch (with none, only the vendor's type names)."""
    activities: list[Choice] = []
    groups: list[Choice] = []
    users: list[Choice] = []
    if data is not None:
        for activity in data.activities:
            value = activity.name or activity.ID
            if value:
                label = f"{value} ({activity.type})" if activity.type else value
                activities.append((value, label, f"{label}\n{activity.ID or ''}".lower()))
        groups = [(group, group, group.lower()) for group in data.groups]
        for user, search in zip(data.users, data.user_search, strict=True):
            value = user.email or user.name
            if value:
                named = user.email and user.name and user.name != user.email
                label = f"{user.name} <{user.email}>" if named else value
                users.append((value, label, search))
        users = sorted_gently(users, key=itemgetter(2))
    types = type_choices(type_counts(data) if data is not None else {})
    return {"activities": activities, "types": types, "groups": groups, "users": users}


def users_by_value(users: list[Choice]) -> dict[str, Choice]:
    """The user choices by value, the last of equal values winning (as ``ChoiceMemory``).

    Made a run at a time, letting other threads in between: in one call, 100,000 users
    held the GIL for up to 88 ms (the dict's fresh memory, mostly), a pause in the window.
    """
    found: dict[str, Choice] = {}
    for start in range(0, len(users), _RUN):
        run = users[start : start + _RUN]
        found.update(zip(map(_VALUE, run), run, strict=True))
        time.sleep(0)
    return found


class ChoiceMemory:
    """Every filter value seen, per server and pathway, across fetches.

    A filtered fetch returns only what it matched; the lists keep offering what earlier
    fetches of the same pathway brought, so narrowing once does not hide the other values.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], dict[str, dict[str, Choice]]] = {}
        self._types: dict[tuple[str, str], dict[str, int]] = {}

    def merge(self, server: str, data: PathwayData) -> dict[str, list[Choice]]:
        """What the lists offer after ``data``: its own values and every one seen before."""
        pathway = data.pathway.ID or data.pathway.name or ""
        if not pathway and data.query is not None:
            pathway = data.query.pathway
        key = (server, pathway)
        seen = self._seen.setdefault(key, {name: {} for name in FILTER_KEYS})
        types = self._types.setdefault(key, {})
        for name, count in type_counts(data).items():
            types[name] = max(count, types.get(name, 0))
        fresh = data.choices or filter_choices(data)
        merged: dict[str, list[Choice]] = {}
        for name in FILTER_KEYS:
            known = seen[name]
            before = len(known)
            choices = fresh.get(name, [])
            if name == "users" and data.choices and data.choice_users:
                fresh_users = data.choice_users
                # Taken as it is when it holds everyone seen before, as a fetch again of
                # the same pathway does: merging 100,000 users took 15-40 ms here.
                if not before or known.keys() <= fresh_users.keys():
                    before = 0  # sorted already, by the worker
                    known = seen[name] = fresh_users
                    data.choice_users = {}  # so no other memory ever shares it
                else:  # dict to dict: the e-mails' hashes are the worker's
                    known.update(fresh_users)
            else:
                known.update(zip(map(_VALUE, choices), choices, strict=True))  # no call a choice
            merged[name] = list(known.values())
            # The users come sorted; only values added to earlier ones need sorting. This
            # runs in the GUI thread, on 100,000 users for the largest answers.
            unsorted = len(known) != before and (before or len(known) != len(choices))
            if name == "users" and unsorted:
                merged[name].sort(key=_SEARCH)
                seen[name] = dict(zip(map(_VALUE, merged[name]), merged[name], strict=True))
        merged["types"] = type_choices(types)
        return merged
