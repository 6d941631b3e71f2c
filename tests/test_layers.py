"""The layering the code relies on: Qt stays out of the cores, and no module imports itself.

The cores run in the headless ``export`` command and in worker threads, and are tested
without a display; a Qt import that creeps in (often through a helper in a ``ui`` module)
would make them need one. Modules are found on disk, so a new one is checked without being
listed anywhere.
"""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp

import viewer

ROOT = Path(__file__).resolve().parent.parent
QT_PACKAGES = ("PySide6", "shiboken6")


def _modules(path: Path, prefix: str) -> Iterator[str]:
    """Every module below ``path``, found without importing any of them."""
    for info in pkgutil.iter_modules([str(path)], prefix):
        yield info.name
        if info.ispkg:
            yield from _modules(path / info.name.rpartition(".")[2], info.name + ".")


def is_qt_side(name: str) -> bool:
    """Whether ``name`` may use Qt: */ui/, widgets/, window/, tasks.py and app.py."""
    parts = name.split(".")
    return (
        "ui" in parts[1:]
        or parts[1:2] in (["widgets"], ["window"])
        or name in ("viewer.tasks", "viewer.app")
    )


def core_modules() -> list[str]:
    package = Path(viewer.__file__).parent
    return sorted(name for name in _modules(package, "viewer.") if not is_qt_side(name))


# Runs in a fresh interpreter. Importing Qt is refused rather than allowed, so that one
# offender does not hide the next: every module is judged on its own imports.
_PROBE = """
import importlib, json, sys

QT = tuple(sys.argv[1].split(","))
attempts = {}
current = [None]


class RefuseQt:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in QT:
            return None
        frame = sys._getframe(1)
        while frame is not None and frame.f_globals.get("__name__", "").startswith(
            ("importlib", "_frozen_importlib", "__main__")
        ):
            frame = frame.f_back
        by = frame.f_globals.get("__name__", "?") if frame is not None else "?"
        attempts.setdefault(current[0], f"{name} (imported by {by})")
        raise ImportError(f"{name} is refused here")


sys.meta_path.insert(0, RefuseQt())
failures = {}
for module in sys.argv[2:]:
    current[0] = module
    try:
        importlib.import_module(module)
    except Exception as exc:
        failures[module] = f"{type(exc).__name__}: {exc}"
    loaded = sorted(m for m in sys.modules if m.partition(".")[0] in QT)
    if loaded:
        attempts.setdefault(module, ", ".join(loaded) + " loaded")
print(json.dumps({"qt": attempts, "failed": failures}))
"""


def test_the_module_list_covers_the_cores() -> None:
    found = core_modules()
    for name in ("viewer.api.http", "viewer.jobs", "viewer.pathway.data", "viewer.inbox.query"):
        assert name in found
    for name in ("viewer.pathway.ui.tab", "viewer.widgets.banner", "viewer.window.main_window"):
        assert name not in found and is_qt_side(name)
    assert not is_qt_side("viewer.export.rows") and not is_qt_side("viewer.cli")


def test_core_modules_import_without_loading_qt() -> None:
    modules = core_modules()
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, ",".join(QT_PACKAGES), *modules],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    qt = report["qt"]
    assert not qt, "Qt-free modules that import Qt:\n" + "\n".join(
        f"  {module}: {what}" for module, what in sorted(qt.items())
    )
    assert not report["failed"], report["failed"]


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def _one_cycle(graph: grimp.ImportGraph, component: list[str]) -> str:
    """A concrete circle through the first module of ``component``, as ``a -> b -> a``."""
    start = component[0]
    step = min(m for m in graph.find_modules_directly_imported_by(start) if m in component)
    back = graph.find_shortest_chain(importer=step, imported=start)
    return " -> ".join([start, *(back or (step, start))])


def test_no_import_cycles_between_modules() -> None:
    # Imports under TYPE_CHECKING count too, as they do for lint-imports: a circle there
    # still ties the two modules together.
    graph = grimp.build_graph("viewer", cache_dir=None)
    assert len(graph.modules) > 50  # the whole package, not an empty graph
    cycles = _cycles(graph)
    assert not cycles, "Import circles:\n" + "\n".join(
        f"  {_one_cycle(graph, component)}" for component in cycles
    )
