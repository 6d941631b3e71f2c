"""The leak check that runs after every Qt test does notice leaks."""

from __future__ import annotations

from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QWidget

from tests.conftest import qt_leaks, qt_snapshot


def test_a_window_left_open_with_a_running_timer_is_noticed(qapp):
    before = qt_snapshot()
    window = QWidget()
    window.setObjectName("leftOpen")
    timer = QTimer(window)
    timer.setObjectName("stillTicking")
    timer.start(10000)
    window.show()
    problems = qt_leaks(before, clean_up=True)
    assert any("leftOpen" in p and "visible" in p for p in problems), problems
    assert any("stillTicking" in p for p in problems), problems
    assert qt_leaks(before) == []  # cleaned up


def test_a_hidden_window_never_deleted_is_noticed(qapp):
    before = qt_snapshot()
    window = QWidget()
    window.setObjectName("neverDeleted")
    problems = qt_leaks(before, clean_up=True)
    assert any("neverDeleted" in p and "hidden" in p for p in problems), problems
    del window


def test_a_running_thread_is_noticed(qapp):
    before = qt_snapshot()
    thread = QThread()
    thread.setObjectName("stillRunning")
    thread.start()  # runs its event loop until told to quit
    problems = qt_leaks(before, clean_up=True)
    assert any("stillRunning" in p for p in problems), problems
    assert not thread.isRunning()


def test_a_window_deleted_later_is_not_a_leak(qapp):
    before = qt_snapshot()
    window = QWidget()
    window.show()
    window.close()
    window.deleteLater()
    assert qt_leaks(before) == []
