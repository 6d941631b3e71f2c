"""The inbox list as plain data: what is loaded, which rows show, and read marks in flight.

Read state changes are optimistic: they show at once, stay pending until the server
answers, and are rolled back when it refuses. While a change is pending, a page that
arrives with the old state does not undo it, and of two changes of one row the newer wins.
With "unread only", a row read while shown stays until the list is filtered again, so
reading does not make rows jump away under the pointer. A search keeps only the loaded
activities whose title or description holds every word searched for.

Qt must hear of a change of rows before it is made, so the methods that change rows return
a ``RowsEdit`` saying what will change, and change nothing until it is applied. The others
return what they changed as runs of rows, ready for ``dataChanged``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from viewer.api.activity_types import Activity
from viewer.formats import parse_time
from viewer.inbox.rows import Column, display_text

#: First and last row (inclusive) of a block of rows whose data changed.
Run = tuple[int, int]


@dataclass
class ReadChange:
    """One optimistic change of read state, to settle when the server answers."""

    id: int
    read: bool
    previous: dict[str, bool] = field(default_factory=dict)

    @property
    def uuids(self) -> list[str]:
        return list(self.previous)


@dataclass(frozen=True)
class RowsEdit:
    """A change of the visible rows, described before it is made.

    Either the rows are replaced (``reset``; ``count`` rows afterwards), or ``count`` rows
    are appended at ``first`` (none at all when ``count`` is 0). ``apply`` makes the change;
    it is called once, between announcing the change to views and saying it is done.
    """

    reset: bool
    first: int
    count: int
    _apply: Callable[[], None] = field(repr=False, compare=False)

    @property
    def last(self) -> int:
        return self.first + self.count - 1

    def apply(self) -> None:
        self._apply()


def runs_of(rows: Iterable[int]) -> list[Run]:
    """Rows as few contiguous blocks as possible (one ``dataChanged`` each)."""
    runs: list[list[int]] = []
    for row in sorted(r for r in rows if r >= 0):
        if runs and row <= runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return [(first, last) for first, last in runs]


class InboxState:
    """The loaded activities, newest first, and the rows shown of them.

    ``rows`` is read on every painted cell, so it is a plain list attribute; callers only
    read it.
    """

    def __init__(self) -> None:
        self._change_ids = itertools.count(1)
        self._all: list[Activity] = []
        self._by_uuid: dict[str, Activity] = {}
        self.rows: list[Activity] = []
        self._row_of: dict[str, int] = {}
        self._times: dict[str, datetime | None] = {}
        self._whens: dict[str, str] = {}
        self._unread_only = False
        self._search: tuple[str, ...] = ()
        self._texts: dict[str, str] = {}  # casefolded title and description, while searching
        self._sticky: set[str] = set()  # read while shown unread-only: kept until refiltered
        self._pending: dict[str, tuple[int, bool]] = {}
        self._subtype_labels: dict[str, str] = {}
        self._version = 0  # counts applied edits, so a stale one is refused

    # -- reading ------------------------------------------------------------------------

    @property
    def loaded_count(self) -> int:
        return len(self._all)

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def unread_only(self) -> bool:
        return self._unread_only

    @property
    def searching(self) -> bool:
        return bool(self._search)

    def newest(self) -> Activity | None:
        return self._all[0] if self._all else None

    def activity(self, row: int) -> Activity | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def activity_by_uuid(self, uuid: str) -> Activity | None:
        return self._by_uuid.get(uuid)

    def row_of(self, uuid: str) -> int:
        return self._row_of.get(uuid, -1)

    def time_of(self, activity: Activity) -> datetime | None:
        """The parsed ``created_at``, parsed once (painting asks for it often)."""
        if activity.uuid not in self._times:
            self._times[activity.uuid] = parse_time(activity.created_at)
        return self._times[activity.uuid]

    def when_text(self, activity: Activity) -> str:
        """The relative time, kept until ``forget_when_texts`` ("5 min ago" grows older)."""
        text = self._whens.get(activity.uuid)
        if text is None:
            text = display_text(activity, Column.WHEN, "", self.time_of(activity))
            self._whens[activity.uuid] = text
        return text

    def forget_when_texts(self) -> None:
        self._whens = {}

    def subtype_label(self, subtype: str | None) -> str:
        return self._subtype_labels.get(subtype, subtype) if subtype else ""

    def set_subtype_labels(self, labels: dict[str, str]) -> None:
        """Names for subtype ids (activities carry ids; people read names)."""
        self._subtype_labels = dict(labels)

    # -- changes of rows ----------------------------------------------------------------

    def receive(self, fresh: list[Activity], replace: bool) -> RowsEdit:
        """A page of activities not seen before: appended, or replacing the list.

        A pending read change wins over the state the page carries (the page may have been
        read by the server before the change reached it).
        """
        for activity in fresh:
            pending = self._pending.get(activity.uuid)
            if pending is not None:
                activity.is_read = pending[1]
        if replace:
            count = sum(1 for a in fresh if self._shows(a, sticky=set()))
            return self._edit(True, count, lambda: self._replace(fresh))
        count = sum(1 for a in fresh if self._shows(a))
        return self._edit(False, count, lambda: self._append(fresh))

    def reset(self, activities: Sequence[Activity] = ()) -> RowsEdit:
        """Replace everything loaded with ``activities`` (none: an empty list)."""
        return self.receive(list(activities), True)

    def refilter(self, unread_only: bool) -> RowsEdit | None:
        """Show only unread rows, or all; ``None`` when that is already so.

        Rows kept because they were read while shown go now.
        """
        return self.filter(unread_only, " ".join(self._search))

    def filter(self, unread_only: bool, search: str) -> RowsEdit | None:
        """Show the rows that are unread (or all) and match ``search`` (words, any case).

        ``None`` when that is already so. Rows kept because they were read while shown
        unread-only go now.
        """
        words = tuple(search.casefold().split())
        if unread_only == self._unread_only and words == self._search:
            return None
        if not words:
            self._texts = {}

        # Worked out once, now: an edit applies only to the list it was made for.
        rows = [
            a for a in self._all if (not unread_only or not a.is_read) and self._matches(a, words)
        ]

        def apply() -> None:
            self._unread_only, self._search = unread_only, words
            self._sticky = set()
            self.rows = rows
            self._row_of = {a.uuid: row for row, a in enumerate(rows)}

        return self._edit(True, len(rows), apply)

    def _matches(self, activity: Activity, words: tuple[str, ...]) -> bool:
        if not words:
            return True
        text = self._texts.get(activity.uuid)
        if text is None:
            text = f"{activity.title or ''}\n{activity.description or ''}".casefold()
            self._texts[activity.uuid] = text
        return all(word in text for word in words)

    def _edit(self, reset: bool, count: int, apply: Callable[[], None]) -> RowsEdit:
        version = self._version

        def guarded() -> None:
            if self._version != version:
                raise RuntimeError("the list changed after this edit was made")
            self._version += 1
            apply()

        return RowsEdit(reset, 0 if reset else len(self.rows), count, guarded)

    def _replace(self, fresh: list[Activity]) -> None:
        self._all, self.rows = [], []
        self._by_uuid, self._row_of, self._times, self._whens = {}, {}, {}, {}
        self._texts = {}
        self._sticky = set()
        self._append(fresh)

    def _append(self, fresh: list[Activity]) -> None:
        self._all.extend(fresh)
        for activity in fresh:
            self._by_uuid[activity.uuid] = activity
            if self._shows(activity):
                self._row_of[activity.uuid] = len(self.rows)
                self.rows.append(activity)

    def _shows(self, activity: Activity, sticky: set[str] | None = None) -> bool:
        kept = self._sticky if sticky is None else sticky
        unread = not self._unread_only or not activity.is_read or activity.uuid in kept
        return unread and self._matches(activity, self._search)

    # -- read state ---------------------------------------------------------------------

    def apply_read(self, uuids: Iterable[str], read: bool) -> tuple[ReadChange, list[Run]]:
        """Show ``uuids`` as read (or unread) now; ``settle`` the change when the server
        answers. Returns the change and the rows it repainted."""
        change = ReadChange(next(self._change_ids), read)
        for uuid in uuids:
            activity = self._by_uuid.get(uuid)
            if activity is None or uuid in change.previous:
                continue
            change.previous[uuid] = bool(activity.is_read)
            self._pending[uuid] = (change.id, read)
            activity.is_read = read
            if self._unread_only:
                self._sticky.add(uuid)
        return change, self.runs(change.previous)

    def apply_read_where(
        self, type_name: str | None, subtype: str | None, read: bool
    ) -> tuple[ReadChange, list[Run]]:
        """Like ``apply_read``, for every loaded activity of a type (and subtype)."""
        uuids = [
            a.uuid
            for a in self._all
            if (type_name is None or a.type == type_name)
            and (subtype is None or a.subtype == subtype)
            and bool(a.is_read) != read
        ]
        return self.apply_read(uuids, read)

    def settle(self, change: ReadChange, failed: Iterable[str] = ()) -> tuple[list[str], list[Run]]:
        """End a change; the ``failed`` uuids go back to their state before it.

        Returns the uuids rolled back (when a newer change of a row is pending, it wins and
        nothing is rolled back) and the rows that repainted.
        """
        failed_set = set(failed)
        rolled_back = []
        for uuid, previous in change.previous.items():
            pending = self._pending.get(uuid)
            if pending is None or pending[0] != change.id:
                continue
            del self._pending[uuid]
            activity = self._by_uuid.get(uuid)
            if uuid in failed_set and activity is not None:
                activity.is_read = previous
                rolled_back.append(uuid)
        return rolled_back, self.runs(rolled_back)

    def runs(self, uuids: Iterable[str]) -> list[Run]:
        """The shown rows of ``uuids``, as runs."""
        return runs_of(self._row_of.get(u, -1) for u in uuids)

    def all_rows(self) -> list[Run]:
        """Every shown row as one run (none when the list is empty)."""
        return [(0, len(self.rows) - 1)] if self.rows else []
