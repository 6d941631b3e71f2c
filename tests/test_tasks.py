"""The task runner: jobs off the GUI thread, outcomes back on it, stale answers dropped."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from viewer.api.errors import Cancelled, NetworkError
from viewer.tasks import TaskRunner, UnexpectedError, detached_count, hold_job_starts


@pytest.fixture
def runner(qapp):
    runner = TaskRunner()
    yield runner
    assert runner.shutdown(5000)


def test_job_runs_off_the_gui_thread_and_result_arrives_on_it(qtbot, runner):
    gui_thread = QThread.currentThread()
    seen = {}

    def job(cancel, progress):
        seen["job_thread"] = QThread.currentThread()
        return 42

    def on_success(value):
        seen["value"] = value
        seen["callback_thread"] = QThread.currentThread()

    runner.run(job, on_success=on_success)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["value"] == 42
    assert seen["job_thread"] is not gui_thread
    assert seen["callback_thread"] is gui_thread
    qtbot.waitUntil(lambda: runner.active_count == 0)


def test_newer_job_with_the_same_key_wins_over_a_slower_older_one(qtbot, runner):
    release_old = threading.Event()
    results = []

    def old_job(cancel, progress):
        release_old.wait(5)
        return "old"

    runner.run(old_job, on_success=results.append, key="fetch")
    runner.run(lambda cancel, progress: "new", on_success=results.append, key="fetch")
    qtbot.waitUntil(lambda: results == ["new"])
    with qtbot.waitSignal(runner.discarded):
        release_old.set()
    qtbot.waitUntil(lambda: runner.active_count == 0)
    assert results == ["new"]


def test_superseded_job_sees_its_cancel_token_set(qtbot, runner):
    started = threading.Event()
    observed = []

    def slow(cancel, progress):
        started.set()
        try:
            cancel.sleep(5)
        except Cancelled:
            observed.append("cancelled")
            raise

    runner.run(slow, on_success=lambda v: None, key="k")
    assert started.wait(5)
    runner.run(lambda c, p: None, on_success=lambda v: None, key="k")
    qtbot.waitUntil(lambda: observed == ["cancelled"])


def test_api_errors_reach_on_error(qtbot, runner):
    errors = []

    def job(cancel, progress):
        raise NetworkError("The server could not be reached.")

    runner.run(job, on_success=lambda v: None, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert isinstance(errors[0], NetworkError)


def test_a_bug_in_a_job_becomes_a_message_not_a_crash(qtbot, runner, caplog):
    errors = []

    def job(cancel, progress):
        raise KeyError("boom")

    runner.run(job, on_success=lambda v: None, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert isinstance(errors[0], UnexpectedError)
    assert "KeyError" in str(errors[0])


def test_cancel_by_key_calls_on_cancelled(qtbot, runner):
    started = threading.Event()
    cancelled = []

    def job(cancel, progress):
        started.set()
        cancel.sleep(5)
        return "finished"

    runner.run(job, on_success=lambda v: None, on_cancelled=lambda: cancelled.append(True), key="k")
    assert started.wait(5)
    runner.cancel("k")
    qtbot.waitUntil(lambda: cancelled == [True])
    assert not runner.is_running("k")


def test_progress_is_delivered_in_order(qtbot, runner):
    seen = []

    def job(cancel, progress):
        for i in range(1, 4):
            progress(i, 3)
        return None

    done = []
    runner.run(job, on_success=done.append, on_progress=lambda d, t: seen.append((d, t)))
    qtbot.waitUntil(lambda: done == [None])
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_shutdown_cancels_and_waits_for_every_thread(qapp):
    runner = TaskRunner()
    started = threading.Event()
    finished = threading.Event()

    def job(cancel, progress):
        started.set()
        try:
            cancel.sleep(30)
        finally:
            finished.set()

    runner.run(job, on_success=lambda v: None)
    assert started.wait(5)
    assert runner.shutdown(5000)
    assert finished.is_set()
    assert runner.active_count == 0
    with pytest.raises(RuntimeError):
        runner.run(job, on_success=lambda v: None)


def test_shutdown_waits_briefly_and_keeps_a_busy_thread_alive_until_it_ends(qtbot, qapp):
    from viewer import tasks

    runner = TaskRunner()
    started, release = threading.Event(), threading.Event()
    results = []

    def deaf(cancel, progress):  # pays no attention to cancelling
        started.set()
        release.wait(10)
        return "late"

    runner.run(deaf, on_success=results.append)
    assert started.wait(5)
    assert not runner.shutdown(100)
    assert runner.active_count == 0 and tasks.detached_count() == 1
    runner.deleteLater()  # the runner goes; the thread it ran must not go with it
    del runner
    qtbot.wait(50)
    release.set()
    qtbot.waitUntil(lambda: tasks.detached_count() == 0)
    assert results == []  # its answer, after shutdown, is dropped


def test_an_answer_already_on_its_way_when_cancelled_does_not_land(qtbot, runner):
    from PySide6.QtCore import Qt

    gate, emitted = threading.Event(), threading.Event()
    results, cancelled = [], []
    handle = runner.run(
        lambda cancel, progress: "answer" if gate.wait(5) else None,
        on_success=results.append,
        on_cancelled=lambda: cancelled.append(True),
        key="k",
    )
    worker = runner._threads[handle.id][1]
    worker.outcome.connect(lambda *_: emitted.set(), Qt.ConnectionType.DirectConnection)
    gate.set()
    assert emitted.wait(5)  # the answer is queued to the GUI thread, not yet delivered
    runner.cancel("k")
    qtbot.waitUntil(lambda: cancelled == [True])
    assert results == []


def test_held_jobs_wait_for_the_release_and_then_deliver(qtbot, runner):
    results = []
    release = hold_job_starts()
    try:
        handle = runner.run(lambda cancel, progress: "first", on_success=results.append)
        thread = runner._threads[handle.id][0]
        assert not thread.isRunning() and not thread.isFinished()  # held: not started
        assert runner.active_count == 1
    finally:
        release()
    qtbot.waitUntil(lambda: results == ["first"])
    runner.run(lambda cancel, progress: "after", on_success=results.append)
    qtbot.waitUntil(lambda: results == ["first", "after"])  # no hold once released
    release()  # twice is harmless
    qtbot.waitUntil(lambda: runner.active_count == 0)


def test_a_held_job_of_a_runner_shut_down_before_the_release_never_runs(qtbot, qapp):
    gone = TaskRunner()
    release = hold_job_starts()
    try:
        handle = gone.run(lambda cancel, progress: None, on_success=lambda _: None)
        thread = gone._threads[handle.id][0]
        assert gone.shutdown(1000)
    finally:
        release()
    assert not thread.isRunning() and not thread.isFinished()
    assert detached_count() == 0
