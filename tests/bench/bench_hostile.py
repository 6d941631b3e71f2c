"""What hostile servers cost: run as ``python tests/bench/bench_hostile.py [--repeat N]``.

Against loopback servers of its own (``tests/faults/hostile.py``), prints:

- bomb: the export command's peak RSS (``/usr/bin/time -v``), status and message on a 4 MB
  gzip bomb that expands to 4 GB (a pathway name of 4 GB);
- tiny logs: the same for a 3 MB gzip body of 1,000,000 tiny logs (each a distinct user);
- cancel → idle: in the pathway tab (offscreen), from clicking Cancel during a fetch from a
  server trickling a byte a second until the tab is idle and its worker has ended;
- close: from ``close()`` of the main window with four requests stuck on a silent server
  (the pathway fetch and the inbox's first requests) until it returns.

Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.faults.hostile import (  # noqa: E402
    HostileServer,
    gzip_bomb,
    head,
    pathway_answer,
    silent,
    trickle,
)

GOAL_MB = 500


def _export(url: str, folder: str) -> tuple[int, float, str]:
    """Status, peak RSS in MB and stderr of the export command run against ``url``."""
    env = {**os.environ, "VIEWER_TOKEN": "token", "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "viewer", "export", "pathway"]
    command += ["--server", url, "--pathway", "P", "--output", str(Path(folder) / "out.csv")]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    message = next((line for line in result.stderr.splitlines() if "viewer export:" in line), "")
    return result.returncode, int(peak.group(1)) / 1000 if peak else float("nan"), message


def _bomb_payload() -> bytes:
    prefix = b'{"status": "success", "data": [{"pathway": {"ID": "p", "name": "'
    packed = b"".join(gzip_bomb(4 << 30, prefix=prefix))
    return head(200, "OK", Content_Encoding="gzip", Content_Length=str(len(packed))) + packed


def _tiny_logs_payload() -> tuple[bytes, int, int]:
    log = '{"email":"u%d@e.x","status":{"state":"started"}}'
    logs = ",".join(log % i for i in range(10**6))
    body = (
        '{"status":"success","data":[{"pathway":{"ID":"p","name":"P"},"activities":'
        '[{"ID":"a","name":"A","logs":[' + logs + "]}]}]}"
    ).encode()
    packed = gzip.compress(body, 6)
    payload = head(200, "OK", Content_Encoding="gzip", Content_Length=str(len(packed))) + packed
    return payload, len(packed), len(body)


def _serve_bytes(payload: bytes) -> HostileServer:
    return HostileServer(lambda conn, request, stop: conn.sendall(payload)).start()


def bench_command_line() -> None:
    with tempfile.TemporaryDirectory() as folder:
        payload = _bomb_payload()
        server = _serve_bytes(payload)
        try:
            status, peak, message = _export(server.url, folder)
        finally:
            server.stop()
        print(
            f"bomb ({len(payload) / 1e6:.1f} MB gzip → 4.3 GB): status {status}, "
            f"peak RSS {peak:.0f} MB (goal < {GOAL_MB}); {message}"
        )
        payload, packed, expanded = _tiny_logs_payload()
        server = _serve_bytes(payload)
        try:
            status, peak, message = _export(server.url, folder)
        finally:
            server.stop()
        print(
            f"tiny logs ({packed / 1e6:.1f} MB gzip, {expanded / 1e6:.0f} MB JSON, 1M logs): "
            f"status {status}, peak RSS {peak:.0f} MB (goal < {GOAL_MB}) {message}"
        )


def _spin(condition, timeout: float = 30.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        QApplication.processEvents()
        time.sleep(0.001)


def bench_cancel(repeat: int) -> None:
    import httpx
    from PySide6.QtCore import QSettings

    from viewer.app import application
    from viewer.connections import Connections, ServiceConfig
    from viewer.pathway.ui.tab import PathwayTab

    application()
    server = HostileServer(trickle(pathway_answer(), interval=1.0, headers_first=True)).start()
    folder = tempfile.mkdtemp()
    connections = Connections(ServiceConfig(server.url, "t"), timeout=httpx.Timeout(60.0))
    tab = PathwayTab(connections, QSettings(f"{folder}/s.ini", QSettings.Format.IniFormat))
    tab.show()
    tab.pathway_input.setEditText("P")
    times = []
    for _ in range(repeat):
        asked = len(server.requests)
        tab.fetch_button.click()
        _spin(lambda asked=asked: len(server.requests) > asked)
        time.sleep(0.3)  # inside a read, with the first bytes of the body in
        started = time.perf_counter()
        tab.cancel_button.click()
        _spin(lambda: not tab.progress.isVisible() and tab.runner.active_count == 0)
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"cancel → idle (trickling server, {repeat} runs): median {statistics.median(times):.0f}"
        f" ms, max {max(times):.0f} ms (goal < 200)"
    )
    tab.shutdown()
    tab.deleteLater()
    connections.close()
    server.stop()


def bench_close(repeat: int) -> None:
    import httpx
    from PySide6.QtCore import QSettings

    from viewer.app import application
    from viewer.connections import Connections, ServiceConfig
    from viewer.window.main_window import MainWindow

    application()
    times, held = [], []
    for _ in range(repeat):
        server = HostileServer(silent()).start()
        folder = tempfile.mkdtemp()
        config = ServiceConfig(server.url, "t")
        conns = Connections(config, config, timeout=httpx.Timeout(60))
        window = MainWindow(conns, QSettings(f"{folder}/s.ini", QSettings.Format.IniFormat))
        window.show()
        window.pathway_tab.pathway_input.setEditText("P")
        window.pathway_tab.fetch_button.click()
        _spin(lambda server=server: len(server.requests) >= 4)
        held.append(len(server.requests))
        started = time.perf_counter()
        window.close()
        times.append((time.perf_counter() - started) * 1000)
        window.deleteLater()
        server.stop()
    print(
        f"close with {min(held)}-{max(held)} stuck requests ({repeat} runs): median "
        f"{statistics.median(times):.0f} ms, max {max(times):.0f} ms (goal < 1000)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    if not args.skip_cli:
        bench_command_line()
    bench_cancel(args.repeat)
    bench_close(args.repeat)
    from viewer.app import wait_for_background_work

    wait_for_background_work(0)


if __name__ == "__main__":
    main()
