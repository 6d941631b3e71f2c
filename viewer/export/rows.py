"""An export job without Qt: rows prepared in a worker, then written as one CSV file.

A tab snapshots what may change while the worker runs (which rows are on screen, the
inbox's read marks) and hands a ``Prepare`` function to the export controller; the worker
calls it, then writes what it returns with ``write_csv`` (or, when it can make its rows as
CSV text, with ``write_csv_text``). A cancelled or failed export leaves no file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from viewer.api.activity import ActivityClient
from viewer.api.errors import ApiError
from viewer.export.csv_file import ExportError, write_csv
from viewer.export.csv_text import TextBlocks, write_csv_text
from viewer.export.inbox_csv import INBOX_COLUMNS, inbox_rows
from viewer.jobs import CancelToken, Progress

#: The scopes a tab can offer.
SCREEN, EVERYTHING, MATRIX = "screen", "all", "matrix"

_CHECK_EVERY = 1000


class ExportFailed(ApiError):
    """A file could not be written; the message says why and what to do."""

    title = "Export failed"


class Rows(Protocol):
    """What an export job prepares in the worker: a header and rows of ready cells."""

    @property
    def header(self) -> Sequence[str]: ...

    @property
    def log_count(self) -> int: ...

    def rows(self) -> Iterator[list[Any]]: ...


#: Runs in the worker: prepares the rows (it may fetch or decode; it must not touch widgets).
Prepare = Callable[[CancelToken], Rows]


@dataclass
class ListRows:
    """Rows already made in the GUI thread."""

    header: Sequence[str]
    made: list[list[Any]]

    @property
    def log_count(self) -> int:
        return len(self.made)

    def rows(self) -> Iterator[list[Any]]:
        return iter(self.made)


@dataclass
class WalkRows:
    """Every activity of the server matching the filters, fetched while being written."""

    client: ActivityClient
    types: tuple[str, ...]
    subtype: str | None
    reference_uuid: str | None
    cancel: CancelToken
    total: int = 0
    header: Sequence[str] = INBOX_COLUMNS

    @property
    def log_count(self) -> int:
        return self.total

    def rows(self) -> Iterator[list[Any]]:
        return inbox_rows(
            self.client.walk(
                types=self.types,
                subtype=self.subtype,
                reference_uuid=self.reference_uuid,
                cancel=self.cancel,
            )
        )


def safe_file_name(name: str, suffix: str = ".csv") -> str:
    """A file name made of ``name``'s harmless characters, never empty."""
    kept = "".join(ch if ch.isalnum() or ch in " -_.()" else "_" for ch in name).strip(" .")
    return (kept[:80] or "export") + suffix


def _checked(rows: Iterable[list[Any]], cancel: CancelToken) -> Iterator[list[Any]]:
    """Rows, stopping at Cancel even in exports too small for ``write_csv`` to check."""
    for number, row in enumerate(rows):
        if not number % _CHECK_EVERY:
            cancel.raise_if_cancelled()
        yield row
    cancel.raise_if_cancelled()  # before the file is put in place


def run_export(prepare: Prepare, path: str, cancel: CancelToken, progress: Progress) -> int:
    """The worker's job: prepare the rows, then write them; returns how many were written."""
    try:
        rows = prepare(cancel)
        total = rows.log_count
        progress(0, total)
        if isinstance(rows, TextBlocks):  # the same file, made as text a block at a time
            return write_csv_text(
                path,
                rows.header,
                rows.csv_blocks(),
                cancel=cancel,
                progress=lambda done: progress(done, total),
            )
        return write_csv(
            path,
            rows.header,
            _checked(rows.rows(), cancel),
            prepared=True,
            cancel=cancel,
            progress=lambda done: progress(done, total),
        )
    except ExportError as exc:
        raise ExportFailed(str(exc)) from None
