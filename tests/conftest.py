"""Shared fixtures: an offscreen Qt, isolated settings and keyring, a real demo server."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QSettings, QStandardPaths

from viewer.connections import Connections


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything at the end of a test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Never the developer's own keyring."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True, scope="session")
def _isolated_settings_root(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Any QSettings() made without a path writes under a temporary folder."""
    # Data folders (snapshots) too: Qt's test mode keeps them apart from the user's own.
    QStandardPaths.setTestModeEnabled(True)
    root = tmp_path_factory.mktemp("settings-root")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(root))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(root / "system"))


@pytest.fixture(autouse=True, scope="session")
def _isolated_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Headless exports keep saved copies in the app's data folder: a temporary one here,
    for this process and every command it starts."""
    root = tmp_path_factory.mktemp("data-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(root))
        yield root


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def demo_server():
    """A fresh demo server on 127.0.0.1 with small generated data."""
    from viewer.demo.server import DemoServer

    server = DemoServer(seed=7, users=60, inbox=230, activities=8).start()
    yield server
    server.stop()


@pytest.fixture
def connections(demo_server) -> Iterator[Connections]:
    conns = Connections.to_demo_server(demo_server)
    yield conns
    conns.close()


@pytest.fixture
def store(tmp_path: Path):
    from viewer.snapshots import SnapshotStore

    return SnapshotStore(tmp_path / "snapshots")


@pytest.fixture
def saving_tab(qtbot, connections, settings, store):
    """A pathway tab on the demo server that keeps a snapshot of every fetch."""
    from viewer.pathway.ui.tab import PathwayTab

    widget = PathwayTab(connections, settings, snapshots=store)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    yield widget
    widget.shutdown()


# -- leak check for every Qt test ---------------------------------------------------------

_started_threads: list = []


@pytest.fixture(autouse=True, scope="session")
def _record_started_qthreads() -> Iterator[None]:
    """Note every QThread started, so a test that leaves one running can be named."""
    from PySide6.QtCore import QThread

    original = QThread.start

    def start(self, *args, **kwargs):
        _started_threads.append(self)
        return original(self, *args, **kwargs)

    QThread.start = start  # type: ignore[method-assign]
    yield
    QThread.start = original  # type: ignore[method-assign]


def _flush_deferred_deletes() -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(3):  # a deletion can post another (a parent's children, a thread's worker)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def _describe(obj) -> str:
    name = obj.objectName()
    return f"{type(obj).__name__}" + (f" {name!r}" if name else "")


#: Top-level widgets Qt makes for itself and keeps (a tooltip label is reused, not deleted).
_QT_OWN_WINDOWS = frozenset({"QTipLabel"})


@pytest.fixture(autouse=True)
def qt_leak_check(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a Qt test that leaves a QThread running, a window undeleted or a timer active.

    It runs after every other fixture's teardown (and after pytest-qt closed the widgets
    given to ``qtbot.addWidget``), once deferred deletions have been carried out. A leak found
    is cleaned up here so it cannot spill into the next test.
    """
    if not {"qapp", "qtbot"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("qapp")
    before = qt_snapshot()
    yield
    problems = qt_leaks(before, clean_up=True)
    if problems:
        pytest.fail("Qt objects leaked by this test:\n" + "\n".join(problems), pytrace=False)


def qt_snapshot() -> set[int]:
    """The top-level widgets that exist now; forgets the QThreads started so far."""
    import shiboken6
    from PySide6.QtWidgets import QApplication

    _started_threads.clear()
    return {shiboken6.getCppPointer(w)[0] for w in QApplication.topLevelWidgets()}


def qt_leaks(before: set[int], *, clean_up: bool = False) -> list[str]:
    """What was left behind since ``qt_snapshot``: running QThreads, windows, their timers."""
    import shiboken6
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    _flush_deferred_deletes()
    problems: list[str] = []
    threads = [t for t in _started_threads if shiboken6.isValid(t) and t.isRunning()]
    for thread in threads:
        problems.append(f"QThread {thread.objectName() or '(unnamed)'} is still running")
    widgets = [
        w
        for w in QApplication.topLevelWidgets()
        if shiboken6.getCppPointer(w)[0] not in before
        and w.metaObject().className() not in _QT_OWN_WINDOWS
    ]
    for widget in widgets:
        state = "visible" if widget.isVisible() else "hidden"
        problems.append(f"top-level {_describe(widget)} was left undeleted ({state})")
        timers = [t for t in widget.findChildren(QTimer) if t.isActive()]
        problems += [f"  with an active timer {_describe(t)}" for t in timers]
    if clean_up:
        _started_threads.clear()
        for thread in threads:
            thread.quit()
            thread.wait(10000)
        for widget in widgets:
            widget.close()
            widget.deleteLater()
        _flush_deferred_deletes()
    return problems


# -- a dark palette -----------------------------------------------------------------------


@pytest.fixture
def dark_app(qapp) -> Iterator[None]:
    """The application in Fusion style with a dark palette, as on a dark desktop; the
    style and palette it had come back afterwards."""
    from PySide6.QtWidgets import QApplication

    from tests.palettes import dark_palette

    style, palette = qapp.style().name(), QApplication.palette()
    QApplication.setStyle("Fusion")
    QApplication.setPalette(dark_palette())
    yield
    QApplication.setPalette(palette)
    QApplication.setStyle(style)
