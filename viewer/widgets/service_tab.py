"""What the main window expects of each of its tabs."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QWidget

from viewer.connections import Connections


class ServiceTab(QWidget):
    """A tab showing one service: it reports its title, status and refused tokens upwards."""

    #: The tab's title changed (for example to carry an unread count).
    titleChanged = Signal(str)
    #: A short message for the window's status bar.
    statusMessage = Signal(str)
    #: The server refused the token of this service; the window should ask for a new one.
    credentialsRequested = Signal(str)

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

    def shutdown(self) -> None:
        """Stop timers and background work and wait for it; called when the window closes."""
        raise NotImplementedError
