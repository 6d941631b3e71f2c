"""Rows of logs as columns of ready cells, shared by the pathway exports (Qt-free).

A ``Batch`` holds up to ``BATCH`` logs of one activity as columns: the activity's fixed
cells once, each person's cells once however many activities they appear in (``People``),
each status and fulfilment field as one column. ``Layout`` places a batch's cells in the
export's columns, as rows of cells or as CSV text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from viewer.api.pathway_types import Pathway, RawActivity
from viewer.export.cells import (
    constant,
    csv_line,
    csv_texts,
    flag,
    groups_cell,
    lines,
    text_cell,
)
from viewer.export.csv_text import TextBlock
from viewer.export.fulfilment_columns import Table
from viewer.pathway.data import ActivityData

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
#: Logs turned into cells at a time: the cells of a million-log activity at once cost
#: hundreds of bytes per log on top of the decoded logs.
BATCH = 10_000
#: People kept between batches, at least: a person's cells are only made again when a
#: pathway has more people than it has logs in an activity, or this many.
KEPT_PEOPLE = 50_000


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
        flag(activity.required),
        "" if activity.level is None else activity.level,
    ]


def person_cells(person: Sequence[Any]) -> list[str]:
    *texts, groups = person
    return [*map(text_cell, texts), groups_cell(groups)]


class People:
    """Each person's seven cells and their CSV text, made once; rows refer to them by number."""

    def __init__(self, keep: int | None = None) -> None:
        #: How many people are kept between batches (``None``: all).
        self.keep = keep
        self.cells: list[list[str]] = []
        self.texts: list[str] = []
        self._numbers: dict[Any, int] = {}

    def add(self, cells: list[str]) -> int:
        self.cells.append(cells)
        self.texts.append(csv_line(cells))
        return len(self.cells) - 1

    def numbers(self, keys: list[Any], make: Callable[[Any], list[str]]) -> list[int]:
        """The number of each key's person, making the cells of those not seen yet."""
        known = self._numbers
        try:
            return list(map(known.__getitem__, keys))
        except KeyError:
            for key in keys:
                if key not in known:
                    known[key] = self.add(make(key))
            return list(map(known.__getitem__, keys))

    def trim(self) -> None:
        """Between batches: forget everyone once too many are kept."""
        if self.keep is not None and len(self.cells) > self.keep:
            self.cells, self.texts, self._numbers = [], [], {}


@dataclass
class Batch:
    """Up to ``BATCH`` logs of one activity, as columns of ready cells."""

    prefix: list[Any]
    people: list[int]  # the number of each log's person in ``People``
    complete: list[str]
    state: list[str]
    progress: list[Any]
    timestamp: list[str]
    fulfilment: Table


class Layout:
    """Where a batch's cells go in a row, once every fulfilment column is known."""

    def __init__(self, fulfilment_columns: Sequence[str]) -> None:
        self.columns = list(fulfilment_columns)
        self.position = {name: i for i, name in enumerate(self.columns)}

    @property
    def header(self) -> list[str]:
        return [*BASE_COLUMNS, *self.columns]

    def rows(self, batch: Batch, people: People) -> Iterator[list[Any]]:
        positions = [self.position[name] for name in batch.fulfilment.names]
        empty = [""] * len(self.columns)
        prefix, cells = batch.prefix, people.cells
        for number_, complete, state, progress, stamp, *values in zip(
            batch.people,
            batch.complete,
            batch.state,
            batch.progress,
            batch.timestamp,
            *batch.fulfilment.columns,
            strict=True,
        ):
            tail = empty[:]
            for position, value in zip(positions, values, strict=True):
                tail[position] = value
            yield [*prefix, *cells[number_], complete, state, progress, stamp, *tail]

    def text(self, batch: Batch, people: People) -> TextBlock:
        count = len(batch.people)
        pieces: list[Iterable[str]] = [
            constant(csv_line(batch.prefix)),
            map(people.texts.__getitem__, batch.people),
            batch.complete,
            csv_texts(batch.state),
            csv_texts(batch.progress),
            csv_texts(batch.timestamp),
        ]
        last = -1
        for name, column in zip(batch.fulfilment.names, batch.fulfilment.columns, strict=True):
            position = self.position[name]
            if position - last > 1:  # empty cells between: "," * (n - 1) joins as n of them
                pieces.append(constant("," * (position - last - 2)))
            pieces.append(csv_texts(column))
            last = position
        if len(self.columns) - last > 1:
            pieces.append(constant("," * (len(self.columns) - last - 2)))
        return count, lines(count, pieces)


def ranges(count: int) -> Iterator[slice]:
    for start in range(0, count, BATCH):
        yield slice(start, start + BATCH)
