"""An export job without Qt: rows prepared in a worker, then written as one CSV or Excel file.

A tab snapshots what may change while the worker runs (which rows are on screen, the
inbox's read marks) and hands a ``Prepare`` function to the export controller; the worker
calls it, then writes what it returns with ``write_csv`` (or ``write_csv_text``, when it
can make its rows as CSV text a block at a time), or with ``write_xlsx`` when the file name
ends in ``.xlsx`` (each column's kind from ``kinds.kinds_of``). A cancelled or failed
export leaves no file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TextIO, runtime_checkable

from viewer.api.activity import ActivityClient
from viewer.api.errors import ApiError
from viewer.export import csv_parts
from viewer.export.csv_file import ExportError, write_csv
from viewer.export.csv_parts import Share, write_csv_parts
from viewer.export.csv_text import TextBlocks, write_csv_text
from viewer.export.inbox_csv import INBOX_COLUMNS, SubtypeIndex, inbox_rows, server_subtypes
from viewer.export.kinds import kinds_of
from viewer.export.xlsx_file import SUFFIX as XLSX_SUFFIX
from viewer.export.xlsx_file import write_xlsx
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
    """Every activity of the server matching the filters, fetched while being written.

    ``subtypes`` names the subtypes; without it the server's list of types is asked for.
    """

    client: ActivityClient
    types: tuple[str, ...]
    subtype: str | None
    reference_uuid: str | None
    cancel: CancelToken
    total: int = 0
    header: Sequence[str] = INBOX_COLUMNS
    subtypes: SubtypeIndex | None = None

    @property
    def log_count(self) -> int:
        return self.total

    def rows(self) -> Iterator[list[Any]]:
        subtypes = self.subtypes
        if subtypes is None:
            subtypes = server_subtypes(self.client, self.cancel)
        return inbox_rows(
            self.client.walk(
                types=self.types,
                subtype=self.subtype,
                reference_uuid=self.reference_uuid,
                cancel=self.cancel,
            ),
            subtypes,
        )


@runtime_checkable
class SharedBlocks(TextBlocks, Protocol):
    """CSV blocks that can also be made in shares, each in a process of its own."""

    @property
    def logs_read(self) -> int: ...

    def csv_shares(self, count: int) -> list[Share]: ...


def safe_file_name(name: str, suffix: str = ".csv") -> str:
    """A file name made of ``name``'s harmless characters, never empty."""
    kept = "".join(ch if ch.isalnum() or ch in " -_.()" else "_" for ch in name).strip(" .")
    return (kept[:80] or "export") + suffix


@dataclass
class _Checked:
    """Rows that stop at Cancel even in exports too small for the writers to check."""

    inner: Rows
    cancel: CancelToken

    @property
    def header(self) -> Sequence[str]:
        return self.inner.header

    @property
    def log_count(self) -> int:
        return self.inner.log_count

    @property
    def kinds(self) -> Sequence[str]:
        return kinds_of(self.inner, self.inner.header)

    def rows(self) -> Iterator[list[Any]]:
        for number, row in enumerate(self.inner.rows()):
            if not number % _CHECK_EVERY:
                self.cancel.raise_if_cancelled()
            yield row
        self.cancel.raise_if_cancelled()  # before the file is put in place


def is_xlsx(path: str) -> bool:
    """Whether ``path`` names an Excel file (by its extension, in any case)."""
    return path.lower().endswith(XLSX_SUFFIX)


def write_rows(
    rows: Rows,
    path: str,
    *,
    xlsx: bool,
    cancel: CancelToken | None = None,
    progress: Callable[[int], None] | None = None,
    stdout: TextIO | None = None,
    processes: int = 1,
) -> int:
    """Write prepared rows as CSV (``path`` may be ``"-"``) or as an Excel file.

    ``processes`` above 1 lets a large CSV be made by that many processes at once, forked
    from this one (see ``csv_parts``): only for a process that runs no other thread.
    """
    if (
        not xlsx
        and processes > 1
        and cancel is None
        and isinstance(rows, SharedBlocks)
        and rows.logs_read >= csv_parts.PARALLEL_FROM
    ):
        shares = rows.csv_shares(processes)
        return write_csv_parts(path, rows.header, shares, progress=progress, stdout=stdout)
    if not xlsx and isinstance(rows, TextBlocks):  # the same file, made a block at a time
        return write_csv_text(
            path, rows.header, rows.csv_blocks(), cancel=cancel, progress=progress, stdout=stdout
        )
    if xlsx:
        return write_xlsx(
            path,
            rows.header,
            rows.rows(),
            kinds=kinds_of(rows, rows.header),
            cancel=cancel,
            progress=progress,
        )
    return write_csv(
        path,
        rows.header,
        rows.rows(),
        prepared=True,
        cancel=cancel,
        progress=progress,
        stdout=stdout,
    )


def run_export(prepare: Prepare, path: str, cancel: CancelToken, progress: Progress) -> int:
    """The worker's job: prepare the rows, then write them; returns how many were written."""
    try:
        rows = prepare(cancel)
        total = rows.log_count
        progress(0, total)
        checked = rows if isinstance(rows, TextBlocks) else _Checked(rows, cancel)
        return write_rows(
            checked,
            path,
            xlsx=is_xlsx(path),
            cancel=cancel,
            progress=lambda done: progress(done, total),
        )
    except ExportError as exc:
        raise ExportFailed(str(exc)) from None
