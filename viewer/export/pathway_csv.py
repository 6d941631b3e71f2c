"""The rows of a pathway export: one row per log, from the API stream or from the tab's data.

The fixed columns come first, then one column per key of the type-specific fulfilment
payloads (``fulfilment.data.current``, ``fulfilment.checkin.distance``, …), flattened through
nested objects and sorted. Every column must be known before the header is written, so an
export reads the answer twice: once for the fulfilment keys (and to check the answer; only
each log's fulfilment is decoded), then once more, one activity at a time, for the rows.
Either pass decodes a few megabytes of logs at a time, however big the activity.

Cells are made a column at a time, 10,000 logs at a time (``log_rows.Batch``). From a batch
come either rows of ready cells (``rows()``, for any writer) or the same rows as CSV text
(``csv_blocks()``), which is how large exports are written quickly; the command line makes
shares of them in several processes at once (``csv_shares``, ``csv_parts``).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter
from typing import Any, cast

import msgspec

from viewer.api.http import without_bom
from viewer.api.pathway import (
    LogsDecoder,
    PathwayClient,
    PathwayHead,
    PathwayQuery,
    checked_batches,
    read_pathway_logs,
)
from viewer.api.pathway_slices import array_pieces
from viewer.api.pathway_types import EMPTY_ARRAY, Log, RawActivity
from viewer.export.cells import (
    GROUP_SEPARATOR,
    flag_column,
    groups_cell,
    mapped_column,
    number,
    text_cell,
    text_column,
)
from viewer.export.csv_parts import Share
from viewer.export.csv_text import TextBlock, write_csv_text
from viewer.export.fulfilment_columns import (
    FULFILMENT_PREFIX,
    column_names,
    flatten_fulfilment,
    table,
)
from viewer.export.log_rows import (
    BASE_COLUMNS,
    BATCH,
    KEPT_PEOPLE,
    Batch,
    Layout,
    People,
    activity_prefix,
    person_cells,
    ranges,
)
from viewer.jobs import CancelToken
from viewer.pathway.counting import StateCounter
from viewer.pathway.data import ActivityData, PathwayData, Payloads

__all__ = [
    "BASE_COLUMNS",
    "FULFILMENT_PREFIX",
    "GROUP_SEPARATOR",
    "DataExport",
    "PathwayExport",
    "export_pathway",
    "flatten_fulfilment",
    "groups_cell",
    "text_cell",
]

_person_of = attrgetter("firstname", "lastname", "email", "telephone", "country", "city", "groups")
_complete = attrgetter("status.complete")
_state = attrgetter("status.state")
_progress = attrgetter("status.progress")
_timestamp = attrgetter("status.timestamp")
_fulfilment = attrgetter("fulfilment")


# -- from the API -----------------------------------------------------------------------


def log_batch(prefix: list[Any], logs: list[Log], people: People) -> Batch:
    return Batch(
        prefix=prefix,
        people=people.numbers(list(map(_person_of, logs)), person_cells),
        complete=flag_column(map(_complete, logs)),
        state=mapped_column(list(map(_state, logs)), text_cell),
        progress=mapped_column(list(map(_progress, logs)), number),
        timestamp=text_column(list(map(_timestamp, logs))),
        fulfilment=table(_raw_list(logs)),
    )


def _raw_list(logs: Sequence[Log]) -> list[bytes | None]:
    return list(map(bytes, map(_fulfilment, logs)))


class _FulfilmentOnly(msgspec.Struct, gc=False, frozen=True):
    """What the first pass needs of a log: its fulfilment, everything else skipped."""

    fulfilment: msgspec.Raw = EMPTY_ARRAY


class _FulfilmentsDecoder:
    """Decodes logs for their fulfilment alone: a third of the time of whole ``Log`` structs.

    The other fields are still read as JSON, so a broken answer fails here; a field of the
    wrong type is found by the second pass (``checked_batches``), before the file is in place.
    """

    _decoder = msgspec.json.Decoder(list[_FulfilmentOnly])

    def decode(self, buf: bytes | bytearray | memoryview, /) -> list[Log]:
        return cast(list[Log], self._decoder.decode(buf))  # only ``fulfilment`` is read


#: Bytes of one activity's logs the first pass decodes at once.
_FIRST_PASS_PIECE = 4 << 20


class FulfilmentColumns:
    """The union of fulfilment columns, gathered before any row is written (and the states
    counted, with a ``counter``).

    Both the decoder and the sink of ``read_pathway_logs``: an activity's logs are decoded
    a few megabytes at a time, and each part is taken in before the next is decoded, so a
    big activity's logs never all exist at once (a million of them took 400 MB).
    """

    def __init__(self, counter: StateCounter | None = None) -> None:
        self.names: set[str] = set()
        self.counts: dict[int, int] = {}  # logs per activity
        self._counter = counter
        self._decoder: LogsDecoder = _FulfilmentsDecoder() if counter is None else counter.decoder
        #: What ``decode`` last returned in place of the logs, and what it found in them.
        self._found: tuple[list[Log], int, set[str], list[tuple[list[int], bytes]]] | None
        self._found = None

    def decode(self, buf: bytes | bytearray | memoryview, /) -> list[Log]:
        self._found = None
        names: set[str] = set()
        counted: list[tuple[list[int], bytes]] = []
        count = 0
        try:
            for piece in array_pieces(buf, _FIRST_PASS_PIECE):
                count += self._take_in(self._decoder.decode(piece), names, counted)
        except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError):
            # A piece cut in the wrong place, or the wrong array: as decoded in one go.
            names, counted = set(), []
            count = self._take_in(self._decoder.decode(buf), names, counted)
        taken: list[Log] = []  # stands for the logs, which are let go of already
        self._found = (taken, count, names, counted)
        return taken

    def add_logs(self, index: int, logs: list[Log]) -> None:
        """The sink: ``logs`` are what ``decode`` returned, or decoded elsewhere."""
        found, self._found = self._found, None
        if found is None or found[0] is not logs:
            names: set[str] = set()
            counted: list[tuple[list[int], bytes]] = []
            found = (logs, self._take_in(logs, names, counted), names, counted)
        _, self.counts[index], names, counted = found
        self.names |= names
        if self._counter is not None:
            self._counter.add_counted(index, counted)

    def _take_in(
        self, logs: list[Log], names: set[str], counted: list[tuple[list[int], bytes]]
    ) -> int:
        for part in ranges(len(logs)):
            names.update(column_names(_raw_list(logs[part])))
        if self._counter is not None:
            counted.append(self._counter.count(logs))
        return len(logs)

    def sorted(self) -> list[str]:
        return sorted(self.names)


class PathwayExport:
    """A fetched answer ready to be written: its header is known, its rows are made lazily."""

    def __init__(
        self,
        body: bytes | bytearray,
        head: PathwayHead,
        columns: list[str],
        largest_activity: int = 0,
    ) -> None:
        self._body = body
        self.head = head
        #: Logs in the answer, as the first pass counted them.
        self.logs_read = 0
        self._layout = Layout(columns)
        # People come back in the next activity; with a single one, no one comes back.
        several = len(head.activities) > 1
        self._keep = max(KEPT_PEOPLE, largest_activity + BATCH) if several else 0

    @classmethod
    def read(
        cls,
        body: bytes | bytearray,
        *,
        query: PathwayQuery | None = None,
        cancel: CancelToken | None = None,
        counter: StateCounter | None = None,
        starts: list[int] | None = None,
    ) -> PathwayExport:
        """Check the answer and gather its fulfilment columns (the first of two passes).

        ``counter``, when given, is handed every activity's logs too (as its decoder reads
        them), for a summary of the same answer. ``starts``: where each logs array opens,
        when the caller has looked already (see ``read_pathway_logs``).
        """
        body = without_bom(body)  # the second pass decodes the body again
        columns = FulfilmentColumns(counter)
        head = read_pathway_logs(
            body,
            columns.add_logs,
            query=query,
            cancel=cancel,
            decoder=columns,
            keep_logs=True,
            starts=starts,
        )
        export = cls(body, head, columns.sorted(), max(columns.counts.values(), default=0))
        export.logs_read = sum(columns.counts.values())
        return export

    @property
    def header(self) -> list[str]:
        return self._layout.header

    @property
    def columns(self) -> list[str]:
        """The fulfilment columns, in the header's order."""
        return self._layout.columns

    @property
    def people_kept(self) -> int:
        """How many people's cells are kept between batches (see ``People``)."""
        return self._keep

    @property
    def log_count(self) -> int:
        return sum(activity.stats.total or 0 for activity in self.head.activities)

    def rows(self) -> Iterator[list[Any]]:
        """Every log's row, decoding one activity's logs at a time (the second pass)."""
        for batch, people in self._batches():
            yield from self._layout.rows(batch, people)

    def csv_blocks(self) -> Iterator[TextBlock]:
        """The same rows as CSV text, a batch at a time."""
        for batch, people in self._batches():
            yield self._layout.text(batch, people)

    def csv_shares(self, count: int) -> list[Share]:
        """The same blocks in up to ``count`` shares of whole activities, in file order and
        of about the same size, each made on its own when called (see ``csv_parts``)."""
        raw = self._raw_activities()  # once, here, for every process that makes a share
        ends = [0, *itertools.accumulate(len(activity.logs) for activity in raw)]
        cuts = [0]
        for share in range(1, count):
            target = ends[-1] * share / count
            cut = bisect.bisect_left(ends, target)  # the first activity ending past it...
            if cut and target - ends[cut - 1] < ends[cut] - target:
                cut -= 1  # ...or the one before, whichever ends nearer
            if cuts[-1] < cut < len(raw):
                cuts.append(cut)
        cuts.append(len(raw))
        return [self._share(raw[start:end]) for start, end in itertools.pairwise(cuts)]

    def share_of(self, start: int, end: int) -> Share:
        """The blocks of the activities from ``start`` up to ``end``, as a share."""
        return self._share(self._raw_activities()[start:end])

    def _share(self, raw: list[RawActivity]) -> Share:
        layout = self._layout

        def blocks() -> Iterator[TextBlock]:
            for batch, people in self._batches(raw):
                yield layout.text(batch, people)

        return blocks

    def _raw_activities(self) -> list[RawActivity]:
        # The answer was checked by ``read``, which kept each activity's logs as raw JSON
        # (views of the body this export keeps anyway).
        return list(self.head.activities)

    def _batches(
        self, raw_activities: list[RawActivity] | None = None
    ) -> Iterator[tuple[Batch, People]]:
        if raw_activities is None:
            raw_activities = self._raw_activities()
        pathway, people = self.head.pathway, People(self._keep)
        for raw in raw_activities:
            prefix = activity_prefix(pathway, raw)
            for logs in checked_batches(raw, self._body, BATCH):
                yield log_batch(prefix, logs, people), people
                people.trim()


def export_pathway(
    client: PathwayClient,
    query: PathwayQuery,
    destination: str,
    *,
    cancel: CancelToken | None = None,
    progress: Callable[[int], None] | None = None,
    download_progress: Callable[[int, int | None], None] | None = None,
    stdout: Any = None,
    answered: Callable[[PathwayHead], None] | None = None,
) -> int:
    """Fetch one pathway and write its CSV; returns the number of rows. ``answered`` is
    given the answer's pathway and activities (without their logs) before rows are written."""
    body = client.fetch_body(query, cancel=cancel, progress=download_progress)
    export = PathwayExport.read(body, query=query, cancel=cancel)
    del body
    if answered is not None:
        answered(export.head)
    return write_csv_text(
        destination,
        export.header,
        export.csv_blocks(),
        cancel=cancel,
        progress=progress,
        stdout=stdout,
    )


# -- from the pathway tab's data ----------------------------------------------------------

#: Which logs to export: (activity, its log rows, or ``None`` for all of them).
Selection = Sequence[tuple["ActivityData", Sequence[int] | None]]


def everything(data: PathwayData) -> Selection:
    return [(activity, None) for activity in data.activities]


def _picked(column: Sequence[Any], rows: Sequence[int]) -> list[Any]:
    if isinstance(column, Payloads):
        return column.pick(rows)
    return list(map(column.__getitem__, rows))


class DataExport:
    """The rows of the pathway tab's data: everything fetched, or the logs on screen."""

    def __init__(self, data: PathwayData, selection: Selection | None = None) -> None:
        self.data = data
        self.selection = everything(data) if selection is None else selection
        names: set[str] = set()
        for activity, rows in self.selection:
            for part in self._parts(activity, rows):
                names.update(column_names(_picked(activity.fulfilment, part)))
        self._layout = Layout(sorted(names))

    @staticmethod
    def _parts(activity: ActivityData, rows: Sequence[int] | None) -> Iterator[Sequence[int]]:
        chosen = range(len(activity)) if rows is None else rows
        for part in ranges(len(chosen)):
            yield chosen[part]

    @property
    def header(self) -> list[str]:
        return self._layout.header

    @property
    def log_count(self) -> int:
        return sum(len(a) if rows is None else len(rows) for a, rows in self.selection)

    def rows(self) -> Iterator[list[Any]]:
        for batch, people in self._batches():
            yield from self._layout.rows(batch, people)

    def csv_blocks(self) -> Iterator[TextBlock]:
        for batch, people in self._batches():
            yield self._layout.text(batch, people)

    def _batches(self) -> Iterator[tuple[Batch, People]]:
        users = self.data.users
        people = People()  # a user's number there is their number in the data

        def user_cells(uid: int) -> list[str]:
            user = users[uid]
            return person_cells(
                (
                    user.firstname,
                    user.lastname,
                    user.email,
                    user.telephone,
                    user.country,
                    user.city,
                    user.groups,
                )
            )

        for activity, rows in self.selection:
            prefix = activity_prefix(self.data.pathway, activity)
            for part in self._parts(activity, rows):
                batch = Batch(
                    prefix=prefix,
                    people=people.numbers(_picked(activity.users, part), user_cells),
                    complete=flag_column(_picked(activity.complete, part)),
                    state=mapped_column(_picked(activity.state_text, part), text_cell),
                    progress=mapped_column(_picked(activity.progress, part), number),
                    timestamp=text_column(_picked(activity.timestamps, part)),
                    fulfilment=table(_picked(activity.fulfilment, part)),
                )
                yield batch, people
