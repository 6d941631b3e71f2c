"""The flag a caller sets to stop a request, and the hooks that make it stop at once.

Checking a flag between chunks is not enough: a request can sit for minutes inside one
blocking read of a server that trickles or says nothing. So whoever blocks registers a
callback (the transport shuts its socket down), and ``cancel`` runs those callbacks in the
cancelling thread, which wakes the blocked one.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

from viewer.api.errors import Cancelled

log = logging.getLogger(__name__)


class CancelToken:
    """A thread-safe flag; setting it runs the registered callbacks once."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    def cancel(self) -> None:
        with self._lock:
            if self._event.is_set():
                return
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            _run(callback)

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("The request was cancelled.")

    def sleep(self, seconds: float) -> None:
        """Wait, waking at once when cancelled."""
        if self._event.wait(seconds):
            raise Cancelled("The request was cancelled.")

    def on_cancel(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Run ``callback`` when cancelled (at once if already); returns what unregisters it."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return lambda: self._forget(callback)
        _run(callback)
        return _nothing

    def _forget(self, callback: Callable[[], None]) -> None:
        with self._lock, contextlib.suppress(ValueError):  # already run by cancel()
            self._callbacks.remove(callback)


def _run(callback: Callable[[], None]) -> None:
    try:
        callback()
    except Exception:  # one failing hook must not keep the others from running
        log.exception("A cancel callback failed")


def _nothing() -> None:
    pass
