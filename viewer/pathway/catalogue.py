"""Progress over time: a small summary of every saved copy of a pathway, in SQLite (Qt-free).

When a copy of a pathway answer is saved, its counts per activity x group x state are
recorded here (group ``EVERYONE`` for all users, activity ``ALL_REQUIRED_ID`` for the total
over the required activities; see ``pathway.groups`` for how people count). A Progress view
then charts completion over time from a few hundred rows, without opening any old copy.

The file lives beside the snapshots folder (``Catalogue.beside``). Deleting or pruning a
saved copy leaves its summary here: the history outlives the copies. Each call opens the
file, does one transaction and closes it, so worker threads and a headless export can use
it at once. A damaged, locked or unwritable file raises ``CatalogueError`` with a message
for people; nothing else of the app depends on it. The schema is versioned with SQLite's
``user_version``; a file from a newer version is left alone.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from viewer.pathway.data import COMPLETED, PathwayData
from viewer.pathway.groups import (
    ALL_REQUIRED_ID,
    ALL_REQUIRED_NAME,
    EVERYONE,
    SLOTS,
    Tally,
    activity_key,
    percent_of,
    tallies,
)
from viewer.snapshots import Snapshot, SnapshotStore, canonical_query, clean_server

FILE_NAME = "catalogue.sqlite3"
SCHEMA_VERSION = 1
#: Seconds to wait for another writer before saying the file is busy.
BUSY_TIMEOUT = 2.0

_SCHEMA = """
CREATE TABLE copies (
    id INTEGER PRIMARY KEY,
    snapshot TEXT NOT NULL UNIQUE,
    server TEXT NOT NULL,
    pathway TEXT NOT NULL,
    pathway_id TEXT,
    pathway_name TEXT,
    filters TEXT NOT NULL,
    taken_at REAL NOT NULL
);
CREATE INDEX copies_by_server ON copies (server, taken_at);
CREATE TABLE counts (
    copy INTEGER NOT NULL REFERENCES copies (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    activity_id TEXT NOT NULL,
    activity_name TEXT NOT NULL,
    grp TEXT NOT NULL,
    not_started INTEGER NOT NULL,
    in_progress INTEGER NOT NULL,
    completed INTEGER NOT NULL,
    other INTEGER NOT NULL,
    no_log INTEGER NOT NULL,
    PRIMARY KEY (copy, grp, position)
) WITHOUT ROWID;
"""


class Summary(NamedTuple):
    """What the progress history keeps of one answer (``Catalogue.summarise``)."""

    counted: dict[tuple[str, str], Tally]
    names: dict[str, str]


class CatalogueError(Exception):
    """The progress history could not be read or written; the message says what to do."""


@dataclass(frozen=True)
class ProgressRow:
    """One activity (or the all-required total) of one saved copy, for one group."""

    taken_at: float  # seconds since the epoch, when the copy was fetched
    activity_id: str
    activity_name: str
    group: str
    users: int
    completed: int
    percent_completed: float


@dataclass(frozen=True)
class Series:
    """One line of a chart: ``points`` are (taken_at, percent_completed), oldest first."""

    key: str
    label: str
    points: list[tuple[float, float]]


def _filters_of(query: Mapping[str, Any]) -> str:
    return canonical_query({k: v for k, v in query.items() if k != "pathway" and v})


class Catalogue:
    """The progress history kept in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @classmethod
    def beside(cls, store: SnapshotStore) -> Catalogue:
        """The catalogue of a snapshot store: a file next to its folder."""
        return cls(store.directory.parent / FILE_NAME)

    # -- writing --------------------------------------------------------------------------

    @staticmethod
    def summarise(data: PathwayData) -> Summary:
        """What ``record`` keeps of ``data``: its counts, per group and activity, and the
        activities' names. Apart, so a worker can count before a later thread records."""
        names = {activity_key(a): a.label for a in data.activities}
        names[ALL_REQUIRED_ID] = ALL_REQUIRED_NAME
        return Summary(tallies(data, everyone=True), names)

    def record(self, snapshot: Snapshot, data: PathwayData, summary: Summary | None = None) -> bool:
        """Record the summary of ``data`` (``summary``, if counted already), saved as
        ``snapshot``; False if already there."""
        query = snapshot.query
        pathway = query.get("pathway")
        counted, names = summary if summary is not None else self.summarise(data)
        positions = {key: i for i, key in enumerate(names)}
        slots = [SLOTS[code] for code in sorted(SLOTS, key=SLOTS.__getitem__)]
        with self._open(create=True) as db:
            cursor = db.execute(
                "INSERT INTO copies (snapshot, server, pathway, pathway_id, pathway_name,"
                " filters, taken_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (snapshot) DO NOTHING",
                (
                    snapshot.id,
                    clean_server(snapshot.server),
                    pathway if isinstance(pathway, str) else "",
                    data.pathway.ID,
                    data.pathway.name,
                    _filters_of(query),
                    snapshot.fetched_at,
                ),
            )
            if not cursor.rowcount:
                return False
            copy = cursor.lastrowid
            db.executemany(
                "INSERT INTO counts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (copy, positions[key], key, names[key], group, *(tally[s] for s in slots))
                    for (group, key), tally in counted.items()
                ),
            )
        return True

    # -- reading --------------------------------------------------------------------------

    def progress_rows(
        self,
        server: str,
        pathway: str,
        *,
        filters: Mapping[str, Any] | None = None,
        groups: Iterable[str] | None = (EVERYONE,),
    ) -> list[ProgressRow]:
        """One row per saved copy x activity x group, oldest copy first.

        ``pathway`` is matched against what was asked for, the pathway's ID and its name
        (without case). Only copies fetched with the same ``filters`` (the query's other
        keys; default none, the whole pathway) count: a filtered fetch has its own history.
        ``groups``: which groups (``EVERYONE`` for all users); ``None`` for every group.
        """
        if not self.path.exists():
            return []
        wanted = None if groups is None else list(groups)
        group_test = "" if wanted is None else f" AND n.grp IN ({','.join('?' * len(wanted))})"
        sql = (
            "SELECT c.taken_at, n.activity_id, n.activity_name, n.grp, n.not_started,"
            " n.in_progress, n.completed, n.other, n.no_log"
            " FROM copies AS c JOIN counts AS n ON n.copy = c.id"
            " WHERE c.server = ? AND c.filters = ?"
            " AND (c.pathway = ? COLLATE NOCASE OR c.pathway_id = ?"
            " OR c.pathway_name = ? COLLATE NOCASE)" + group_test + " ORDER BY c.taken_at, c.id,"
            " n.grp <> '*', n.grp COLLATE NOCASE, n.position"
        )
        arguments = [
            clean_server(server),
            _filters_of(filters or {}),
            pathway.strip(),
            pathway.strip(),
            pathway.strip(),
            *(wanted or ()),
        ]
        with self._open(create=False) as db:
            found = db.execute(sql, arguments).fetchall()
        completed_slot = SLOTS[COMPLETED]
        rows = []
        for taken_at, key, name, group, *counts in found:
            users = sum(counts)
            done = counts[completed_slot]
            rows.append(
                ProgressRow(taken_at, key, name, group, users, done, percent_of(done, users))
            )
        return rows

    def copies(self) -> int:
        """How many saved copies have a summary here."""
        if not self.path.exists():
            return 0
        with self._open(create=False) as db:
            (count,) = db.execute("SELECT count(*) FROM copies").fetchone()
        return int(count)

    # -- the file -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _open(self, *, create: bool) -> Iterator[sqlite3.Connection]:
        """A connection inside one transaction: a writing one (``create``) takes the write
        lock at once, so two writers queue instead of failing to upgrade their locks."""
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise CatalogueError(self._describe(exc)) from None
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("BEGIN IMMEDIATE" if create else "BEGIN")
            try:
                self._check_schema(db, create)
                yield db
            except BaseException:
                db.rollback()
                raise
            db.commit()
        except sqlite3.Error as exc:
            raise CatalogueError(self._describe(exc)) from None
        finally:
            db.close()

    def _check_schema(self, db: sqlite3.Connection, create: bool) -> None:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise CatalogueError(
                f"The progress history {self.path} was written by a newer version of the "
                "app; it is left as it is. Update the app to add to it."
            )
        if not create:
            # Read on an empty file: upgrade it under the write lock.
            db.execute("ROLLBACK")
            db.execute("BEGIN IMMEDIATE")
            (version,) = db.execute("PRAGMA user_version").fetchone()
            if version == SCHEMA_VERSION:
                return
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _describe(self, exc: BaseException) -> str:
        name = getattr(exc, "sqlite_errorname", "")
        if name in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            return (
                f"The progress history {self.path} is in use by another program; "
                "try again in a moment."
            )
        if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
            return (
                f"The progress history {self.path} is damaged ({exc}). Move it away or "
                "delete it: a new history starts with the next saved copy."
            )
        if name in ("SQLITE_FULL",):
            return f"The disk holding {self.path.parent} is full; free some space."
        if name in ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM") or isinstance(
            exc, OSError
        ):
            return (
                f"The progress history {self.path} cannot be written or opened ({exc}). "
                "Check the folder's permissions."
            )
        return f"The progress history {self.path} could not be used: {exc}."


def series_by_activity(rows: Sequence[ProgressRow], group: str = EVERYONE) -> list[Series]:
    """One line per activity (the total included) for ``group``, in the answer's order."""
    return _series(
        (row for row in rows if row.group == group),
        lambda row: (row.activity_id, row.activity_name),
    )


def series_by_group(
    rows: Sequence[ProgressRow], activity_id: str = ALL_REQUIRED_ID
) -> list[Series]:
    """One line per group for one activity (default: the all-required total)."""
    return _series(
        (row for row in rows if row.activity_id == activity_id), lambda row: (row.group, row.group)
    )


def _series(
    rows: Iterable[ProgressRow], key_of: Callable[[ProgressRow], tuple[str, str]]
) -> list[Series]:
    lines: dict[str, Series] = {}
    for row in rows:
        key, label = key_of(row)
        line = lines.get(key)
        if line is None:
            line = lines[key] = Series(key, label, [])
        elif label != line.label:  # renamed since: the newest name
            line = lines[key] = Series(key, label, line.points)
        line.points.append((row.taken_at, row.percent_completed))
    return list(lines.values())
