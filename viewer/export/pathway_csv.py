"""The rows of a pathway export: one row per log, from the API stream or from the tab's data.

The fixed columns come first, then one column per key of the type-specific fulfilment
payloads (``fulfilment.data.current``, ``fulfilment.checkin.distance``, …), flattened through
nested objects and sorted. Every column must be known before the header is written, so an
export reads the answer twice: once for the fulfilment keys (and to check the answer), then
once more, one activity at a time, for the rows. Only one activity's logs exist at a time.

Rows are made of ready cells (see ``csv_file.cell``) so that ``write_csv`` can take them
as they are (``prepared=True``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import msgspec

from viewer.api.http import without_bom
from viewer.api.pathway import PathwayClient, PathwayHead, PathwayQuery, read_pathway_logs
from viewer.api.pathway_types import Fulfilment, Log, Pathway, RawActivity, decode_envelope
from viewer.export.csv_file import (
    EXACT_INTEGERS,
    FORMULA_STARTS,
    SUSPECT_STARTS,
    is_formula,
    neutralize,
    write_csv,
)
from viewer.jobs import CancelToken
from viewer.pathway.data import ActivityData, PathwayData

ACTIVITY_COLUMNS = (
    "pathway_id",
    "pathway_name",
    "activity_id",
    "activity_name",
    "activity_type",
    "fulfilment_type",
    "required",
    "level",
)
LOG_COLUMNS = (
    "firstname",
    "lastname",
    "email",
    "telephone",
    "country",
    "city",
    "groups",
    "complete",
    "state",
    "progress",
    "timestamp",
)
BASE_COLUMNS = ACTIVITY_COLUMNS + LOG_COLUMNS
FULFILMENT_PREFIX = "fulfilment."
GROUP_SEPARATOR = "; "

_COMMON = frozenset(Fulfilment._COMMON)  # shown in the fixed columns, from the log's status
_decode_any = msgspec.json.Decoder().decode
_encode = msgspec.json.encode

#: A fulfilment flattened: column name -> cell.
Flat = dict[str, Any]
#: Logs turned into cells at a time: the cells of a million-log activity at once cost
#: hundreds of bytes per log on top of the decoded logs.
_BATCH = 10_000


# -- cells ------------------------------------------------------------------------------


def text_cell(value: str | None) -> str:
    if not value:
        return ""
    first = value[0]
    if first in SUSPECT_STARTS and (first in FORMULA_STARTS or is_formula(value)):
        return "'" + value
    return value


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _number(value: float | None) -> Any:
    if value is None or value != value:  # None or NaN
        return ""
    if isinstance(value, float) and value.is_integer() and -EXACT_INTEGERS < value < EXACT_INTEGERS:
        return int(value)
    return value


def groups_cell(groups: Iterable[str] | None) -> str:
    return text_cell(GROUP_SEPARATOR.join(groups)) if groups else ""


# -- fulfilment payloads ----------------------------------------------------------------


def _put(flat: Flat, name: str, value: Any) -> None:
    kind = type(value)
    if kind is dict:
        for key, inner in value.items():
            _put(flat, f"{name}.{key}", inner)
    elif kind is str:
        flat[name] = (
            "'" + value if value and value[0] in SUSPECT_STARTS and is_formula(value) else value
        )
    elif value is None:
        flat[name] = ""
    elif value is True or value is False:
        flat[name] = "true" if value else "false"
    elif kind is list:
        flat[name] = _encode(value).decode()
    else:
        flat[name] = _number(value)


def flatten_value(value: Any) -> Flat:
    """A decoded fulfilment as columns; ``{}`` when nothing is recorded (``[]``, ``null``)."""
    flat: Flat = {}
    if not value:
        return flat
    if type(value) is dict:
        for key, inner in value.items():
            if key not in _COMMON:
                _put(flat, FULFILMENT_PREFIX + key, inner)
    else:  # an odd shape, kept as Fulfilment.parse keeps it
        _put(flat, FULFILMENT_PREFIX + "value", value)
    return flat


def flatten_fulfilment(raw: bytes | msgspec.Raw | None) -> Flat:
    """One log's raw fulfilment JSON as columns; undecodable text goes to ``fulfilment.raw``."""
    if raw is None:
        return {}
    try:
        value = _decode_any(raw)
    except msgspec.DecodeError:
        return {FULFILMENT_PREFIX + "raw": neutralize(bytes(raw).decode("utf-8", "replace"))}
    return flatten_value(value)


def flatten_all(raws: Sequence[bytes | msgspec.Raw | None]) -> list[Flat]:
    """Many fulfilments at once: one decode call for the lot, when they are all valid."""
    empty = b"[]"
    present = [raw for raw in raws if raw is not None and raw != empty]
    if not present:
        return [{} for _ in raws]
    try:
        values = iter(_decode_any(b"[" + b",".join(present) + b"]"))
    except msgspec.DecodeError:
        return [flatten_fulfilment(raw) for raw in raws]
    return [{} if raw is None or raw == empty else flatten_value(next(values)) for raw in raws]


def _raw_list(logs: Sequence[Log]) -> list[bytes]:
    return [bytes(log.fulfilment) for log in logs]


class FulfilmentColumns:
    """The union of fulfilment columns, gathered before any row is written."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def add(self, flats: Iterable[Flat]) -> None:
        names = self.names
        for flat in flats:
            if flat:
                names.update(flat)

    def add_logs(self, _index: int, logs: list[Log]) -> None:
        """A ``read_pathway_logs`` sink."""
        for start in range(0, len(logs), _BATCH):
            self.add(flatten_all(_raw_list(logs[start : start + _BATCH])))

    def sorted(self) -> list[str]:
        return sorted(self.names)


# -- rows -------------------------------------------------------------------------------


class _RowMaker:
    """Joins an activity's fixed cells, each log's cells and its fulfilment columns."""

    def __init__(self, fulfilment_columns: Sequence[str]) -> None:
        self.columns = list(fulfilment_columns)
        self.position = {name: i for i, name in enumerate(self.columns)}
        self.empty = [""] * len(self.columns)

    @property
    def header(self) -> list[str]:
        return [*BASE_COLUMNS, *self.columns]

    def rows(
        self, prefix: list[Any], people: Iterable[list[Any]], flats: Iterable[Flat]
    ) -> Iterator[list[Any]]:
        position, empty = self.position, self.empty
        for person, flat in zip(people, flats, strict=True):
            if flat:
                tail = empty[:]
                for name, value in flat.items():
                    tail[position[name]] = value
                yield prefix + person + tail
            else:
                yield prefix + person + empty


def activity_prefix(pathway: Pathway, activity: RawActivity | ActivityData) -> list[Any]:
    """The cells every row of one activity starts with."""
    fulfilment_type = (
        activity.fulfilmentType if isinstance(activity, RawActivity) else activity.fulfilment_type
    )
    return [
        text_cell(pathway.ID),
        text_cell(pathway.name),
        text_cell(activity.ID),
        text_cell(activity.name),
        text_cell(activity.type),
        text_cell(fulfilment_type),
        _flag(activity.required),
        "" if activity.level is None else activity.level,
    ]


def log_cells(logs: Sequence[Log]) -> list[list[Any]]:
    """The per-log fixed cells (person and status) of decoded logs."""
    cells = []
    for log in logs:
        status = log.status
        cells.append(
            [
                text_cell(log.firstname),
                text_cell(log.lastname),
                text_cell(log.email),
                text_cell(log.telephone),
                text_cell(log.country),
                text_cell(log.city),
                groups_cell(log.groups),
                _flag(status.complete),
                text_cell(status.state),
                _number(status.progress),
                text_cell(status.timestamp),
            ]
        )
    return cells


# -- from the API -----------------------------------------------------------------------


class PathwayExport:
    """A fetched answer ready to be written: its header is known, its rows are made lazily."""

    def __init__(self, body: bytes | bytearray, head: PathwayHead, columns: list[str]) -> None:
        self._body = body
        self.head = head
        self._maker = _RowMaker(columns)

    @classmethod
    def read(
        cls,
        body: bytes | bytearray,
        *,
        query: PathwayQuery | None = None,
        cancel: CancelToken | None = None,
    ) -> PathwayExport:
        """Check the answer and gather its fulfilment columns (the first of two passes)."""
        body = without_bom(body)  # the second pass decodes the body again
        columns = FulfilmentColumns()
        head = read_pathway_logs(body, columns.add_logs, query=query, cancel=cancel)
        return cls(body, head, columns.sorted())

    @property
    def header(self) -> list[str]:
        return self._maker.header

    @property
    def log_count(self) -> int:
        return sum(activity.stats.total or 0 for activity in self.head.activities)

    def rows(self) -> Iterator[list[Any]]:
        """Every log's row, decoding one activity's logs at a time (the second pass)."""
        # The answer was checked by ``read``: the envelope decodes, and its activities are
        # the same ones, in the same order, as ``head.activities``.
        envelope = decode_envelope(self._body)
        raw_activities = [a for item in envelope.data or [] for a in item.activities or []]
        pathway = self.head.pathway
        for raw in raw_activities:
            logs = raw.decode().logs
            raw.logs = msgspec.Raw(b"[]")
            prefix = activity_prefix(pathway, raw)
            for start in range(0, len(logs), _BATCH):
                batch = logs[start : start + _BATCH]
                yield from self._maker.rows(prefix, log_cells(batch), flatten_all(_raw_list(batch)))
            del logs


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
    return write_csv(
        destination,
        export.header,
        export.rows(),
        prepared=True,
        cancel=cancel,
        progress=progress,
        stdout=stdout,
    )


# -- from the pathway tab's data ----------------------------------------------------------

#: Which logs to export: (activity, its log rows, or ``None`` for all of them).
Selection = Sequence[tuple["ActivityData", Sequence[int] | None]]


def everything(data: PathwayData) -> Selection:
    return [(activity, None) for activity in data.activities]


def _data_log_cells(
    data: PathwayData, activity: ActivityData, rows: Sequence[int]
) -> list[list[Any]]:
    users, uids = data.users, activity.users
    complete, states, progress, stamps = (
        activity.complete,
        activity.state_text,
        activity.progress,
        activity.timestamps,
    )
    # Users appear in every activity: their cells are made once per user.
    person_cache: dict[int, list[Any]] = {}
    cells = []
    for row in rows:
        uid = uids[row]
        person = person_cache.get(uid)
        if person is None:
            user = users[uid]
            person = person_cache[uid] = [
                text_cell(user.firstname),
                text_cell(user.lastname),
                text_cell(user.email),
                text_cell(user.telephone),
                text_cell(user.country),
                text_cell(user.city),
                groups_cell(user.groups),
            ]
        value = progress[row]
        cells.append(
            [
                *person,
                _flag(complete[row]),
                text_cell(states[row]),
                "" if math.isnan(value) else _number(value),
                text_cell(stamps[row]),
            ]
        )
    return cells


class DataExport:
    """The rows of the pathway tab's data: everything fetched, or the logs on screen."""

    def __init__(self, data: PathwayData, selection: Selection | None = None) -> None:
        self.data = data
        self.selection = everything(data) if selection is None else selection
        columns = FulfilmentColumns()
        for activity, rows in self.selection:
            columns.add(flatten_all(self._raws(activity, rows)))
        self._maker = _RowMaker(columns.sorted())

    @staticmethod
    def _raws(activity: ActivityData, rows: Sequence[int] | None) -> list[bytes | None]:
        if rows is None:
            return activity.fulfilment
        return [activity.fulfilment[row] for row in rows]

    @property
    def header(self) -> list[str]:
        return self._maker.header

    @property
    def log_count(self) -> int:
        return sum(len(a) if rows is None else len(rows) for a, rows in self.selection)

    def rows(self) -> Iterator[list[Any]]:
        for activity, rows in self.selection:
            chosen = range(len(activity)) if rows is None else rows
            yield from self._maker.rows(
                activity_prefix(self.data.pathway, activity),
                _data_log_cells(self.data, activity, chosen),
                flatten_all(self._raws(activity, rows)),
            )
