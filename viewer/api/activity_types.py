"""Typed payloads of the activity-log API, decoded with msgspec.

Fields are optional wherever a server could reasonably omit them; unknown fields are ignored.
``meta_data`` is meant to be a string of JSON but is taken as whatever arrives.
"""

from __future__ import annotations

from typing import Any

import msgspec

from viewer.api.errors import UNREADABLE


class Subtype(msgspec.Struct, frozen=True):
    id: str | None = None
    name: str | None = None
    description: str | None = None

    @property
    def key(self) -> str:
        """What identifies the subtype in filters: its id, or its name when it has none."""
        return self.id or self.name or ""

    @property
    def label(self) -> str:
        return self.name or self.id or ""


class ActivityType(msgspec.Struct, frozen=True):
    name: str
    description: str | None = None
    subtypes: list[Subtype] | None = None


class TypesResponse(msgspec.Struct):
    data: list[ActivityType] | None = None


class Activity(msgspec.Struct, gc=False):
    """One inbox entry. ``is_read`` is the only field the client changes."""

    uuid: str
    title: str | None = None
    description: str | None = None
    type: str | None = None
    subtype: str | None = None
    is_push_sent: bool | None = None
    is_read: bool | None = None
    reference_uuid: str | None = None
    gid_uuid: str | None = None
    meta_data: Any = None
    created_at: str | None = None
    updated_at: str | None = None

    def meta(self) -> tuple[Any, bool]:
        """``(value, True)`` when ``meta_data`` holds JSON, else ``(raw text, False)``."""
        value = self.meta_data
        if value is None:
            return None, True
        if not isinstance(value, str):
            return value, True
        try:
            return msgspec.json.decode(value), True
        except UNREADABLE:
            return value, False


class PageMeta(msgspec.Struct, frozen=True):
    """Paging numbers as the server reports them; a negative one is unknown (``None``)."""

    page: int | None = None
    per_page: int | None = None
    total: int | None = None

    def __post_init__(self) -> None:
        for name in ("page", "per_page", "total"):
            value = getattr(self, name)
            if value is not None and value < 0:
                msgspec.structs.force_setattr(self, name, None)


class ActivityPage(msgspec.Struct):
    data: list[Activity] | None = None
    meta: PageMeta = PageMeta()


class TypeUnread(msgspec.Struct, frozen=True):
    total: int
    subtypes: dict[str, int]


class UnreadCount(msgspec.Struct, frozen=True):
    """Unread activities, in all and per type and subtype."""

    unread: int
    types: dict[str, TypeUnread]

    def for_type(self, type_name: str) -> int:
        entry = self.types.get(type_name)
        return entry.total if entry else 0

    def for_subtype(self, type_name: str, subtype: str) -> int:
        entry = self.types.get(type_name)
        return entry.subtypes.get(subtype, 0) if entry else 0


def _count(value: Any) -> int | None:
    """A count, or ``None`` for anything that is not one (a negative number included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer():
        return int(value) if value >= 0 else None
    if isinstance(value, str) and value.strip().isdecimal():  # isdigit admits "²"
        return int(value)
    if isinstance(value, dict):
        for key in ("total", "unread", "count"):
            if key in value:
                return _count(value[key])
    return None


def parse_unread_count(value: Any) -> UnreadCount | None:
    """Read the unread counts from any of the shapes servers are known or likely to send.

    The documented shape is ``{"unread": 20, "types": {"t": {"total": 20, "subtypes":
    {"s": 15}}}}``. Also accepted: the same inside ``{"data": ...}``, a type mapped straight
    to a number, subtypes as a list of ``{"name"/"id", "count"/"unread"}`` objects, types as a
    list of ``{"name"/"type", ...}`` objects, and a missing total (summed from the types).
    Returns ``None`` when nothing recognisable is there.
    """
    if isinstance(value, dict) and "data" in value and "unread" not in value:
        value = value["data"]
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        count = _count(value)
        return None if count is None else UnreadCount(unread=count, types={})
    if not isinstance(value, dict):
        return None
    types: dict[str, TypeUnread] = {}
    raw_types = value.get("types")
    if isinstance(raw_types, list):
        raw_types = {
            str(item.get("name") or item.get("type")): item
            for item in raw_types
            if isinstance(item, dict) and (item.get("name") or item.get("type"))
        }
    if isinstance(raw_types, dict):
        for name, entry in raw_types.items():
            subtypes = _parse_subtypes(entry.get("subtypes") if isinstance(entry, dict) else None)
            total = _count(entry)
            if total is None:
                total = sum(subtypes.values())
            types[str(name)] = TypeUnread(total=total, subtypes=subtypes)
    unread = _count(value.get("unread"))
    if unread is None:
        unread = _count(value.get("total"))
    if unread is None:
        if not types:
            return None
        unread = sum(entry.total for entry in types.values())
    return UnreadCount(unread=unread, types=types)


def _parse_subtypes(value: Any) -> dict[str, int]:
    result: dict[str, int] = {}
    if isinstance(value, dict):
        for name, count in value.items():
            number = _count(count)
            if number is not None:
                result[str(name)] = number
    elif isinstance(value, list):
        for item in value:
            if not isinstance(item, dict):
                continue
            name = item.get("name") or item.get("id") or item.get("subtype")
            number = _count(item.get("count", item.get("unread", item.get("total"))))
            if name and number is not None:
                result[str(name)] = number
    return result
