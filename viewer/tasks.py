"""The one place where work leaves the GUI thread.

A ``TaskRunner`` lives in the GUI thread and starts each job in its own ``QThread``. The job
is a plain function ``fn(cancel, progress) -> result`` that runs in the worker thread and
must not touch widgets. Its outcome comes back through a queued signal to a slot of the
runner, so the callbacks given to ``run`` always execute in the GUI thread.

Jobs started with the same ``key`` supersede each other: starting a new one cancels the
old one, and an old answer that arrives late is dropped, so a slow stale response never
overwrites a newer one. An answer that arrives after its job was cancelled is dropped too.

Closing never waits long for a job, and never destroys a thread that still runs (that
aborts the process): ``shutdown`` cancels every job, waits a moment, and hands any thread
still running to a keeper that holds it until it ends. ``wait_for_detached`` lets the
program wait for those before it exits.

``hold_job_starts`` keeps the threads of new jobs from starting until it is released: the
app holds the first requests of a window until that window has painted.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from viewer.api.errors import ApiError, Cancelled
from viewer.jobs import CancelToken, Job, Progress

log = logging.getLogger(__name__)
_Result = TypeVar("_Result")

#: How long ``shutdown`` waits, in all, for cancelled jobs to end. Cancelling reaches a
#: blocked request within a fraction of a second; a job busy elsewhere finishes on its own.
SHUTDOWN_WAIT_MS = 250


class UnexpectedError(ApiError):
    """A bug or an unforeseen failure inside a job, shown instead of crashing the app."""

    title = "Something went wrong"


@dataclass(eq=False)
class TaskHandle:
    """What the caller holds of a running job."""

    id: int
    key: str | None
    cancel_token: CancelToken = field(default_factory=CancelToken)

    def cancel(self) -> None:
        self.cancel_token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.cancel_token.cancelled


@dataclass
class _Callbacks:
    on_success: Callable[[Any], None]
    on_error: Callable[[ApiError], None] | None
    on_progress: Callable[[int, int | None], None] | None
    on_cancelled: Callable[[], None] | None


class _Worker(QObject):
    """Runs one job in its thread and reports through signals (queued to the runner)."""

    outcome = Signal(int, str, object)  # task id, "ok" | "error" | "cancelled", value
    progressed = Signal(int, object, object)  # task id, done, total

    def __init__(self, handle: TaskHandle, job: Job) -> None:
        super().__init__()
        self._handle = handle
        self._job: Job | None = job

    @Slot()
    def run(self) -> None:
        handle, job = self._handle, self._job
        if job is None:
            return  # it has run already
        try:
            value = job(handle.cancel_token, self._report)
        except Cancelled:
            self.outcome.emit(handle.id, "cancelled", None)
        except ApiError as exc:
            self.outcome.emit(handle.id, "cancelled" if handle.cancelled else "error", exc)
        except Exception as exc:  # a bug must reach the user as a message, not a crash
            log.exception("Background job failed")
            error = UnexpectedError(
                f"An unexpected error stopped this action ({type(exc).__name__}: {exc}). "
                "Try again; if it happens again, report it with the log."
            )
            self.outcome.emit(handle.id, "error", error)
        else:
            self.outcome.emit(handle.id, "cancelled" if handle.cancelled else "ok", value)
        finally:
            self._job = None  # release what the job captured as soon as it is done

    def _report(self, done: int, total: int | None) -> None:
        self.progressed.emit(self._handle.id, done, total)


class TaskRunner(QObject):
    """Starts jobs in QThreads and delivers their outcomes in the GUI thread."""

    #: Emitted with the number of jobs still running whenever it changes.
    activeChanged = Signal(int)
    #: Emitted when a late answer of a superseded job is dropped (for diagnostics and tests).
    discarded = Signal(int)

    _ids = itertools.count(1)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: dict[int, tuple[QThread, _Worker, TaskHandle]] = {}
        self._callbacks: dict[int, _Callbacks] = {}
        self._latest: dict[str, TaskHandle] = {}
        self._closed = False

    @property
    def active_count(self) -> int:
        return len(self._threads)

    def is_running(self, key: str) -> bool:
        handle = self._latest.get(key)
        return handle is not None and handle.id in self._threads and not handle.cancelled

    def run(
        self,
        job: Callable[[CancelToken, Progress], _Result],
        *,
        on_success: Callable[[_Result], None],
        on_error: Callable[[ApiError], None] | None = None,
        on_progress: Callable[[int, int | None], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        key: str | None = None,
    ) -> TaskHandle:
        """Start ``job`` off the GUI thread; callbacks run in the GUI thread."""
        if self._closed:
            raise RuntimeError("TaskRunner is shut down")
        handle = TaskHandle(next(self._ids), key)
        if key is not None:
            previous = self._latest.get(key)
            if previous is not None:
                previous.cancel()
            self._latest[key] = handle
        thread = QThread()
        thread.setObjectName(f"task-{handle.id}-{key or 'job'}")
        worker = _Worker(handle, job)
        worker.moveToThread(thread)
        worker.outcome.connect(self._on_outcome)
        worker.progressed.connect(self._on_progress)
        thread.started.connect(worker.run)
        worker.outcome.connect(thread.quit)
        thread.finished.connect(self._on_thread_finished)
        self._threads[handle.id] = (thread, worker, handle)
        self._callbacks[handle.id] = _Callbacks(on_success, on_error, on_progress, on_cancelled)
        if _held is None:
            thread.start()
        else:
            _held.append((self, handle.id))
        self.activeChanged.emit(len(self._threads))
        return handle

    def _start_held(self, task_id: int) -> None:
        """Start a job held back by ``hold_job_starts``, unless shut down meanwhile."""
        entry = self._threads.get(task_id)
        if entry is not None and not self._closed:
            entry[0].start()  # a cancelled job starts too: it ends at once, and is cleaned up

    def cancel(self, key: str) -> None:
        handle = self._latest.get(key)
        if handle is not None:
            handle.cancel()

    def _is_current(self, handle: TaskHandle) -> bool:
        return handle.key is None or self._latest.get(handle.key) is handle

    @Slot(int, object, object)
    def _on_progress(self, task_id: int, done: int, total: int | None) -> None:
        entry = self._threads.get(task_id)
        callbacks = self._callbacks.get(task_id)
        if entry is None or callbacks is None or callbacks.on_progress is None:
            return
        if self._is_current(entry[2]) and not entry[2].cancelled:
            callbacks.on_progress(done, total)

    @Slot(int, str, object)
    def _on_outcome(self, task_id: int, kind: str, value: Any) -> None:
        callbacks = self._callbacks.pop(task_id, None)
        entry = self._threads.get(task_id)
        if callbacks is None or entry is None or self._closed:
            return
        handle = entry[2]
        if not self._is_current(handle):
            self.discarded.emit(task_id)
            return
        if handle.cancelled:
            # Cancelled after the job had already answered: the answer is not wanted now.
            kind = "cancelled"
        if handle.key is not None:
            del self._latest[handle.key]
        if kind == "ok":
            callbacks.on_success(value)
        elif kind == "error":
            if callbacks.on_error is not None:
                callbacks.on_error(value)
            else:
                log.warning("Unhandled background error: %s", value)
        elif callbacks.on_cancelled is not None:
            callbacks.on_cancelled()

    @Slot()
    def _on_thread_finished(self) -> None:
        thread = self.sender()
        for task_id, (candidate, worker, _handle) in list(self._threads.items()):
            if candidate is thread:
                # ``finished`` is emitted just before the thread ends; this wait is brief.
                candidate.wait()
                del self._threads[task_id]
                self._callbacks.pop(task_id, None)
                worker.deleteLater()
                candidate.deleteLater()
                self.activeChanged.emit(len(self._threads))
                return

    def shutdown(self, timeout_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Cancel every job and wait up to ``timeout_ms`` in all; True when all have stopped.

        A thread still running then is kept alive until it ends (see ``wait_for_detached``);
        its outcome is dropped.
        """
        self._closed = True
        for _thread, _worker, handle in self._threads.values():
            handle.cancel()
        end = time.monotonic() + timeout_ms / 1000
        stopped = True
        for thread, worker, _handle in self._threads.values():
            thread.quit()  # takes effect once the job has returned
            if thread.wait(max(0, round((end - time.monotonic()) * 1000))):
                worker.deleteLater()
                thread.deleteLater()
            else:
                _keeper().keep(thread, worker)
                stopped = False
        self._threads.clear()
        self._callbacks.clear()
        self._latest.clear()
        return stopped


#: Jobs waiting for ``hold_job_starts`` to release them: (runner, task id).
_held: list[tuple[TaskRunner, int]] | None = None


def hold_job_starts() -> Callable[[], None]:
    """Hold back the threads of jobs started from now on; the function returned starts them.

    A window's first requests need none of their threads before it has painted, and each
    thread's first request imports the HTTP stack, competing with the window for the
    interpreter. Releasing twice is harmless; jobs started after the release start at once.
    """
    global _held
    held: list[tuple[TaskRunner, int]] = []
    _held = held

    def release() -> None:
        global _held
        if _held is held:
            _held = None
        waiting = list(held)
        held.clear()
        for runner, task_id in waiting:
            if shiboken6.isValid(runner):
                runner._start_held(task_id)

    return release


class _Keeper(QObject):
    """Holds threads that outlived their runner until they end, then lets them go."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: dict[int, tuple[QThread, _Worker]] = {}

    def keep(self, thread: QThread, worker: _Worker) -> None:
        self.threads[id(thread)] = (thread, worker)
        thread.finished.connect(self._on_finished)
        if thread.isFinished():  # ended between the wait and now: no signal is coming
            self._release(thread)

    @Slot()
    def _on_finished(self) -> None:
        thread = self.sender()
        if isinstance(thread, QThread):
            self._release(thread)

    def _release(self, thread: QThread) -> None:
        entry = self.threads.pop(id(thread), None)
        if entry is not None:
            thread.wait()  # ``finished`` comes just before the thread ends: brief
            entry[1].deleteLater()
            thread.deleteLater()


_kept: _Keeper | None = None


def _keeper() -> _Keeper:
    global _kept
    if _kept is None:
        _kept = _Keeper()  # made by the first shutdown, in the GUI thread
    return _kept


def detached_count() -> int:
    """How many threads of shut-down runners are still running."""
    return 0 if _kept is None else len(_kept.threads)


def wait_for_detached(timeout_ms: int) -> bool:
    """Wait for the threads of shut-down runners to end; True when none is left running.

    Called before the program exits, when no event loop runs any more to release them.
    """
    if _kept is None:
        return True
    end = time.monotonic() + timeout_ms / 1000
    for thread, _worker in list(_kept.threads.values()):
        if not thread.wait(max(0, round((end - time.monotonic()) * 1000))):
            return False
    for thread, _worker in list(_kept.threads.values()):
        _kept._release(thread)
    return True
