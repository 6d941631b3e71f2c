"""Marking activities read or unread: on screen at once, on the server in the background.

Every change is optimistic. The rows change weight immediately; when the server refuses,
the rows that failed go back to what they were and ``failed`` says why. Changes reach the
server one after another, in the order they were made: "read" then "unread" of one row sent
side by side could arrive the other way round and leave the server unlike the screen.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from viewer.api.errors import ApiError, AuthError, Cancelled
from viewer.formats import plural
from viewer.inbox.query import ClientFactory
from viewer.inbox.rows import humanize
from viewer.inbox.state import ReadChange
from viewer.inbox.ui.model import InboxModel
from viewer.jobs import CancelToken, Job, Progress
from viewer.tasks import TaskRunner


def mark_all_question(type_name: str | None, subtype: str | None) -> str:
    if type_name and subtype:
        return (
            f"Mark every “{humanize(type_name)}” activity of subtype “{humanize(subtype)}” as read?"
        )
    if type_name:
        return f"Mark every “{humanize(type_name)}” activity as read?"
    return "Mark every activity of every type as read?"


def activities_of(type_name: str | None, subtype: str | None) -> str:
    """``Security activities of subtype New device``, in words, for messages."""
    if not type_name:
        return "activities of every type"
    what = f"{humanize(type_name)} activities"
    return f"{what} of subtype {humanize(subtype)}" if subtype else what


def _activities(count: int) -> str:
    return plural(count, "activity")


class InboxMarker(QObject):
    #: The server's read state may have changed: counts should be fetched again.
    changed = Signal()
    #: A change was refused: the error, a sentence saying what did not happen, and a
    #: callable that tries the refused part again.
    failed = Signal(object, str, object)
    statusMessage = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        model: InboxModel,
        client_factory: ClientFactory,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._model = model
        self._client_factory = client_factory
        self._closed = False
        self._queue: deque[tuple[Job, Callable[[Any], None], Callable[[], object]]] = deque()
        self._busy = False

    def close(self) -> None:
        self._closed = True
        self._queue.clear()

    @property
    def busy(self) -> bool:
        """Whether a change is on its way to the server or waiting to be sent."""
        return self._busy or bool(self._queue)

    def _send(
        self, job: Job, finished: Callable[[Any], None], cancelled: Callable[[], object]
    ) -> None:
        """Queue ``job``; ``finished`` gets its ``(failed, error)`` outcome."""
        self._queue.append((job, finished, cancelled))
        self._next()

    def _next(self) -> None:
        if self._busy or not self._queue or self._closed:
            return
        job, finished, cancelled = self._queue.popleft()
        self._busy = True

        def done(outcome: Any) -> None:
            self._busy = False
            finished(outcome)
            self._next()

        def stopped() -> None:
            self._busy = False
            cancelled()

        self._runner.run(
            job,
            on_success=done,
            on_error=lambda error: done((None, error)),
            on_cancelled=stopped,
            key=None,
        )

    def toggle(self, uuids: Sequence[str]) -> None:
        """Read if any of them is unread, otherwise unread (like a mail client's "m")."""
        activities = [a for a in map(self._model.activity_by_uuid, uuids) if a is not None]
        if activities:
            self.mark(uuids, any(not a.is_read for a in activities))

    def mark(self, uuids: Iterable[str], read: bool) -> None:
        """Mark activities read (or unread), skipping those already so."""
        if self._closed:
            return
        todo = [
            uuid
            for uuid in dict.fromkeys(uuids)
            if (a := self._model.activity_by_uuid(uuid)) is not None and bool(a.is_read) != read
        ]
        if not todo:
            return
        change = self._model.apply_read(todo, read)
        factory = self._client_factory

        def job(cancel: CancelToken, _progress: Progress) -> tuple[list[str], ApiError | None]:
            client = factory()
            failed: list[str] = []
            first: ApiError | None = None
            for done, uuid in enumerate(todo):
                try:
                    client.mark_read(uuid, read, cancel=cancel)
                except Cancelled:
                    raise
                except AuthError as exc:
                    return failed + todo[done:], exc
                except ApiError as exc:
                    # One refusal need not stop the others; the first is reported.
                    failed.append(uuid)
                    first = first or exc
            return failed, first

        self._send(
            job,
            lambda outcome: self._marked(
                change, change.uuids if outcome[0] is None else outcome[0], outcome[1]
            ),
            lambda: self._model.settle(change, change.uuids),
        )

    def _marked(self, change: ReadChange, failed: list[str], error: ApiError | None) -> None:
        self._model.settle(change, failed)
        word = "read" if change.read else "unread"
        done = len(change.previous) - len(failed)
        if error is not None:
            self.failed.emit(
                error,
                f"{_activities(len(failed))} could not be marked as {word}.",
                lambda: self.mark(failed, change.read),
            )
        elif done:
            self.statusMessage.emit(f"Marked {_activities(done)} as {word}.")
        if done:
            # Only then can the counts differ; fetching them after a refusal would only fail
            # the same way and replace the message saying what was not marked.
            self.changed.emit()

    def mark_all_read(
        self,
        type_name: str | None,
        subtype_key: str | None = None,
        subtype_name: str | None = None,
        *,
        all_types: Sequence[str] = (),
    ) -> None:
        """Mark every activity of a type (and subtype) read; with no type, of ``all_types``."""
        if self._closed:
            return
        names = [type_name] if type_name else [t for t in dict.fromkeys(all_types) if t]
        if not names:
            return
        change = self._model.apply_read_where(type_name, subtype_key if type_name else None, True)
        factory = self._client_factory
        subtype = (subtype_name or subtype_key) if type_name else None

        def job(cancel: CancelToken, _progress: Progress) -> tuple[list[str], ApiError | None]:
            client = factory()
            for done, name in enumerate(names):
                try:
                    client.mark_all_read(True, name, subtype, cancel=cancel)
                except Cancelled:
                    raise
                except ApiError as exc:
                    return names[done:], exc
            return [], None

        def finished(failed_types: list[str], error: ApiError | None) -> None:
            failed = [
                uuid
                for uuid in change.uuids
                if (a := self._model.activity_by_uuid(uuid)) is not None and a.type in failed_types
            ]
            self._model.settle(change, failed)
            what = activities_of(type_name, subtype)
            if error is not None:
                self.failed.emit(
                    error,
                    f"Not all {what} could be marked as read.",
                    lambda: self.mark_all_read(
                        type_name, subtype_key, subtype_name, all_types=failed_types
                    ),
                )
            else:
                self.statusMessage.emit(f"Marked all {what} as read.")
            if len(failed_types) < len(names):
                self.changed.emit()

        self._send(
            job,
            lambda outcome: finished(names if outcome[0] is None else outcome[0], outcome[1]),
            lambda: self._model.settle(change, change.uuids),
        )
