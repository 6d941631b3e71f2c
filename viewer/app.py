"""The GUI entry point: builds the application and its main window."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from viewer import APP_NAME, ORG_NAME, __version__
from viewer.connections import Connections
from viewer.credentials import CredentialStore
from viewer.demo.reserved import ReservedDemo
from viewer.snapshots import DEFAULT_MAX_BYTES, SnapshotStore
from viewer.tasks import hold_job_starts, wait_for_detached
from viewer.widgets.first_paint import after_first_paint
from viewer.window.connection_settings import load_connections
from viewer.window.main_window import MainWindow

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def application() -> QApplication:
    """The running QApplication, created and named on first use."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "activity-viewer"])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    icon = RESOURCES / "icons" / "app.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def reserve_demo(*, seed: int = 1, users: int = 500, inbox: int = 1000) -> ReservedDemo:
    """The address of an embedded demo server on a free loopback port, not yet started.

    Its data moves by itself as time goes by: logs progress, activities arrive.
    """
    return ReservedDemo(seed=seed, users=users, inbox=inbox, clock=time.monotonic)


def start_demo(
    *, seed: int = 1, users: int = 500, inbox: int = 1000
) -> tuple[Connections, Callable[[], None]]:
    """Start the embedded demo server on a free loopback port.

    Returns connections to it (marked as demo, so nothing is saved or read from the
    keyring) and the function that stops it.
    """
    demo = reserve_demo(seed=seed, users=users, inbox=inbox)
    demo.start()
    return Connections.to_demo_server(demo), demo.stop


def snapshot_store(settings: QSettings) -> SnapshotStore:
    """Saved copies in the app's data folder, within the size cap set in the settings."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    megabytes = settings.value("snapshots/maxMegabytes", DEFAULT_MAX_BYTES // 1_000_000)
    try:
        # Whatever the settings hold: anything int() cannot take means the default.
        cap = max(1, int(megabytes)) * 1_000_000  # type: ignore[call-overload]
    except (TypeError, ValueError):
        cap = DEFAULT_MAX_BYTES
    return SnapshotStore(Path(folder) / "snapshots", max_bytes=cap)


class GuiArgs(Protocol):
    """The GUI's parsed command line (``viewer.cli.parse_gui_args``)."""

    demo: bool
    demo_seed: int
    demo_users: int
    demo_inbox: int


def create_window(
    args: GuiArgs,
    *,
    settings: QSettings | None = None,
    store: CredentialStore | None = None,
    demo_at_once: bool = False,
) -> MainWindow:
    """Build the main window for the parsed command line ``args``.

    Does not run the event loop. With ``--demo`` an embedded demo server listens on a free
    loopback port and stops when the window closes; the keyring is not touched. The server
    is loaded and started once the window has painted (its first requests wait for it on
    the socket), and the inbox tab made then too; or both before this returns with
    ``demo_at_once``, for callers that never show the window. Otherwise the saved
    connections are loaded, with their tokens from ``store`` (the system keyring by
    default).
    """
    application()
    if settings is None:
        settings = QSettings()

    def demo() -> tuple[Connections, Callable[[], None]]:
        return start_demo(seed=args.demo_seed, users=args.demo_users, inbox=args.demo_inbox)

    if args.demo:
        # Demo data is not kept: its copies live in a folder removed when the window closes.
        folder = tempfile.mkdtemp(prefix="activity-viewer-demo-")
        reserved = reserve_demo(seed=args.demo_seed, users=args.demo_users, inbox=args.demo_inbox)
        if demo_at_once:
            reserved.start()
        # The tabs' first jobs wait for the first paint too: nothing could answer them sooner.
        release_jobs: Callable[[], None] = (lambda: None) if demo_at_once else hold_job_starts()
        demo_connections = Connections.to_demo_server(reserved)
        try:
            window = MainWindow(
                demo_connections,
                settings,
                demo_starter=demo,
                # The progress history goes beside the copies, in the same temporary folder.
                snapshots=SnapshotStore(Path(folder) / "snapshots"),
                # The inbox tab is behind the first: made after the paint, with the server.
                inbox_later=not demo_at_once,
            )
        except BaseException:
            release_jobs()
            reserved.stop()
            raise

        def after_painting() -> None:
            window.build_inbox()
            reserved.start()
            release_jobs()
            demo_connections.warm()
            window.start_fold_helper()

        after_first_paint(window, after_painting)
        window.add_close_hook(release_jobs)  # ends the hold of a window closed unpainted
        window.add_close_hook(reserved.stop)
        window.add_close_hook(lambda: shutil.rmtree(folder, ignore_errors=True))
        return window
    store = store if store is not None else CredentialStore()
    connections, problems = load_connections(settings, store)
    window = MainWindow(
        connections,
        settings,
        store=store,
        demo_starter=demo,
        startup_problems=problems,
        snapshots=snapshot_store(settings),
    )

    def warm() -> None:
        # A first Fetch should not wait for the clients or the helper process.
        connections.warm()
        window.start_fold_helper()

    after_first_paint(window, warm)
    return window


#: How long the program waits, once its window is closed, for cancelled jobs still running.
_BACKGROUND_WAIT_MS = 10_000


def wait_for_background_work(code: int) -> int:
    """Let the jobs of closed tabs end before Python tears down, then return ``code``.

    Cancelled requests end within a fraction of a second. If some job is still busy after
    the wait, the process ends here: tearing down a running QThread would abort it instead.
    """
    if not wait_for_detached(_BACKGROUND_WAIT_MS):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def run_gui(args: GuiArgs) -> int:
    window = create_window(args)
    window.show()
    return wait_for_background_work(application().exec())
