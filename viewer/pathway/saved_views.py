"""Saved views of a pathway: named sets of filters, quick search, view and sort (Qt-free).

A coordinator who looks at the same slice every week ("Night Shift, by user, least done
first") names it once and recalls it from the tab's Views menu; one view per pathway may
open by default. All views of all pathways are kept as one JSON text (``encode`` and
``decode``), which the tab stores in its settings. Whatever that text holds, ``decode``
gives well-formed views or none: a hand-edited or damaged setting never breaks the tab.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: The most views kept per pathway, and the longest name.
MAX_VIEWS = 50
MAX_NAME = 80


@dataclass(frozen=True)
class SavedView:
    """What a saved view restores.

    ``filters`` maps a filter key (``activities``, ``types``, ``groups``, ``users``) to the
    checked values; ``view`` names the shown view; ``sort`` maps a view's name to its sort
    column and whether it is descending (column -1: the answer's order).
    """

    name: str
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    search: str = ""
    view: str = ""
    sort: dict[str, tuple[int, bool]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "filters": {key: list(values) for key, values in self.filters.items()},
            "search": self.search,
            "view": self.view,
            "sort": {key: [column, descending] for key, (column, descending) in self.sort.items()},
        }

    @classmethod
    def from_json(cls, raw: object) -> SavedView | None:
        """The view ``raw`` describes, or ``None`` when it is not one."""
        if not isinstance(raw, dict):
            return None
        name = clean_name(raw.get("name"))
        if not name:
            return None
        filters: dict[str, tuple[str, ...]] = {}
        stored = raw.get("filters")
        for key, values in stored.items() if isinstance(stored, dict) else ():
            if isinstance(key, str) and isinstance(values, list):
                filters[key] = tuple(str(value) for value in values if isinstance(value, str))
        sort: dict[str, tuple[int, bool]] = {}
        stored = raw.get("sort")
        for key, value in stored.items() if isinstance(stored, dict) else ():
            if (
                isinstance(key, str)
                and isinstance(value, list)
                and len(value) == 2
                and type(value[0]) is int
                and isinstance(value[1], bool)
            ):
                sort[key] = (max(-1, value[0]), value[1])
        search, view = raw.get("search"), raw.get("view")
        return cls(
            name,
            filters,
            search if isinstance(search, str) else "",
            view if isinstance(view, str) else "",
            sort,
        )


def clean_name(name: object) -> str:
    """A view's name as kept: one line, trimmed, at most ``MAX_NAME`` characters."""
    if not isinstance(name, str):
        return ""
    return " ".join(name.split())[:MAX_NAME]


def pathway_key(pathway: str) -> str:
    """Which pathway views belong to: its name or ID as typed, without case or spaces."""
    return " ".join(pathway.split()).casefold()


@dataclass
class ViewSet:
    """The saved views of one pathway, in the order saved, and the one opened by default."""

    views: list[SavedView] = field(default_factory=list)
    default: str | None = None

    def names(self) -> list[str]:
        return [view.name for view in self.views]

    def get(self, name: str) -> SavedView | None:
        return next((view for view in self.views if view.name == name), None)

    def put(self, view: SavedView) -> None:
        """Add ``view``, or replace the one of that name where it stands."""
        for position, kept in enumerate(self.views):
            if kept.name == view.name:
                self.views[position] = view
                return
        self.views = [*self.views, view][-MAX_VIEWS:]

    def remove(self, name: str) -> None:
        self.views = [view for view in self.views if view.name != name]
        if self.default == name:
            self.default = None

    def default_view(self) -> SavedView | None:
        return None if self.default is None else self.get(self.default)


def decode(text: object) -> dict[str, ViewSet]:
    """Every pathway's views from their stored JSON text; damaged parts are dropped."""
    try:
        raw = json.loads(text) if isinstance(text, str | bytes) else None
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    found: dict[str, ViewSet] = {}
    for key, entry in raw.items():
        if not isinstance(key, str) or not isinstance(entry, dict):
            continue
        views = ViewSet()
        stored = entry.get("views")
        for item in stored if isinstance(stored, list) else ():
            view = SavedView.from_json(item)
            if view is not None:
                views.put(view)
        default = entry.get("default")
        views.default = default if isinstance(default, str) and views.get(default) else None
        if views.views:
            found[key] = views
    return found


def encode(all_views: Mapping[str, ViewSet]) -> str:
    """The JSON text ``decode`` reads back."""
    return json.dumps(
        {
            key: {"views": [view.to_json() for view in views.views], "default": views.default}
            for key, views in all_views.items()
            if views.views
        },
        ensure_ascii=False,
        sort_keys=True,
    )
