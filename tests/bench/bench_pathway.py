"""Benchmark of the pathway tab on a large answer: run as ``python tests/bench/bench_pathway.py``.

A demo server (20,000 users x 20 activities by default) runs in a child process, so the
figures for memory and the GUI thread are this process's alone. The real ``PathwayTab`` is
built offscreen, Fetch is clicked, and these are printed:

- fetch → tree shown: from the click until the tree has painted the answer;
- longest GUI gap: the longest wait of a 10 ms heartbeat timer during that load;
- peak RSS and its ratio to the response size (also the growth over the RSS before the click);
- quick search: the longest of several keystrokes (filtering and repaint, without debounce);
- sort: the longest of several column sorts with a 20,000-log activity expanded.

Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PATHWAY = "Become A Store Owner"
TARGETS = {"load": 2.5, "gap": 100.0, "ratio": 3.0, "search": 100.0, "sort": 200.0}


def _serve(conn, users: int, activities: int) -> None:  # runs in the child process
    from viewer.demo.server import DemoServer

    server = DemoServer(seed=1, users=users, inbox=10, activities=activities).start()
    size = server.warm(PATHWAY)
    conn.send((server.url, server.pathway_token, size))
    conn.recv()
    server.stop()


def _rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB."""
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS", "VmHWM")):
                fields[line.split(":")[0]] = int(line.split()[1]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


class _PeakSampler(threading.Thread):
    """Samples RSS every few ms (VmHWM covers the whole process life, this only the load)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, _rss_mb()[0])
            time.sleep(0.005)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20000)
    parser.add_argument("--activities", type=int, default=20)
    args = parser.parse_args()

    context = mp.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_serve, args=(theirs, args.users, args.activities))
    child.start()
    print(f"demo server: {args.users:,} users x {args.activities} activities, warming…")
    url, token, data_size = ours.recv()

    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    from viewer.connections import Connections, ServiceConfig
    from viewer.pathway.columns import NAME, RESULT, STATE, UPDATED
    from viewer.pathway.ui.tab import PathwayTab
    from viewer.snapshots import SnapshotStore

    workdir = tempfile.mkdtemp(prefix="bench-pathway-")
    settings = QSettings(str(Path(workdir) / "settings.ini"), QSettings.Format.IniFormat)
    connections = Connections(ServiceConfig(url, token), demo=True)
    # Saving a snapshot of every fetch is part of what the app does, so it is measured too.
    tab = PathwayTab(connections, settings, snapshots=SnapshotStore(Path(workdir) / "snapshots"))
    tab.resize(1300, 800)
    tab.show()
    tab.pathway_input.setEditText(PATHWAY)
    for _ in range(5):
        app.processEvents()

    # -- load: click → tree painted, with a heartbeat measuring the GUI thread ------------
    ticks: list[float] = []
    loop = QEventLoop()
    heartbeat = QTimer()
    heartbeat.setInterval(10)
    shown: list[float] = []

    phases: list[str] = []

    def beat() -> None:
        ticks.append(time.perf_counter())
        phases.append("shown" if tab.data is not None else tab._progress_box.state[0])
        if tab.data is not None and not shown:
            tab.views.tree.viewport().repaint()
            shown.append(time.perf_counter())
            loop.quit()
        elif tab.banner.isVisible():
            loop.quit()

    heartbeat.timeout.connect(beat)
    rss_before = _rss_mb()[0]
    sampler = _PeakSampler()
    sampler.start()
    heartbeat.start()
    started = time.perf_counter()
    ticks.append(started)
    phases.append("click")
    tab.fetch_button.click()
    QTimer.singleShot(120_000, loop.quit)
    loop.exec()
    heartbeat.stop()
    sampler.running = False
    sampler.join()
    if not shown:
        print(f"fetch failed: {tab.banner.title}: {tab.banner.text}")
        return 1
    data = tab.data
    assert data is not None
    size_mb = data.response_size / 1e6
    load = shown[0] - started
    gaps = sorted(
        ((b - a) * 1000, phase) for a, b, phase in zip(ticks, ticks[1:], phases[1:], strict=False)
    )
    gap = gaps[-1][0]
    peak = max(sampler.peak, _rss_mb()[0])
    print(
        f"response: {size_mb:.1f} MB, {len(data.activities)} activities, "
        f"{len(data.users):,} users, {data.log_count:,} logs"
    )

    # -- quick search and sort with the largest activity expanded -------------------------
    views = tab.views
    model = views.tree_model
    root = model.index(0, 0)
    sizes = [model.rowCount(model.index(r, 0, root)) for r in range(model.rowCount(root))]
    largest = sizes.index(max(sizes))
    activity = model.index(largest, 0, root)
    t = time.perf_counter()
    views.tree.expand(activity)
    views.tree.scrollTo(activity, views.tree.ScrollHint.PositionAtTop)
    app.processEvents()
    views.tree.viewport().repaint()
    expand_ms = (time.perf_counter() - t) * 1000
    logs_shown = model.rowCount(activity)
    big = model.item_at(activity)[1]
    activity_key = (big.ID, big.name)

    def timed(action) -> float:
        """The action, the view's (delayed) relayout and a paint of the big activity."""
        t0 = time.perf_counter()
        action()
        index = model.activity_index(activity_key[0], activity_key[1])
        if index.isValid():  # keep the big activity's logs on screen, so they are drawn
            views.tree.scrollTo(index, views.tree.ScrollHint.PositionAtTop)
        app.processEvents()
        views.tree.viewport().repaint()
        return (time.perf_counter() - t0) * 1000

    search_times = []
    for text in ("s", "so", "soa", "soap", "soap@", "", "a", "an", "ana", ""):
        views.search_edit.setText(text)
        search_times.append(timed(views.apply_search))
    sort_times = {}
    for column, name in (
        (NAME, "name"),
        (STATE, "state"),
        (UPDATED, "last update"),
        (RESULT, "result"),
        (NAME, "name, descending"),
    ):
        order = Qt.SortOrder.DescendingOrder if "desc" in name else Qt.SortOrder.AscendingOrder
        sort_times[name] = timed(lambda c=column, o=order: views.tree.sortByColumn(c, o))
    views.setCurrentIndex(1)
    app.processEvents()
    matrix_sort = []
    for column in (0, 3, 6):
        t0 = time.perf_counter()
        views.matrix.sortByColumn(column, Qt.SortOrder.AscendingOrder)
        app.processEvents()
        views.matrix.viewport().repaint()
        matrix_sort.append((time.perf_counter() - t0) * 1000)

    tab.shutdown()
    connections.close()
    ours.send("stop")
    child.join(30)

    def mark(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    ratio = peak / size_mb
    search_max = max(search_times)
    sort_max = max(sort_times.values())
    print(
        f"fetch → tree shown:        {load:6.2f} s   (target ≤ {TARGETS['load']} s) "
        f"{mark(load <= TARGETS['load'])}"
    )
    print(
        f"longest GUI gap:           {gap:6.0f} ms  (target ≤ {TARGETS['gap']:.0f} ms) "
        f"{mark(gap <= TARGETS['gap'])}"
    )
    print(
        f"peak RSS:                  {peak:6.0f} MB  = {ratio:.2f} x response "
        f"(target ≤ {TARGETS['ratio']}) {mark(ratio <= TARGETS['ratio'])}; "
        f"before click {rss_before:.0f} MB, growth {(peak - rss_before) / size_mb:.2f} x"
    )
    print(
        f"quick search keystroke:    {search_max:6.1f} ms  (max of {len(search_times)}; "
        f"target ≤ {TARGETS['search']:.0f} ms) {mark(search_max <= TARGETS['search'])}"
    )
    print(
        f"sort {logs_shown:,}-log activity:  {sort_max:6.1f} ms  (max; target ≤ "
        f"{TARGETS['sort']:.0f} ms) {mark(sort_max <= TARGETS['sort'])}"
    )
    print("  sorts: " + ", ".join(f"{k} {v:.0f} ms" for k, v in sort_times.items()))
    print("  searches: " + ", ".join(f"{v:.0f}" for v in search_times) + " ms")
    print("  longest gaps: " + ", ".join(f"{ms:.0f} ms ({phase})" for ms, phase in gaps[-4:]))
    print(
        f"  expand activity: {expand_ms:.0f} ms; matrix sorts: "
        + ", ".join(f"{v:.0f}" for v in matrix_sort)
        + " ms"
    )
    print(f"  server-side answer size {data_size / 1e6:.1f} MB; worker time {data.elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
