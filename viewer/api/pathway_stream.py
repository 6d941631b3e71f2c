"""Decoding a pathway answer's logs one activity at a time, also while the answer arrives.

Downloading a large answer takes about as long as a third of its decoding, and the two can
overlap: an activity's ``logs`` array is complete once the next activity's ``"logs"`` key has
arrived, so ``SlicedReader.feed``, called after each chunk from the network, decodes every
array the body holds in full and hands it on. ``finish`` decodes the rest once the body is
whole and checks the envelope, exactly as a reader given the whole body at once does (that is
the same code: ``finish`` without any ``feed``). Any surprise, early or late, only makes
``finish`` answer ``None``: the caller then decodes the whole body the plain way, which gives
the precise error, so a bad answer half-way fails just as it would have without the overlap.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Callable, Iterator
from typing import Protocol

import msgspec

from viewer.api import pathway_slices
from viewer.api.cancel import CancelToken
from viewer.api.errors import UNDECODABLE
from viewer.api.pathway_types import EMPTY_ARRAY, Log, PathwayLogsEnvelope, decode_envelope

#: Called after each activity's logs are decoded, with (done, total).
SliceCallback = Callable[[int, int], None]
#: Receives each activity's decoded logs as soon as they are decoded, by activity index.
LogsSink = Callable[[int, list[Log]], None]

#: Bytes that must arrive before a ``feed`` looks again: a search per network read (64 KiB)
#: would cost more than it finds.
_FEED_STEP = 1 << 20


class LogsDecoder(Protocol):
    """Decodes one activity's ``logs`` array; ``logs_decoder`` unless a caller knows better."""

    def decode(self, buf: bytes | bytearray | memoryview, /) -> list[Log]: ...


def yield_gil() -> None:
    time.sleep(0)  # let other threads (the GUI) take the GIL


def between_slices(
    cancel: CancelToken | None, on_slice: SliceCallback | None, done: int, total: int
) -> None:
    # The slice's fresh objects are young; one small collection untracks its tuples so no
    # later full collection has to walk them (that would be a long pause in any thread).
    gc.collect(0)
    if on_slice is not None:
        on_slice(done, total)
    yield_gil()
    if cancel is not None:
        cancel.raise_if_cancelled()


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the cyclic collector from scanning and rescanning a growing heap while decoding.

    Decoded logs hold no cycles; without this, full collections over hundreds of thousands
    of fresh objects take most of the decoding time, in long GIL-holding bursts. Nested and
    concurrent uses are counted, so the collector is back on when the last one ends.
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


class SlicedReader:
    """Each activity's logs handed to ``consume`` as soon as the body holds them in full.

    ``feed`` takes the body as it grows (the same object each time, only ever appended to);
    a different object means the request started again (a retry), and the reader starts
    again with it: ``restart``, when given, is called first, so the caller can drop what the
    first attempt's activities built. Arrays decoded before the body is whole are copied out
    of it first (unless the decoder copies what it keeps), because decoded raw values would
    otherwise pin the buffer and stop it growing.
    """

    def __init__(
        self,
        consume: LogsSink,
        decoder: LogsDecoder,
        cancel: CancelToken | None = None,
        restart: Callable[[], None] | None = None,
        *,
        copy: bool = True,
    ) -> None:
        """``copy=False`` for a ``decoder`` whose values never refer to a growing buffer."""
        self._copy = copy
        self._consume = consume
        self._decoder = decoder
        self._cancel = cancel
        self._restart = restart
        self._body: bytes | bytearray | None = None
        self._finder = pathway_slices.StartFinder()
        self._spans: list[tuple[int, int]] = []
        self._looked = 0  # the body's length when ``feed`` last looked
        self._failed = False

    @property
    def decoded(self) -> int:
        """How many activities' logs have been handed on."""
        return len(self._spans)

    def _follow(self, body: bytes | bytearray) -> None:
        if body is self._body:
            return
        if self._body is not None and self._restart is not None:
            self._restart()
        self._body = body
        self._finder = pathway_slices.StartFinder()
        self._spans = []
        self._looked = 0
        # A byte-order mark would shift every offset against the body ``finish`` is given.
        self._failed = body[:3] == b"\xef\xbb\xbf"

    def feed(self, body: bytes | bytearray) -> None:
        """Decode the arrays ``body`` now holds in full (cheap when little has arrived)."""
        self._follow(body)
        if self._failed or len(body) - self._looked < _FEED_STEP:
            return
        self._looked = len(body)
        with collector_paused():
            self._step(body, complete=False, on_slice=None)

    def finish(
        self,
        body: bytes | bytearray,
        on_slice: SliceCallback | None = None,
        *,
        keep_logs: bool = False,
    ) -> PathwayLogsEnvelope | None:
        """The envelope of the whole ``body``, every logs list handed on; ``None`` to fall
        back to the plain path (which hands every list on again, from the first).

        With ``keep_logs`` each activity keeps its ``logs`` as raw JSON, a view of ``body``.
        """
        self._follow(body)  # a body fed with a byte-order mark comes here without it
        try:
            return self._finish(body, on_slice, keep_logs)
        finally:
            self._body = None  # the caller frees the body next: this must not keep it

    def _finish(
        self, body: bytes | bytearray, on_slice: SliceCallback | None, keep_logs: bool
    ) -> PathwayLogsEnvelope | None:
        if self._failed:
            return None
        with collector_paused():
            if not self._step(body, complete=True, on_slice=on_slice):
                return None
            try:
                envelope = decode_envelope(pathway_slices.skeleton(body, self._spans))
            except UNDECODABLE:
                return None
        activities = [a for item in envelope.data or [] for a in item.activities or []]
        # Every array taken out must be an activity's logs, in order: a "logs" key anywhere
        # else (or an activity without one) would hand one activity's logs to another.
        marker = pathway_slices.MARKER
        spans = self._spans
        if len(activities) != len(spans) or any(bytes(a.logs) != marker for a in activities):
            return None
        if keep_logs:
            view = memoryview(body)
            for activity, (start, end) in zip(activities, spans, strict=True):
                activity.logs = msgspec.Raw(view[start:end])
        else:
            for activity in activities:
                activity.logs = EMPTY_ARRAY
        return envelope

    def _step(
        self, body: bytes | bytearray, *, complete: bool, on_slice: SliceCallback | None
    ) -> bool:
        """Decode every array now complete; False (and no more tries) on any surprise."""
        try:
            if not self._finder.scan(body, complete=complete, pause=yield_gil):
                self._failed = True
                return False
            starts = self._finder.starts
            if complete and not starts:
                self._failed = True
                return False
            ready = len(starts) if complete else len(starts) - 1
            while len(self._spans) < ready:
                index = len(self._spans)
                start = starts[index]
                limit = starts[index + 1] if index + 1 < len(starts) else len(body)
                found = self._decode(body, start, limit, copy=self._copy and not complete)
                if found is None:
                    self._failed = True
                    return False
                end, logs = found
                self._spans.append((start, end))
                self._consume(index, logs)
                del logs, found
                between_slices(self._cancel, on_slice, index + 1, len(starts))
        except UNDECODABLE:
            self._failed = True
            return False
        return True

    def _decode(
        self, body: bytes | bytearray, start: int, limit: int, *, copy: bool
    ) -> tuple[int, list[Log]] | None:
        if not copy:
            return pathway_slices.decode_array(body, start, limit, self._decoder)
        with memoryview(body) as view:
            piece = bytes(view[start:limit])
        found = pathway_slices.decode_array(piece, 0, len(piece), self._decoder)
        return None if found is None else (start + found[0], found[1])
