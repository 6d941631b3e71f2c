"""What the main window expects of each of its tabs."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QWidget

from viewer.connections import Connections
from viewer.snapshots import Snapshot
from viewer.widgets.export_controller import ExportController


class ServiceTab(QWidget):
    """A tab showing one service: it reports its title, status and refused tokens upwards."""

    #: The tab's title changed (for example to carry an unread count).
    titleChanged = Signal(str)
    #: A short message for the window's status bar.
    statusMessage = Signal(str)
    #: The server refused the token of this service; the window should ask for a new one.
    credentialsRequested = Signal(str)

    #: File > Export CSV… opens this tab's export dialog; each tab sets it up in __init__.
    exporter: ExportController

    def __init__(
        self,
        connections: Connections,
        settings: QSettings,
        object_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.connections = connections
        self.settings = settings

    def status_widget(self) -> QWidget | None:
        """The tab's status line, which the window shows in its status bar (none: no line)."""
        return None

    def open_snapshot(self, snapshot: Snapshot) -> None:
        """Show a saved copy of this service's answer (File > Open snapshot…)."""
        raise NotImplementedError

    def shutdown(self) -> None:
        """Stop timers and background work and wait for it; called when the window closes."""
        raise NotImplementedError
