"""What the filter lists offer, worked out in the worker thread after a fetch (Qt-free)."""

from __future__ import annotations

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

#: (value sent to the server, label shown, lower-cased text the list filter searches)
Choice = tuple[str, str, str]


def filter_choices(data: PathwayData | None) -> dict[str, list[Choice]]:
    """What the filter lists offer after a fetch (with none, only the vendor's type names)."""
    types: list[Choice] = []
    seen: set[str] = set()
    activities: list[Choice] = []
    groups: list[Choice] = []
    users: list[Choice] = []
    if data is not None:
        for activity in data.activities:
            value = activity.name or activity.ID
            if value:
                label = f"{value} ({activity.type})" if activity.type else value
                activities.append((value, label, f"{label}\n{activity.ID or ''}".lower()))
        for kind in data.types:
            types.append((kind, f"{kind} (in this pathway)", kind.lower()))
            seen.add(kind)
        groups = [(group, group, group.lower()) for group in data.groups]
        for user, search in zip(data.users, data.user_search, strict=True):
            value = user.email or user.name
            if value:
                named = user.email and user.name and user.name != user.email
                label = f"{user.name} <{user.email}>" if named else value
                users.append((value, label, search))
        users = sorted_gently(users, key=itemgetter(2))
    types += [(kind, kind, kind.lower()) for kind in VENDOR_TYPES if kind not in seen]
    return {"activities": activities, "types": types, "groups": groups, "users": users}
