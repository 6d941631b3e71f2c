"""The window opens without loading the HTTP stack: httpx comes with the first request.

Importing httpx (and httpcore under it) takes about as long as building the whole window,
so an eager ``import httpx`` anywhere on the window's import path shows as a slower start.
Each check runs in a fresh interpreter, where nothing has been imported yet.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _loaded_after(statement: str, modules: tuple[str, ...]) -> dict[str, bool]:
    report = f"print(json.dumps({{m: m in sys.modules for m in {modules!r}}}))"
    program = f"import json, sys\n{statement}\n{report}"
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded: dict[str, bool] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize(
    "module", ["viewer.window.main_window", "viewer.app", "viewer.connections", "viewer.api"]
)
def test_importing_the_window_does_not_import_httpx(module: str) -> None:
    loaded = _loaded_after(f"import {module}", ("httpx", "httpcore", "viewer.api.transport"))
    assert loaded == {"httpx": False, "httpcore": False, "viewer.api.transport": False}


def test_a_client_still_loads_httpx_when_made() -> None:
    """The deferred import is real: making a client brings the transport in."""
    loaded = _loaded_after(
        "from viewer.api import PathwayClient\n"
        "PathwayClient('http://127.0.0.1:9', 'token').close()",
        ("httpx", "viewer.api.transport"),
    )
    assert loaded == {"httpx": True, "viewer.api.transport": True}


def test_opening_the_window_leaves_the_export_writers_unloaded() -> None:
    """They load at the first export: the tabs only name their scopes when built."""
    writers = ("viewer.export.rows", "viewer.export.views", "viewer.export.xlsx_file")
    loaded = _loaded_after("import viewer.app", writers)
    assert loaded == dict.fromkeys(writers, False)


def test_importing_the_window_leaves_the_inbox_tab_unloaded() -> None:
    """The demo window makes it after its first paint, behind the pathway tab on screen."""
    loaded = _loaded_after("import viewer.app", ("viewer.inbox.ui.tab",))
    assert loaded == {"viewer.inbox.ui.tab": False}


def test_importing_the_window_leaves_the_fold_helper_and_subprocesses_unloaded() -> None:
    """The helper process is started after the first paint; so is its module."""
    modules = ("viewer.pathway.fold_helper", "subprocess", "pickle")
    loaded = _loaded_after("import viewer.app", modules)
    assert loaded == dict.fromkeys(modules, False)
