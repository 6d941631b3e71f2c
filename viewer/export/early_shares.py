"""Shares of a large logs export begun before the answer is read through (command line only).

The export reads the answer twice: a first pass checks it and gathers its fulfilment columns
(and counts states for the history when a copy is kept), then the rows are made, several
shares of activities at once in forked copies (``csv_parts``). The first pass runs in this
process alone, so it would keep the other cores idle: here the copies are forked before it.
Each finds its activities' ``logs`` arrays itself, where the first pass will find them
(``pathway_slices``), decodes them and makes their cells, which need no header. Only to
turn cells into text does a copy need what the first pass learns: the columns, the cells
each activity's rows start with, and where each array was. That comes in a letter, once the
first pass is done; this process, which did the first pass, takes a smaller share itself.

A copy whose arrays are not where the first pass found them, or that fails in any other
way, ends with an error status and its share is made here from the first pass, as if there
had been no copy; a copy's errors therefore read as they always did.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

import msgspec

from viewer.api.http import without_bom
from viewer.api.pathway import last_array_limit
from viewer.api.pathway_slices import array_starts, decode_array
from viewer.api.pathway_types import logs_decoder
from viewer.export.csv_parts import Copy, Letter, Share, start_waiting
from viewer.export.csv_text import TextBlock
from viewer.export.log_rows import Batch, Layout, People, activity_prefix, ranges
from viewer.export.pathway_csv import PathwayExport, log_batch

#: The smallest answer (bytes) worth forking for before the first pass, about 50,000 logs.
EARLY_FROM = 16 << 20
#: The first pass's time against the time of making the rows, per log (measured at 400,000
#: logs on two cores, the first pass taking the arrays found here): this process reads the
#: whole answer first, so its share is smaller.
FIRST_PASS_COST = 0.17
#: The same when the first pass also counts states for the history.
COUNTING_FIRST_PASS_COST = 0.28
#: Logs a copy holds as cells while its letter has not come; past them it waits for it.
_MOST_WAITING = 200_000


class _Letter(msgspec.Struct, array_like=True):
    """What a copy learns from the first pass, for its activities."""

    columns: list[str]
    prefixes: list[list[Any]]
    spans: list[tuple[int, int]]
    keep: int


class ShareMismatch(Exception):
    """A copy found its arrays other than the first pass did: its share is made again."""


def cuts(starts: Sequence[int], size: int, count: int, first_cost: float) -> list[int]:
    """Where ``count`` shares of whole activities begin and end, as activity indices
    (``[0, ..., len(starts)]``), sized by bytes. The first share, made by the process that
    also reads the whole answer first, is the smaller (it may be empty), so that every
    process ends at about the same time."""
    activities = len(starts)
    if count < 2 or activities < 2:
        return [0, activities]
    # The first makes a fraction f of the rows after its first pass, each of the others
    # (1 - f) / (count - 1): ends meet when f + first_cost = (1 - f) / (count - 1).
    others = count - 1
    first = max(0.0, (1 - others * first_cost) / count)
    positions = [*starts, size]  # where the share cut before each activity would be
    found = [0]
    for share in range(others):
        target = starts[0] + (size - starts[0]) * (first + share * (1 - first) / others)
        cut = bisect.bisect_left(positions, target)
        if cut and (cut == len(positions) or target - positions[cut - 1] < positions[cut] - target):
            cut -= 1
        if share == 0:
            found.append(min(cut, activities - 1))  # the copies get one activity at least
        elif found[-1] < cut < activities:
            found.append(cut)
    found.append(activities)
    return found


class EarlyShares:
    """Copies forked before the first pass, each making the rows of a run of activities."""

    def __init__(self, body: bytes | bytearray, starts: list[int], bounds: list[int]) -> None:
        self.body = body
        #: Where each activity's logs array opens in ``body``, for the first pass.
        self.starts = starts
        self._bounds = bounds
        self._copies: list[Copy] = []

    @classmethod
    def begin(
        cls, body: bytes | bytearray, processes: int, *, counting: bool = False
    ) -> EarlyShares | None:
        """Fork the copies for an answer just received, or ``None`` when it is too small or
        of an unusual shape (the rows are then made after the first pass, as usual). Call
        before this process starts any thread."""
        body = without_bom(body)
        if processes < 2 or len(body) < EARLY_FROM:
            return None
        starts = array_starts(body)  # once: the first pass takes them (``starts``)
        if starts is None:
            return None
        cost = COUNTING_FIRST_PASS_COST if counting else FIRST_PASS_COST
        bounds = cuts(starts, len(body), processes, cost)
        if len(bounds) < 3:
            return None
        early = cls(body, starts, bounds)
        ends = [*starts[1:], last_array_limit(body, starts)]
        try:
            for start, end in itertools.pairwise(bounds[1:]):
                places = list(zip(starts[start:end], ends[start:end], strict=True))
                early._copies.append(start_waiting(partial(_waiting_blocks, body, places)))
        except OSError:  # no more processes: the usual way
            early.close()
            return None
        return early

    def shares(self, export: PathwayExport) -> list[Share | Copy] | None:
        """The shares of ``export``, read by the first pass from ``self.body``: this
        process's own first, then the copies, each sent its letter. ``None`` (the copies
        stopped) when the first pass found the activities elsewhere."""
        head, bounds = export.head, self._bounds
        spans = head.spans
        if spans is None or [start for start, _ in spans] != self.starts:
            self.close()
            return None
        for copy, (start, end) in zip(self._copies, itertools.pairwise(bounds[1:]), strict=True):
            copy.share = export.share_of(start, end)
            letter = _Letter(
                columns=export.columns,
                prefixes=[activity_prefix(head.pathway, a) for a in head.activities[start:end]],
                spans=spans[start:end],
                keep=export.people_kept,
            )
            copy.send(msgspec.msgpack.encode(letter))
        return [export.share_of(0, bounds[1]), *self._copies]

    def close(self) -> None:
        """Stop every copy not handed on (all of them, after a failed first pass)."""
        for copy in self._copies:
            copy.stop()
        self._copies = []


def _waiting_blocks(
    body: bytes | bytearray, places: list[tuple[int, int]], letter: Letter
) -> Iterator[TextBlock]:
    """In a copy: the rows of the activities whose logs arrays begin and end before each of
    ``places``, their cells made at once and their text once the letter has come."""
    people = People()  # nobody is forgotten while cells wait: they refer to people by number
    waiting: list[tuple[int, Batch]] = []
    held = 0
    told: _Letter | None = None
    layout: Layout | None = None
    spans: list[tuple[int, int]] = []
    for number, (start, limit) in enumerate(places):
        found = decode_array(body, start, limit, logs_decoder)
        if found is None:
            raise ShareMismatch  # made again from the first pass, which says what is wrong
        end, logs = found
        spans.append((start, end))
        for part in ranges(len(logs)):
            waiting.append((number, log_batch([], logs[part], people)))
            held += len(waiting[-1][1].people)
            if told is None:
                text = letter.read(wait=held >= _MOST_WAITING)
                if text is None:
                    continue
                told = _opened(text, len(places))
                layout = Layout(told.columns)
                people.keep = told.keep
            assert layout is not None
            yield from _texts(waiting, told, spans, layout, people)
            held = 0
        del logs
    if told is None:
        told = _opened(letter.read(wait=True) or b"", len(places))
        layout = Layout(told.columns)
    assert layout is not None
    yield from _texts(waiting, told, spans, layout, people)


def _opened(text: bytes, activities: int) -> _Letter:
    try:
        told = msgspec.msgpack.decode(text, type=_Letter)
    except msgspec.DecodeError:
        raise ShareMismatch from None  # no letter: this process is stopped, or stopping
    if len(told.prefixes) != activities or len(told.spans) != activities:
        raise ShareMismatch
    return told


def _texts(
    waiting: list[tuple[int, Batch]],
    told: _Letter,
    spans: list[tuple[int, int]],
    layout: Layout,
    people: People,
) -> Iterator[TextBlock]:
    """The waiting batches as text, in order; they are let go of as they are written."""
    for number, span in enumerate(spans):
        if tuple(told.spans[number]) != span:
            raise ShareMismatch
    for number, batch in waiting:
        batch.prefix = told.prefixes[number]
        yield layout.text(batch, people)
    waiting.clear()
    people.trim()
