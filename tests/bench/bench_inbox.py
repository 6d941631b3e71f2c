"""How quick the activity inbox feels, against the demo server with 10,000 activities.

Run with ``python tests/bench/bench_inbox.py`` (pytest does not collect it). Prints:

- first page: from building and showing the tab to the first paint of the list with rows;
- scrolling to the end: how long, and the longest the GUI thread went without running a
  10 ms heartbeat timer (the time it was blocked);
- a click on an unread row: how long until the row's font is no longer bold, while the
  server is made slow, so the change is seen before the server answers.

Exits with status 1 when a target is missed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from viewer.connections import Connections, ServiceConfig
from viewer.demo.server import DemoServer
from viewer.inbox.ui.tab import InboxTab

INBOX = 10_000
FIRST_PAGE_MS = 300
BLOCKED_MS = 50
SLOW_SERVER_S = 1.0


class Heartbeat(QObject):
    """A 10 ms timer; the longest gap between its ticks is how long the GUI thread stalled."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self.reset()
        self._timer.start()

    def reset(self) -> None:
        self._last = time.perf_counter()
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def stop(self) -> None:
        self._timer.stop()


class PaintWatch(QObject):
    """Notes the time of the first paint of a widget after ``arm``, once ``ready`` holds."""

    def __init__(self, widget, ready: Callable[[], bool]) -> None:
        super().__init__()
        self._ready = ready
        self.painted_at: float | None = None
        widget.installEventFilter(self)

    def arm(self, ready: Callable[[], bool]) -> None:
        self._ready = ready
        self.painted_at = None

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted_at is None and self._ready():
            self.painted_at = time.perf_counter()
        return False


def run_until(condition: Callable[[], bool], timeout_s: float) -> None:
    """Run the real event loop until ``condition`` holds."""
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(2)
    check.timeout.connect(lambda: condition() and loop.quit())
    check.start()
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    if not condition():
        loop.exec()
    check.stop()
    if not condition():
        raise TimeoutError("the benchmark waited too long")


def main() -> int:
    app = QApplication.instance() or QApplication([])
    server = DemoServer(seed=3, inbox=INBOX).start()
    connections = Connections(None, ServiceConfig(server.url, server.activity_token), demo=True)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    heartbeat = Heartbeat()
    failures: list[str] = []
    tab = None
    try:
        # -- first page -------------------------------------------------------------------
        run_until(lambda: True, 0.1)
        started = time.perf_counter()
        tab = InboxTab(connections, settings)
        model, view = tab.model, tab.view
        watch = PaintWatch(view.viewport(), lambda: model.rowCount() > 0)
        tab.resize(1300, 800)
        tab.show()
        run_until(lambda: watch.painted_at is not None, 10)
        first_ms = (watch.painted_at - started) * 1000
        print(f"first page on screen:     {first_ms:7.1f} ms  (target < {FIRST_PAGE_MS} ms)")
        if first_ms >= FIRST_PAGE_MS:
            failures.append("first page")
        run_until(lambda: tab.counts is not None and not model.loading, 10)

        # -- scrolling to the very end ----------------------------------------------------
        def scroll() -> None:
            view.scrollToBottom()
            model.fetchMore()

        model.pageLoaded.connect(lambda *_: QTimer.singleShot(0, scroll))
        heartbeat.reset()
        started = time.perf_counter()
        scroll()
        run_until(lambda: model.exhausted and not model.loading, 120)
        run_until(lambda: True, 0.05)
        scroll_s = time.perf_counter() - started
        blocked_ms = heartbeat.longest * 1000
        uuids = [model.activity(r).uuid for r in range(model.rowCount())]
        print(
            f"scrolled to the end:      {scroll_s:7.2f} s   "
            f"({len(uuids)} rows, {len(set(uuids))} distinct, server total {model.total})"
        )
        print(f"longest GUI stall:        {blocked_ms:7.1f} ms  (target < {BLOCKED_MS} ms)")
        if blocked_ms >= BLOCKED_MS:
            failures.append("GUI stall while scrolling")
        if len(set(uuids)) != INBOX or len(uuids) != INBOX:
            failures.append("rows at the end")

        # -- a click on an unread row, with a slow server -----------------------------------
        top = view.rowAt(0)
        bottom = view.rowAt(view.viewport().height() - 1)
        bottom = model.rowCount() - 1 if bottom < 0 else bottom
        row = next(r for r in range(bottom, top - 1, -1) if not model.activity(r).is_read)
        index = model.index(row, 0)
        server.faults.set(latency=SLOW_SERVER_S, api="activity", times=1)
        watch.arm(lambda: not model.data(index, Qt.ItemDataRole.FontRole).bold())
        started = time.perf_counter()
        QTest.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
        )
        bold = model.data(index, Qt.ItemDataRole.FontRole).bold()
        changed_ms = (time.perf_counter() - started) * 1000
        run_until(lambda: watch.painted_at is not None, 5)
        painted_ms = (watch.painted_at - started) * 1000
        waiting = tab.marker.busy
        run_until(lambda: not tab.marker.busy, 10)
        answered_ms = (time.perf_counter() - started) * 1000
        print(
            f"click → not bold:         {changed_ms:7.1f} ms  (bold={bold}; painted after "
            f"{painted_ms:.1f} ms; server answered after {answered_ms:.0f} ms)"
        )
        if bold or not waiting or painted_ms >= answered_ms:
            failures.append("optimistic click")
        if model.data(index, Qt.ItemDataRole.FontRole).bold():
            failures.append("click rolled back")
    finally:
        heartbeat.stop()
        if tab is not None:
            tab.shutdown()
            tab.deleteLater()
        connections.close()
        server.stop()
        del app
    if failures:
        print("MISSED: " + ", ".join(failures))
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
