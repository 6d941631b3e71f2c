"""What the inbox says under its list, and in its empty state, in words and numbers."""

from __future__ import annotations

from dataclasses import dataclass

from viewer.formats import elided, plural

#: The most characters of the search repeated in the empty state.
_SEARCH_CHARS = 60


@dataclass(frozen=True)
class ListState:
    """The numbers and filters behind the line under the list."""

    shown: int
    loaded: int
    total: int | None
    unread_only: bool = False
    search: str = ""
    filtered: bool = False  # a server-side filter (type, reference) is set
    more: bool = False  # further pages can be asked for


def status_text(state: ListState) -> str:
    """``100 of 400 activities``, ``3 matches · 100 of 400 loaded``, …"""
    loaded = f"{state.loaded:,}" + (f" of {state.total:,}" if state.total is not None else "")
    if state.search:
        kind = "unread match" if state.unread_only else "match"
        return f"{plural(state.shown, kind, kind + 'es')} · {loaded} loaded"
    if state.unread_only:
        return f"{state.shown:,} unread shown · {loaded} loaded"
    if state.total is None:
        return plural(state.loaded, "activity")
    return f"{state.loaded:,} of {plural(state.total, 'activity')}"


def empty_text(state: ListState) -> tuple[str, str]:
    """The empty state's title and text when no row shows."""
    if state.search:
        searched = plural(state.loaded, "loaded activity", "loaded activities")
        further = " Look further loads the next pages." if state.more else ""
        kind = "unread activity" if state.unread_only else "activity"
        return (
            f"No {kind} matches “{elided(state.search, _SEARCH_CHARS)}”",
            f"The search looks through the {searched}, not the whole server.{further}",
        )
    if state.unread_only:
        return "No activities", "No unread activities."
    if state.filtered:
        return "No activities", "No activities match these filters."
    return "No activities", "Nothing has happened yet."
