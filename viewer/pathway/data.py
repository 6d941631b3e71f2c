"""A pathway-logs answer prepared for the views: compact columns, users kept once (Qt-free).

Each activity's logs are folded into columns; people appear in every activity, so they are
kept once, in one user table keyed by e-mail, and a log refers to its user by number.
Everything the models need later (search text, per-user states, required-activity shares,
filter choices) is worked out by ``viewer.pathway.fetch`` in a worker thread, so the GUI
thread only swaps a prepared ``PathwayData`` in.
"""

from __future__ import annotations

import heapq
import math
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from operator import attrgetter
from typing import Any, TypeVar, overload

import msgspec
import zstandard

from viewer.api.pathway import PathwayQuery
from viewer.api.pathway_types import Fulfilment, Pathway, RawActivity

NOT_STARTED, IN_PROGRESS, COMPLETED, OTHER = 0, 1, 2, 3
#: In a per-user state table: the user has no log for that activity.
NO_LOG = 255
STATE_LABELS = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    COMPLETED: "Completed",
    OTHER: "Other",
}
_STATE_CODES = {
    "not started": NOT_STARTED,
    "not_started": NOT_STARTED,
    "notstarted": NOT_STARTED,
    "in progress": IN_PROGRESS,
    "in_progress": IN_PROGRESS,
    "inprogress": IN_PROGRESS,
    "started": IN_PROGRESS,
    "completed": COMPLETED,
    "complete": COMPLETED,
}
NAN = math.nan


class User(msgspec.Struct, gc=False, frozen=True):
    """One person, as first seen in the answer."""

    email: str | None
    firstname: str | None
    lastname: str | None
    telephone: str | None
    country: str | None
    city: str | None
    groups: tuple[str, ...]
    name: str  # full name, or the e-mail when there is no name


#: A log's fulfilment as the answer sends it when there is none.
_EMPTY = b"[]"
#: Payloads a block holds: 2**13, about 1.5 MB of fulfilments.
_BLOCK_SHIFT = 13
_BLOCK = 1 << _BLOCK_SHIFT
#: zstd's fastest level but one. Fulfilments are JSON of a few shapes: at 400,000 logs their
#: 33 MB keep as 3.3 MB, compressed in 0.05 s; a block opens in half a millisecond.
_LEVEL = 1
#: Blocks kept open at once, for whichever threads read them: the rows a view paints, and
#: the runs an export or a sort reads, come from one block at a time.
_OPEN_BLOCKS = 4
#: The last blocks opened, oldest first, each with what it holds. Replaced whole, never
#: changed in place, so that threads reading it at once need no lock.
_opened: tuple[tuple[bytes, bytes], ...] = ()


def _open(block: bytes) -> bytes:
    """What a compressed block holds (from ``_opened`` when it was opened just before)."""
    global _opened
    recent = _opened
    for kept, text in recent:
        if kept is block:
            return text
    text = zstandard.ZstdDecompressor().decompress(block)  # the GIL is let go meanwhile
    _opened = (*recent[1 - _OPEN_BLOCKS :], (block, text))
    return text


class Payloads(Sequence[bytes | None]):
    """An activity's raw fulfilments, one per log (``None`` for an empty ``[]``).

    Kept as a few blocks of 8,192 payloads each, compressed, and where each payload ends in
    its block: a tenth of the memory of the payloads as they came, where one ``bytes`` object
    a log would cost some 40 bytes more each. A row read opens its block (the last few
    opened stay open), so whoever reads many takes them with ``pick``.

    Not one block for all: joining a 100,000-log activity's payloads (about 20 MB) is one C
    call that also takes all that fresh memory from the system, with the GIL held: up to
    185 ms at 2,000,000 logs, a pause in the window. Block by block, other threads get the
    GIL in between, and compression (which lets the GIL go) hands each block's memory back
    before the next.
    """

    __slots__ = ("_blocks", "_ends")

    def __init__(self, raws: Iterable[bytes | bytearray | memoryview | msgspec.Raw] = ()) -> None:
        pieces = list(raws)
        self._blocks: list[bytes] = []  # each compressed on its own
        self._ends = array("q")  # where each payload ends, counted from its block's start
        if not pieces:
            return
        compressor = zstandard.ZstdCompressor(level=_LEVEL)
        for start in range(0, len(pieces), _BLOCK):
            if start:
                time.sleep(0)  # let other threads (the window) take the GIL
            block = pieces[start : start + _BLOCK]
            self._blocks.append(compressor.compress(b"".join(block)))
            self._ends += array("q", accumulate(map(len, block)))

    @classmethod
    def from_parts(cls, ends: array[int], blocks: list[bytes]) -> Payloads:
        """Payloads from what ``parts`` gave (another process's, say)."""
        if len(blocks) != -(-len(ends) // _BLOCK) or any(type(b) is not bytes for b in blocks):
            raise ValueError("these blocks do not hold these payloads")
        payloads = cls()
        payloads._ends, payloads._blocks = ends, blocks
        return payloads

    def parts(self) -> tuple[array[int], list[bytes]]:
        """Where each payload ends in its block, and the compressed blocks: ``from_parts``
        takes them."""
        return self._ends, self._blocks

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, row: int) -> bytes | None: ...

    @overload
    def __getitem__(self, row: slice) -> list[bytes | None]: ...

    def __getitem__(self, row: int | slice) -> bytes | list[bytes | None] | None:
        if isinstance(row, slice):
            return self.pick(range(*row.indices(len(self))))
        ends = self._ends
        end = ends[row]  # raises IndexError, and makes a negative row count from the end
        row %= len(ends)
        block = _open(self._blocks[row >> _BLOCK_SHIFT])
        raw = block[ends[row - 1] if row % _BLOCK else 0 : end]
        return None if raw == _EMPTY else raw

    def _starts(self, first: int, upto: int) -> array[int]:
        """Where payloads ``first`` to ``upto`` (of one block) start in their block."""
        ends = self._ends
        if first % _BLOCK:
            return ends[first - 1 : upto - 1]
        starts = array("q", [0])
        starts += ends[first : upto - 1]
        return starts

    def pick(self, rows: Sequence[int]) -> list[bytes | None]:
        """The payloads of ``rows``, in their order: ``[self[row] for row in rows]``, at
        a fraction of its cost."""
        blocks, ends = self._blocks, self._ends
        picked: list[bytes | None] = []
        run = rows if isinstance(rows, range) and rows.step == 1 else None
        if run is not None and run.start >= 0 and run.stop <= len(ends):
            first, stop = run.start, run.stop
            while first < stop:  # the rows' run in each block they cross
                upto = min(stop, (first | (_BLOCK - 1)) + 1)
                block, starts = _open(blocks[first >> _BLOCK_SHIFT]), self._starts(first, upto)
                picked += [
                    block[start:end] for start, end in zip(starts, ends[first:upto], strict=True)
                ]
                first = upto
        else:
            count = len(ends)
            if rows and min(rows) < 0:
                rows = [row % count if -count <= row else row for row in rows]
            starts = array("q")
            for first in range(0, count, _BLOCK):
                starts += self._starts(first, min(count, first + _BLOCK))
            # Each block the rows are in is opened once, for the time of the pick. A row that
            # is not there fails on ``opened`` or ``starts``, with IndexError as indexing does.
            wanted = {row >> _BLOCK_SHIFT for row in rows}
            opened = [_open(block) if n in wanted else b"" for n, block in enumerate(blocks)]
            picked = [opened[row >> _BLOCK_SHIFT][starts[row] : ends[row]] for row in rows]
        empty = [row for row, raw in enumerate(picked) if raw == _EMPTY]
        for row in empty:
            picked[row] = None
        return picked

    def __iter__(self) -> Iterator[bytes | None]:
        for number, first in enumerate(range(0, len(self._ends), _BLOCK)):
            block = _open(self._blocks[number])
            start = 0
            for end in self._ends[first : first + _BLOCK]:
                raw = block[start:end]
                start = end
                yield None if raw == _EMPTY else raw

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Payloads):
            return self._ends == other._ends and all(
                a == b or _open(a) == _open(b)
                for a, b in zip(self._blocks, other._blocks, strict=True)
            )
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    def __repr__(self) -> str:
        return f"<{len(self)} payloads, {sum(map(len, self._blocks)):,} bytes compressed>"


class ActivityData:
    """One activity's fields and its logs as parallel columns (one entry per log)."""

    __slots__ = (
        "ID",
        "by_user",
        "complete",
        "counts",
        "fulfilment",
        "fulfilment_type",
        "index",
        "level",
        "name",
        "progress",
        "required",
        "state_text",
        "states",
        "stats_completed",
        "stats_total",
        "timestamps",
        "type",
        "user_states",
        "users",
    )

    def __init__(self, index: int) -> None:
        self.index = index
        self.set_header(RawActivity())
        self.users = array("i")
        self.states = b""
        self.state_text: list[str | None] = []
        self.complete: list[bool | None] = []
        self.progress = array("d")
        self.timestamps: list[str | None] = []
        self.fulfilment = Payloads()
        self.counts = [0, 0, 0, 0]
        self.by_user = array("i")  # user -> log row, -1 without a log
        self.user_states = b""  # user -> state code, NO_LOG without a log

    def set_header(self, raw: RawActivity) -> None:
        """The activity's own fields; they arrive after its logs (``read_pathway_logs``)."""
        self.ID = raw.ID
        self.name = raw.name
        self.type = raw.type
        self.fulfilment_type = raw.fulfilmentType
        self.required = raw.required
        self.level = raw.level
        self.stats_total = raw.stats.total
        self.stats_completed = raw.stats.completed

    def __len__(self) -> int:
        return len(self.users)

    @property
    def label(self) -> str:
        return self.name or self.ID or f"Activity {self.index + 1}"

    @property
    def total(self) -> int:
        """Users on the activity: the server's count, or the logs received."""
        return self.stats_total if self.stats_total is not None else len(self.users)

    @property
    def completed(self) -> int:
        if self.stats_completed is not None:
            return self.stats_completed
        return self.counts[COMPLETED]

    def fulfilment_at(self, row: int) -> Fulfilment | None:
        raw = self.fulfilment[row]
        return None if raw is None else Fulfilment.parse(raw)


@dataclass
class PathwayData:
    """Everything the pathway tab shows of one answer."""

    pathway: Pathway
    activities: list[ActivityData]
    users: list[User]
    #: Per user: lower-cased name, e-mail and groups, for the quick search.
    user_search: list[str]
    #: Per user: lower-cased name, for sorting.
    user_sort_names: list[str]
    #: Per user: share of required activities completed (NaN when none is required).
    required_share: list[float]
    required_count: int
    groups: list[str]
    types: list[str]
    hash: str | None = None
    response_time: float | None = None
    response_size: int = 0
    query: PathwayQuery | None = None
    fetched_at: float = field(default_factory=time.time)
    elapsed: float = 0.0
    #: Per user: the place of their name among the sorted names (``columns.name_ranks``).
    name_ranks: array[int] = field(default_factory=lambda: array("i"))
    #: What each filter list offers: see ``filter_choices``.
    choices: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    #: The users of ``choices`` by value (``choices.users_by_value``): built in the worker,
    #: so the GUI thread need not hash 100,000 e-mails. ``ChoiceMemory.merge`` may take it
    #: over, leaving it empty.
    choice_users: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: The longest e-mails (``longest_emails``): the tree's column is fitted to them. Worked
    #: out in the worker; measuring 100,000 e-mails as the answer is shown took 30 ms.
    long_emails: list[str] | None = None

    @property
    def log_count(self) -> int:
        return sum(len(activity) for activity in self.activities)

    def state_counts(self) -> list[int]:
        totals = [0, 0, 0, 0]
        for activity in self.activities:
            for code, count in enumerate(activity.counts):
                totals[code] += count
        return totals


_T = TypeVar("_T")
#: Items sorted at once by ``sorted_gently``: a few milliseconds with the GIL held.
_SORT_RUN = 8192


#: How many of the longest e-mails the tree measures to fit its column.
LONG_EMAILS = 50
_EMAIL = attrgetter("email")


def longest_emails(users: Sequence[User]) -> list[str]:
    """The ``LONG_EMAILS`` longest e-mails of ``users``, by length in characters."""
    return heapq.nlargest(LONG_EMAILS, filter(None, map(_EMAIL, users)), key=len)


def sorted_gently(items: Sequence[_T], key: Callable[[_T], Any]) -> list[_T]:
    """``sorted(items, key=key)``, letting other threads run every few milliseconds.

    One ``sorted`` of 100,000 names holds the GIL for tens of milliseconds, long enough to
    be seen in the window while a worker prepares an answer. Runs are sorted one at a time
    and merged (``heapq.merge`` keeps equal items in their first order: the sort is stable).
    """
    if len(items) <= _SORT_RUN:
        return sorted(items, key=key)
    runs = []
    for start in range(0, len(items), _SORT_RUN):
        runs.append(sorted(items[start : start + _SORT_RUN], key=key))
        time.sleep(0)
    return list(heapq.merge(*runs, key=key))


def state_code(state: str | None, complete: bool | None, progress: float | None) -> int:
    if state is not None:
        return _STATE_CODES.get(state.strip().lower(), OTHER)
    if complete:
        return COMPLETED
    return IN_PROGRESS if progress else NOT_STARTED
