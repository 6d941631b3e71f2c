"""When the inbox list asks for another page, and when it stops asking.

Pages are fetched when the view asks (it scrolled to the end, or it is not full). The list
asks by itself only after a page that showed nothing (all read while "unread only", or all
seen before), and only a few times in a row: a server that answers every page number with
the same page, or that invents activities forever, must not make the list walk it unasked.

The walk ends when the pager runs out of pages, and also when pages stop bringing
activities not seen before, when the server's own total is loaded, or at a limit of
loaded activities. Those last three ends are reported: the list stops for a reason the
user should see, not silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from viewer.formats import plural

#: Requests made unasked in a row, after pages that showed nothing, to fill the view.
FOLLOW_UPS = 3
#: Pages in a row without an activity not seen before, before the walk ends.
SLACK_PAGES = 3
#: The most activities the list loads, unless the settings say otherwise.
DEFAULT_MAX_ACTIVITIES = 100_000


class EndReason(Enum):
    REPEATING = "repeating"
    TOTAL = "total"
    LIMIT = "limit"


@dataclass(frozen=True)
class WalkEnd:
    """Why the list stopped asking for pages while the server still offered more."""

    reason: EndReason
    pages: int
    loaded: int

    @property
    def message(self) -> str:
        pages = plural(self.pages, "page")
        if self.reason is EndReason.REPEATING:
            return f"The server kept sending activities already shown; stopped after {pages}."
        if self.reason is EndReason.TOTAL:
            return (
                f"All {plural(self.loaded, 'activity')} the server reported are loaded; "
                f"stopped after {pages}."
            )
        return (
            f"Stopped at {plural(self.loaded, 'activity')}, the most the list loads "
            "(setting inbox/maxActivities)."
        )


@dataclass(frozen=True)
class PageStep:
    """What to do after a page: ask for the next one unasked, and whether the walk ended."""

    follow_up: bool = False
    ended: WalkEnd | None = None


class PageWalk:
    """Counts the pages of one walk through the list, from page 1."""

    def __init__(
        self,
        max_activities: int = DEFAULT_MAX_ACTIVITIES,
        *,
        follow_ups: int = FOLLOW_UPS,
        slack_pages: int = SLACK_PAGES,
    ) -> None:
        self.max_activities = max(1, max_activities)
        self._follow_up_limit = follow_ups
        self._slack_pages = slack_pages
        self.pages = 0
        self.ended: WalkEnd | None = None
        self._barren = 0
        self._follow_ups = 0

    @property
    def can_continue(self) -> bool:
        return self.ended is None

    def start(self) -> None:
        """Page 1 of a new walk is on its way."""
        self.pages = 0
        self.ended = None
        self._barren = 0
        self._follow_ups = 0

    def asked(self) -> None:
        """The view asked for more: a few requests unasked may follow again."""
        self._follow_ups = 0

    def arrived(
        self,
        *,
        fresh: int,
        shown: int,
        loaded: int,
        total: int | None,
        exhausted: bool,
        stalled: bool = False,
    ) -> PageStep:
        """A page came: ``fresh`` activities not seen before, ``shown`` of them as rows.

        ``loaded`` counts every activity loaded so far, ``total`` is what the server
        reports, ``exhausted`` whether the pager has no further page, and ``stalled``
        whether it stopped because pages brought nothing new (which is reported).
        """
        self.pages += 1
        self._barren = 0 if fresh else self._barren + 1
        if self.ended is not None or (exhausted and not stalled):
            return PageStep()
        reason = None
        if stalled or self._barren >= self._slack_pages:
            reason = EndReason.REPEATING
        elif loaded >= self.max_activities:
            reason = EndReason.LIMIT
        elif total is not None and loaded >= total:
            reason = EndReason.TOTAL
        if reason is not None:
            self.ended = WalkEnd(reason, self.pages, loaded)
            return PageStep(ended=self.ended)
        if shown == 0 and self._follow_ups < self._follow_up_limit:
            self._follow_ups += 1
            return PageStep(follow_up=True)
        return PageStep()
