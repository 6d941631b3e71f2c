"""A window with stuck requests, closed, as a program of its own: it must exit 0, not abort.

Run by ``test_stuck_requests`` as ``python -m tests.faults.stuck_window SETTINGS_FILE``.
It prints ``closed_in=SECONDS`` and ``requests=N`` (requests the silent server held).
A QThread destroyed while still running aborts the whole process (status 134), which only a
process of its own can show.
"""

from __future__ import annotations

import sys
import threading
import time

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from tests.faults.hostile import HostileServer, silent
from viewer.app import application, wait_for_background_work
from viewer.connections import Connections, ServiceConfig
from viewer.window.main_window import MainWindow


def _spin_until(condition, timeout: float = 60.0) -> None:
    """Process events until ``condition`` holds; the whole suite on two busy cores can hold
    the inbox's first request back for many seconds, so the wait is generous."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out waiting for the requests to arrive")
        QApplication.processEvents()
        time.sleep(0.01)


def main(settings_file: str) -> int:
    application()
    server = HostileServer(silent()).start()
    connections = Connections(ServiceConfig(server.url, "token"), ServiceConfig(server.url, "t"))
    window = MainWindow(connections, QSettings(settings_file, QSettings.Format.IniFormat))
    window.show()
    tab = window.pathway_tab
    tab.pathway_input.setEditText("Pathway A")
    for _ in range(4):  # four fetch/cancel cycles, then one left running
        asked = len(server.requests)
        tab.fetch_button.click()
        _spin_until(lambda asked=asked: len(server.requests) > asked)
        tab.cancel_button.click()
    tab.fetch_button.click()
    # And a job that pays no attention to cancelling at all, still busy at close.
    release = threading.Event()
    tab.runner.run(lambda cancel, progress: release.wait(3.0), on_success=lambda _: None)
    _spin_until(lambda: len(server.requests) >= 6)  # the inbox's first requests too
    held = len(server.requests)
    started = time.monotonic()
    window.close()
    closed_in = time.monotonic() - started
    window.deleteLater()
    QApplication.processEvents()
    print(f"closed_in={closed_in:.3f} requests={held}", flush=True)
    code = wait_for_background_work(0)
    server.stop()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
