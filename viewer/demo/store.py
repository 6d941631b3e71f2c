"""The demo inbox in SQLite: in memory by default, or in a file that keeps read marks.

One connection, shared by the server's threads behind a lock. A file made by an earlier run
with the same seed is used as it is, so marks and added activities survive restarts.
"""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any

from viewer.demo.inbox_data import InboxRow, identity_uuid, make_entry, make_inbox

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS activities (
    seq INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    type TEXT NOT NULL,
    subtype TEXT,
    is_push_sent INTEGER NOT NULL,
    is_read INTEGER NOT NULL,
    reference_uuid TEXT,
    gid_uuid TEXT NOT NULL,
    meta_data TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS activities_type ON activities (type, subtype);
CREATE INDEX IF NOT EXISTS activities_reference ON activities (reference_uuid);
"""
_COLUMNS = (
    "uuid, title, description, type, subtype, is_push_sent, is_read, reference_uuid, gid_uuid, "
    "meta_data, created_at, updated_at"
)
_FORMAT_VERSION = "1"


class StoreMismatch(ValueError):
    """The database file was made for another seed or format, or is no demo database."""


class InboxStore:
    """Inbox entries, newest last by ``seq``; page 1 of the API is the highest ``seq``."""

    def __init__(self, path: str | None, seed: int, count: int) -> None:
        self._lock = threading.Lock()
        self.seed = seed
        self._db = sqlite3.connect(
            path or ":memory:", check_same_thread=False, isolation_level=None
        )
        try:
            self._db.executescript(_SCHEMA)
            self._open(seed, count, path)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreMismatch(f"{path} is not a demo database ({exc}).") from None
        except BaseException:
            self._db.close()
            raise

    def _open(self, seed: int, count: int, path: str | None) -> None:
        stored = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if stored:
            if stored.get("version") != _FORMAT_VERSION or stored.get("seed") != str(seed):
                raise StoreMismatch(
                    f"{path} holds demo data for seed {stored.get('seed')} (format "
                    f"{stored.get('version')}); use --seed {stored.get('seed')} or another file."
                )
            return
        rows = make_inbox(seed, count)
        with self._transaction():
            self._insert(rows)
            self._db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("version", _FORMAT_VERSION), ("seed", str(seed)), ("generated", str(count))],
            )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def _insert(self, rows: Iterable[InboxRow]) -> None:
        self._db.executemany(
            f"INSERT INTO activities ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [_row_values(row) for row in rows],
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- queries --------------------------------------------------------------------------

    @staticmethod
    def _where(
        types: Sequence[str], subtypes: Sequence[str] | None, reference_uuid: str | None
    ) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if types:
            clauses.append(f"type IN ({','.join('?' * len(types))})")
            params += types
        if subtypes is not None:
            if not subtypes:
                clauses.append("0")
            else:
                clauses.append(f"subtype IN ({','.join('?' * len(subtypes))})")
                params += subtypes
        if reference_uuid is not None:
            clauses.append("reference_uuid = ?")
            params.append(reference_uuid)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def page(
        self,
        page: int,
        per_page: int,
        *,
        types: Sequence[str] = (),
        subtypes: Sequence[str] | None = None,
        reference_uuid: str | None = None,
    ) -> tuple[list[InboxRow], int]:
        """One page, newest first, and the number of entries matching the filters."""
        where, params = self._where(types, subtypes, reference_uuid)
        with self._lock:
            (total,) = self._db.execute(
                f"SELECT COUNT(*) FROM activities{where}", params
            ).fetchone()
            found = self._db.execute(
                f"SELECT {_COLUMNS} FROM activities{where} ORDER BY seq DESC LIMIT ? OFFSET ?",
                [*params, per_page, (page - 1) * per_page],
            ).fetchall()
        return [_row(values) for values in found], total

    def mark(self, uuid: str, read: bool) -> bool:
        """Set one entry's read flag; False when there is no such entry."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE activities SET is_read = ? WHERE uuid = ?", (int(read), uuid)
            )
        return cursor.rowcount > 0

    def mark_all(
        self, read: bool, types: Sequence[str] = (), subtypes: Sequence[str] | None = None
    ) -> int:
        where, params = self._where(types, subtypes, None)
        with self._lock:
            cursor = self._db.execute(
                f"UPDATE activities SET is_read = ?{where}", [int(read), *params]
            )
        return cursor.rowcount

    def unread(self) -> list[tuple[str, str | None, int]]:
        """(type, subtype id, unread count) for every group with unread entries."""
        with self._lock:
            return self._db.execute(
                "SELECT type, subtype, COUNT(*) FROM activities WHERE is_read = 0 "
                "GROUP BY type, subtype ORDER BY type, subtype"
            ).fetchall()

    def is_read(self, uuid: str) -> bool | None:
        with self._lock:
            found = self._db.execute(
                "SELECT is_read FROM activities WHERE uuid = ?", (uuid,)
            ).fetchone()
        return None if found is None else bool(found[0])

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM activities").fetchone()[0])

    def add(self, count: int, type_name: str | None = None) -> list[str]:
        """``count`` new unread entries newer than all others; their UUIDs, newest first."""
        with self._lock:
            seq, latest = self._db.execute(
                "SELECT COALESCE(MAX(seq), 0), MAX(created_at) FROM activities"
            ).fetchone()
            rng = random.Random(f"{self.seed}/added/{seq}")
            moment = _epoch(latest) if latest else 0.0
            gid = identity_uuid(self.seed)
            rows: list[InboxRow] = []
            for _ in range(count):
                moment += rng.randrange(30, 600) + rng.random()
                rows.append(make_entry(rng, gid, moment, type_name=type_name, read=False))
            with self._transaction():
                self._insert(rows)
        return [row.uuid for row in reversed(rows)]


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def _row_values(row: InboxRow) -> tuple[object, ...]:
    return tuple(getattr(row, name) for name in row.__struct_fields__)


def _row(values: Sequence[Any]) -> InboxRow:
    fields = list(values)
    fields[5], fields[6] = bool(fields[5]), bool(fields[6])
    return InboxRow(*fields)


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()
