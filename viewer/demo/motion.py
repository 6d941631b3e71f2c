"""The demo data moving by itself, so that a demo shows change without anyone driving it.

Every minute some unfinished logs of each pathway already asked for move one step on (not
started → in progress → completed), and every few minutes one to three new unread inbox
activities arrive. Nothing runs in the background: before each request the server catches
up with the steps that are due. Step ``n`` always does the same thing for a seed, so what
the data looks like depends only on the seed and the time gone by; a test drives it with
its own clock instead of waiting.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable

#: Seconds between two steps.
STEP_SECONDS = 60.0
#: Logs each step moves on, in each pathway.
LOGS_PER_STEP = 6
#: Steps between two arrivals of inbox activities, at most (at least 2).
INBOX_EVERY = 4
#: Steps done in one catch-up at most: after a long sleep the demo moves on a little, and a
#: request never waits for hours of steps.
MAX_CATCH_UP = 30


class Motion:
    """Applies the steps due by ``clock()``; see the module docstring."""

    def __init__(
        self,
        seed: int,
        clock: Callable[[], float],
        *,
        pathways: Callable[[], Iterable[str]],
        advance: Callable[[str, int], int],
        arrive: Callable[[int], object],
    ) -> None:
        self.seed = seed
        self._clock = clock
        self._pathways = pathways
        self._advance = advance
        self._arrive = arrive
        self._started = clock()
        #: Steps done (or skipped) so far.
        self.steps = 0
        #: Inbox activities added so far, and logs moved on.
        self.arrived = 0
        self.moved = 0
        self._lock = threading.Lock()

    def catch_up(self) -> int:
        """Do the steps due by now; how many were done."""
        with self._lock:
            due = int((self._clock() - self._started) // STEP_SECONDS)
            if due <= self.steps:
                return 0
            self.steps = max(self.steps, due - MAX_CATCH_UP)
            done = 0
            while self.steps < due:
                self.steps += 1
                self._step(self.steps)
                done += 1
            return done

    def _step(self, number: int) -> None:
        rng = random.Random(f"{self.seed}/motion/{number}")
        for pathway in sorted(self._pathways()):
            self.moved += self._advance(pathway, rng.randint(1, LOGS_PER_STEP))
        if rng.randrange(INBOX_EVERY) == 0 or number % INBOX_EVERY == 0:
            count = rng.randint(1, 3)
            self._arrive(count)
            self.arrived += count
