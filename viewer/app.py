"""The GUI entry point: builds the application and its main window."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from viewer import APP_NAME, ORG_NAME, __version__
from viewer.connections import Connections, ServiceConfig
from viewer.ui.main_window import MainWindow

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def application() -> QApplication:
    """The running QApplication, created and named on first use."""
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "activity-viewer"])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    icon = RESOURCES / "icons" / "app.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app  # type: ignore[return-value]


def create_window(
    argv: Sequence[str] | None = None, *, settings: QSettings | None = None
) -> MainWindow:
    """Build the main window for the given arguments (without the program name).

    Does not run the event loop. With ``--demo`` an embedded demo server starts on a free
    loopback port and stops when the window closes; the keyring is not touched.
    """
    from viewer.cli import parse_gui_args

    args = parse_gui_args(list(argv or []))
    application()
    if settings is None:
        settings = QSettings()
    server = None
    if args.demo:
        from viewer.demo.server import DemoServer

        server = DemoServer(
            seed=args.demo_seed, users=args.demo_users, inbox=args.demo_inbox
        ).start()
        connections = Connections(
            ServiceConfig(server.url, server.pathway_token),
            ServiceConfig(server.url, server.activity_token),
            demo=True,
        )
    else:
        connections = Connections()
    window = MainWindow(connections, settings)
    if server is not None:
        window.add_close_hook(server.stop)
    return window


def run_gui(argv: Sequence[str]) -> int:
    window = create_window(argv)
    window.show()
    return application().exec()
