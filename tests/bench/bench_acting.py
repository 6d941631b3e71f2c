"""Benchmark of the Groups and Follow-up views: run as ``python tests/bench/bench_acting.py``.

A demo server (20,000 users x 20 activities, 400,000 logs, by default) answers one fetch in
the real ``PathwayTab`` offscreen; printed are the time of each count alone (``group_rows``,
``follow_up_rows``) and, in the tab, from opening each view until its rows are shown (a
view counts in the tab's worker once it is shown, so the GUI thread stays free meanwhile).

Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PATHWAY = "Become A Store Owner"
TARGET_MS = 200.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--activities", type=int, default=20)
    args = parser.parse_args()

    from PySide6.QtCore import QElapsedTimer, QSettings
    from PySide6.QtWidgets import QApplication

    from viewer.connections import Connections
    from viewer.demo.server import DemoServer
    from viewer.pathway.follow_up import follow_up_rows
    from viewer.pathway.groups import group_rows
    from viewer.pathway.ui.tab import FETCH_KEY, PathwayTab

    app = QApplication(sys.argv)
    server = DemoServer(seed=1, users=args.users, inbox=10, activities=args.activities).start()
    server.warm(PATHWAY)
    connections = Connections.to_demo_server(server)
    folder = tempfile.mkdtemp()
    tab = PathwayTab(connections, QSettings(f"{folder}/s.ini", QSettings.Format.IniFormat))
    tab.resize(1200, 780)
    tab.show()

    def wait(condition) -> None:  # type: ignore[no-untyped-def]
        timer = QElapsedTimer()
        timer.start()
        while not condition() and timer.elapsed() < 120_000:
            app.processEvents()
            time.sleep(0.001)

    tab.pathway_input.setEditText(PATHWAY)
    tab.fetch_button.click()
    wait(lambda: tab.data is not None and not tab.runner.is_running(FETCH_KEY))
    ready = {}
    for view in (tab.acting.groups, tab.acting.follow_up):
        start = time.perf_counter()
        tab.views.setCurrentWidget(view)  # a view counts once it is shown
        wait(view.rows)
        ready[view.objectName()] = (time.perf_counter() - start) * 1000
    data = tab.data
    assert data is not None
    timings = {}
    for name, count in (("group_rows", group_rows), ("follow_up_rows", follow_up_rows)):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            count(data)
            best = min(best, (time.perf_counter() - start) * 1000)
        timings[name] = best
    print(f"{len(data.users):,} users x {len(data.activities)} activities")
    for name, ms in timings.items():
        print(f"{name}: {ms:.0f} ms (best of 3)")
    for name, ms in ready.items():
        verdict = "ok" if ms <= TARGET_MS else "SLOW"
        print(f"{name}: opened -> rows shown: {ms:.0f} ms ({verdict}, target {TARGET_MS:.0f})")
    tab.shutdown()
    connections.close()
    server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
