"""The inbox core loads without Qt, so it can run (and be tested) where no GUI is."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "viewer.inbox.paging",
    "viewer.inbox.query",
    "viewer.inbox.rows",
    "viewer.inbox.saved",
    "viewer.inbox.state",
]


@pytest.mark.parametrize("module", CORE)
def test_the_inbox_core_imports_without_qt(module: str):
    code = (
        f"import sys, {module}; "
        "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))); "
        "print(loaded); raise SystemExit(1 if loaded else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
