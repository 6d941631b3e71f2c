"""The sort keys of the columns that cost most to work out, a step at a time (Qt-free).

Sorting a 100,000-log activity by Last update parses every timestamp (about 130 ms), and
by Result summarises every payload (about as long): both in one event, a pause the user
sees. ``LogKeys`` keeps each activity's keys once worked out, and ``warm`` works them out
a few thousand logs a step, so a view can do it while the user looks at what it shows and
a later click on the header finds them ready. Asked for early, a key list is finished
at once from where the steps had got to.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import datetime
from operator import attrgetter

from viewer.pathway.data import ActivityData
from viewer.pathway.results import result_summaries

#: Activities with fewer logs work their keys out when sorted: at most about 15 ms.
WARM_FROM = 10_000
#: Logs a step of ``warm`` works out: about 5 ms of one core.
WARM_STEP = 4096

_TZINFO = attrgetter("tzinfo")


def stamp_seconds(stamps: Sequence[str | None]) -> list[float] | None:
    """Each timestamp as seconds since the epoch (missing ones: minus infinity), at C
    speed; None when some time is naive or not ISO-8601 (``time_key`` then orders them)."""
    present = [stamp for stamp in stamps if stamp is not None]
    try:
        moments = list(map(datetime.fromisoformat, present))
    except (ValueError, TypeError):
        return None
    if None in map(_TZINFO, moments):
        return None
    try:
        seconds = list(map(datetime.timestamp, moments))
    except (OverflowError, OSError, ValueError):
        return None
    if len(seconds) == len(stamps):
        return seconds
    found = iter(seconds)
    return [-math.inf if stamp is None else next(found) for stamp in stamps]


class LogKeys:
    """The Result texts and the timestamps' seconds of the logs of one answer's activities,
    each worked out once; ``warm`` works them out ahead, a step at a time."""

    def __init__(self) -> None:
        self._texts: dict[int, list[str | None]] = {}  # activity -> each log's Result
        self._texts_done: dict[int, int] = {}  # activity -> logs summarised from the first
        self._seconds: dict[int, list[float]] = {}  # activity -> the first logs' seconds
        self._unordered: set[int] = set()  # activities with a naive or odd timestamp
        self._lowered: dict[int, list[str]] = {}

    def summary(self, activity: ActivityData, row: int) -> str:
        """What the Result column shows for one log."""
        texts = self._texts_of(activity)
        text = texts[row]
        if text is None:
            info = activity.fulfilment_at(row)
            text = texts[row] = "" if info is None else info.summary()
        return text

    def summaries(self, activity: ActivityData) -> list[str]:
        """What the Result column shows for every log of ``activity``."""
        self._summarise(activity, len(activity))
        return self._texts[activity.index]  # type: ignore[return-value]  # every log done

    def result_keys(self, activity: ActivityData) -> list[str]:
        """The Result column's sort key of every log: its text, lower case."""
        keys = self._lowered.get(activity.index)
        if keys is None:
            keys = self._lowered[activity.index] = list(map(str.lower, self.summaries(activity)))
        return keys

    def seconds(self, activity: ActivityData) -> list[float] | None:
        """Every log's timestamp in seconds (``stamp_seconds``); None when they do not
        all read as aware ISO-8601 times."""
        if not self._time(activity, len(activity)):
            return None
        return self._seconds[activity.index]

    def warm(self, activity: ActivityData) -> Iterator[None]:
        """Work out the keys of ``activity``, yielding after each ``WARM_STEP`` logs."""
        n = len(activity)
        for upto in range(WARM_STEP, n + WARM_STEP, WARM_STEP):
            if not self._time(activity, min(upto, n)):
                break
            yield
        for upto in range(WARM_STEP, n + WARM_STEP, WARM_STEP):
            self._summarise(activity, min(upto, n))
            yield
        self.result_keys(activity)

    def _texts_of(self, activity: ActivityData) -> list[str | None]:
        texts = self._texts.get(activity.index)
        if texts is None:
            texts = self._texts[activity.index] = [None] * len(activity)
        return texts

    def _summarise(self, activity: ActivityData, upto: int) -> None:
        start = self._texts_done.get(activity.index, 0)
        if start >= upto:
            return
        texts = self._texts_of(activity)
        texts[start:upto] = result_summaries(activity.fulfilment.pick(range(start, upto)))
        self._texts_done[activity.index] = upto

    def _time(self, activity: ActivityData, upto: int) -> bool:
        """Seconds for the first ``upto`` logs; False when some timestamp cannot have any."""
        a = activity.index
        if a in self._unordered:
            return False
        seconds = self._seconds.setdefault(a, [])
        start = len(seconds)
        if start < upto:
            more = stamp_seconds(activity.timestamps[start:upto])
            if more is None:
                self._unordered.add(a)
                del self._seconds[a]
                return False
            seconds += more
        return True
