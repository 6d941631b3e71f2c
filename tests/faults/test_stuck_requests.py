"""Cancel and close with requests stuck on servers that trickle or never answer."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.faults.hostile import HostileServer, pathway_answer, silent, trickle
from viewer.connections import Connections, ServiceConfig
from viewer.pathway.ui.tab import FETCH_KEY, PathwayTab
from viewer.window.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
#: Long enough that only cancelling ends a request within a test.
PATIENT = httpx.Timeout(30.0)
#: Far above the fraction of a second cancelling takes, far below any timeout.
PROMPTLY_MS = 1500


@pytest.fixture
def trickling() -> Iterator[HostileServer]:
    with HostileServer(trickle(pathway_answer(), interval=1.0, headers_first=True)) as server:
        yield server


def _connections(url: str) -> Connections:
    return Connections(ServiceConfig(url, "token"), ServiceConfig(url, "token"), timeout=PATIENT)


@pytest.fixture
def tab(qtbot, trickling, settings) -> Iterator[PathwayTab]:
    connections = _connections(trickling.url)
    widget = PathwayTab(connections, settings)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()
    connections.close()


def test_cancel_on_a_trickling_server_leaves_the_tab_idle_once_the_worker_stopped(
    qtbot, tab, trickling
):
    tab.pathway_input.setEditText("Pathway A")
    tab.fetch_button.click()
    qtbot.waitUntil(lambda: bool(trickling.requests))
    tab.cancel_button.click()
    # Until the worker has really stopped, the tab says so rather than looking idle.
    if tab.runner.active_count:
        assert tab.progress.isVisible() and tab.progress.format() == "Cancelling…"
        assert not tab.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: tab.runner.active_count == 0, timeout=PROMPTLY_MS)
    qtbot.waitUntil(lambda: not tab.progress.isVisible())
    assert not tab.runner.is_running(FETCH_KEY) and tab.banner.isHidden() and tab.data is None


def test_a_window_with_stuck_requests_closes_at_once(qtbot, settings):
    with HostileServer(silent()) as server:
        connections = _connections(server.url)
        window = MainWindow(connections, settings)
        qtbot.addWidget(window)
        window.show()
        tab = window.pathway_tab
        tab.pathway_input.setEditText("Pathway A")
        for _ in range(4):
            asked = len(server.requests)
            tab.fetch_button.click()
            qtbot.waitUntil(lambda asked=asked: len(server.requests) > asked)
        started = time.monotonic()
        window.close()
        closed_in = time.monotonic() - started
        assert window.pathway_tab.runner.active_count == 0
        assert window.inbox_tab.runner.active_count == 0
    assert closed_in < PROMPTLY_MS / 1000


def test_closing_with_stuck_requests_never_aborts_the_program(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-m", "tests.faults.stuck_window", str(tmp_path / "settings.ini")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "QThread: Destroyed" not in result.stderr
    figures = dict(part.split("=") for part in result.stdout.split())
    assert float(figures["closed_in"]) < PROMPTLY_MS / 1000, result.stdout
    assert int(figures["requests"]) >= 6
