"""Unread counts as the inbox's filters word them, and what to say when they do not add up.

A type's unread total includes activities without a subtype, and the grand total those
without a type, so the parts can add up to less than the whole; the list says so.
"""

from __future__ import annotations

from viewer.api.activity_types import UnreadCount
from viewer.formats import plural


def with_unread(label: str, count: int | None) -> str:
    """``Security (3 unread)``; a count of zero stays (``(0 unread)``); ``None``: unknown."""
    return label if count is None else f"{label} ({count:,} unread)"


def count_split(text: str) -> tuple[str, str]:
    """``("Security", " (3 unread)")``: a text and its closing count, to elide the first only."""
    if text.endswith(")"):
        head, opening, tail = text.rpartition(" (")
        if opening:
            return head, opening + tail
    return text, ""


def gap_note(counts: UnreadCount | None, type_name: str | None, type_label: str = "") -> str:
    """What the parts leave out: unread activities without a subtype of the chosen type, or
    without a type at all when no type is chosen; empty when the parts add up."""
    if counts is None:
        return ""
    if type_name:
        entry = counts.types.get(type_name)
        if entry is None or not entry.subtypes:
            return ""
        parts, whole, what = sum(entry.subtypes.values()), entry.total, "subtype"
        kind = f"unread {type_label or type_name} "
    else:
        if not counts.types:
            return ""
        parts, whole, what = sum(t.total for t in counts.types.values()), counts.unread, "type"
        kind = "unread "
    missing = whole - parts
    if missing <= 0:
        return ""
    verb = "has" if missing == 1 else "have"
    return (
        f"{plural(missing, kind + 'activity', kind + 'activities')} {verb} no {what}, "
        f"so the {what}s add up to {parts:,} of {whole:,}."
    )
