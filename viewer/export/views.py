"""The pathway's views as exports: groups, follow-up and progress rows, and the headless job
that fetches a pathway, keeps a copy for the history and writes one view (Qt-free).

Column names are contracts (scripts read them): see ``GROUP_COLUMNS``,
``FOLLOW_UP_COLUMNS`` and ``PROGRESS_COLUMNS``. Percentages are 0-100 with one decimal;
in the progress view ``taken_at`` is the copy's fetch time in UTC (ISO 8601).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from viewer.api.pathway import PathwayClient, PathwayHead, PathwayQuery
from viewer.api.pathway_types import RawActivity
from viewer.export.csv_parts import write_csv_parts
from viewer.export.early_shares import EarlyShares
from viewer.export.matrix_csv import MatrixExport
from viewer.export.pathway_csv import PathwayExport, groups_cell, text_cell
from viewer.export.rows import Rows, write_rows
from viewer.export.scopes import FOLLOW_UP as FOLLOW_UP
from viewer.export.scopes import GROUPS as GROUPS
from viewer.export.scopes import LOGS as LOGS
from viewer.export.scopes import MATRIX as MATRIX
from viewer.export.scopes import PROGRESS as PROGRESS
from viewer.export.scopes import VIEWS as VIEWS
from viewer.pathway.catalogue import Catalogue, CatalogueError, ProgressRow
from viewer.pathway.counting import StateCounter
from viewer.pathway.data import STATE_LABELS, ActivityData, PathwayData
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.follow_up import follow_up_rows
from viewer.pathway.groups import EVERYONE, group_rows
from viewer.pathway.saved import PathwayKeeper
from viewer.snapshots import SnapshotStore

GROUP_COLUMNS = (
    "group",
    "activity_id",
    "activity_name",
    "users",
    "completed",
    "in_progress",
    "not_started",
    "percent_completed",
)
FOLLOW_UP_COLUMNS = (
    "firstname",
    "lastname",
    "email",
    "groups",
    "required_completed",
    "required_total",
    "missing",
)
PROGRESS_COLUMNS = (
    "taken_at",
    "activity_id",
    "activity_name",
    "group",
    "users",
    "completed",
    "percent_completed",
)
MISSING_SEPARATOR = "; "


def percent_cell(value: float) -> float:
    """A 0-100 percentage as written: one decimal."""
    return round(value, 1)


def time_cell(seconds: float) -> str:
    """Seconds since the epoch as ISO 8601 in UTC, to the second."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Made:
    """Rows of a view, made when the export is prepared."""

    made: Sequence[Any]

    @property
    def log_count(self) -> int:
        return len(self.made)


class GroupsExport(_Made):
    """One row per group and activity, and a total per group over the required ones."""

    header = GROUP_COLUMNS

    def __init__(self, data: PathwayData, activities: Sequence[ActivityData] | None = None):
        self.made = group_rows(data, activities)

    def rows(self) -> Iterator[list[Any]]:
        for r in self.made:
            yield [
                text_cell(r.group),
                text_cell(r.activity_id),
                text_cell(r.activity_name),
                r.users,
                r.completed,
                r.in_progress,
                r.not_started,
                percent_cell(r.percent_completed),
            ]


class FollowUpExport(_Made):
    """Everyone with something missing, and what."""

    header = FOLLOW_UP_COLUMNS

    def __init__(self, data: PathwayData, activities: Sequence[ActivityData] | None = None):
        self.made = follow_up_rows(data, activities)

    def rows(self) -> Iterator[list[Any]]:
        for r in self.made:
            yield [
                text_cell(r.firstname),
                text_cell(r.lastname),
                text_cell(r.email),
                groups_cell(r.groups),
                r.required_completed,
                r.required_total,
                text_cell(MISSING_SEPARATOR.join(r.missing)),
            ]


class ProgressExport(_Made):
    """The progress history: one row per saved copy x activity x group."""

    header = PROGRESS_COLUMNS

    def __init__(self, made: Sequence[ProgressRow]):
        self.made = made

    def rows(self) -> Iterator[list[Any]]:
        for r in self.made:
            yield [
                time_cell(r.taken_at),
                text_cell(r.activity_id),
                text_cell(r.activity_name),
                text_cell(r.group),
                r.users,
                r.completed,
                percent_cell(r.percent_completed),
            ]


@dataclass
class PathwayJob:
    """What ``export pathway`` writes, and the saved copies (and history) it adds to."""

    view: str
    output: str
    xlsx: bool
    store: SnapshotStore
    #: Whether this fetch is saved as a copy (and recorded in the history).
    keep: bool = True
    #: Groups to add rows for in the progress view (``EVERYONE`` always comes first).
    groups: Sequence[str] = ()
    #: How many processes may make the rows at once (the command runs no other thread).
    processes: int = 1
    #: What the command should say on stderr once the file is written.
    notes: list[str] = field(default_factory=list)

    def server_query(self, query: PathwayQuery) -> PathwayQuery:
        """What is asked of the server: the progress view's groups only pick rows."""
        if self.view != PROGRESS:
            return query
        return PathwayQuery(query.pathway, query.activities, query.types, (), query.users)

    def run(
        self,
        client: PathwayClient,
        query: PathwayQuery,
        *,
        progress: Callable[[int], None] | None = None,
        download_progress: Callable[[int, int | None], None] | None = None,
        stdout: TextIO | None = None,
        answered: Callable[[PathwayHead], None] | None = None,
    ) -> int:
        """Fetch and keep a copy, then write the view's rows. The progress view without a
        copy to keep reads the history alone, without asking the server. ``answered`` is
        given the answer's pathway and activities (without their logs) before rows are
        written."""
        asked = self.server_query(query)
        if self.view == PROGRESS and not self.keep:
            rows: Rows = self._progress(client.base_url, asked)
        else:
            # The copy is compressed as the answer downloads, by zstd's own thread, which
            # has ended once the copy has been fed (``keeper(body)``).
            keeper = PathwayKeeper(self.store, client.base_url, asked) if self.keep else None
            try:
                body = client.fetch_body(
                    asked, cancel=None, progress=download_progress, copy=keeper
                )
            except BaseException:
                if keeper is not None:
                    keeper.abandon()
                raise
            finish = None if keeper is None else keeper(body)
            early = None
            if self.view == LOGS and not self.xlsx:  # forked before any thread starts
                early = EarlyShares.begin(body, self.processes, counting=self.keep)
            if early is None:
                rows = self._prepare(body, client.base_url, asked, keeper, finish, answered)
            else:
                try:
                    rows = self._prepare(
                        early.body, client.base_url, asked, keeper, finish, answered, early.starts
                    )
                    assert isinstance(rows, PathwayExport)
                    shares = early.shares(rows)
                    if shares is not None:
                        return write_csv_parts(
                            self.output, rows.header, shares, progress=progress, stdout=stdout
                        )
                finally:
                    early.close()
            del body
        return write_rows(
            rows,
            self.output,
            xlsx=self.xlsx,
            progress=progress,
            stdout=stdout,
            processes=self.processes,
        )

    def _prepare(
        self,
        body: bytes | bytearray,
        server: str,
        query: PathwayQuery,
        keeper: PathwayKeeper | None,
        finish: Callable[[PathwayHead | None], None] | None,
        answered: Callable[[PathwayHead], None] | None = None,
        starts: list[int] | None = None,
    ) -> Rows:
        logs: PathwayExport | None = None
        data: PathwayData | None = None
        # The logs view reads the answer as it goes; the history's summary is counted then.
        counter = StateCounter() if finish is not None and self.view == LOGS else None
        try:
            if self.view == LOGS:
                logs = PathwayExport.read(body, query=query, counter=counter, starts=starts)
                head = logs.head
            else:
                data = build_pathway_data(body, query=query)
                headers = [RawActivity(ID=a.ID, name=a.name) for a in data.activities]
                head = PathwayHead(data.pathway, headers, data.hash, data.response_time)
        except BaseException:
            if finish is not None:
                finish(None)
            raise
        if finish is not None and keeper is not None:
            finish(head)
            if keeper.snapshot is not None:
                if data is None:
                    assert counter is not None
                    data = counter.data(head)
                keeper.record(data)
            self._note(keeper)
        if answered is not None:
            answered(head)
        if logs is not None:
            return logs
        assert data is not None
        chosen = data.activities if query.activities else None  # named ones count, required or not
        if self.view == MATRIX:
            return MatrixExport(data, labels=STATE_LABELS)
        if self.view == GROUPS:
            return GroupsExport(data, chosen)
        if self.view == FOLLOW_UP:
            return FollowUpExport(data, chosen)
        return self._progress(server, query)

    def _progress(self, server: str, query: PathwayQuery) -> ProgressExport:
        filters = {k: v for k, v in query.body().items() if k != "pathway"}
        groups = [EVERYONE, *(g for g in self.groups if g != EVERYONE)]
        try:
            made = Catalogue.beside(self.store).progress_rows(
                server, query.pathway, filters=filters, groups=groups
            )
        except CatalogueError as exc:
            self.notes.append(str(exc))
            made = []
        return ProgressExport(made)

    def _note(self, keeper: PathwayKeeper) -> None:
        if keeper.error:
            self.notes.append(f"no saved copy was kept: {keeper.error}")
        if keeper.catalogue_error:
            self.notes.append(f"this copy is missing from the history: {keeper.catalogue_error}")
