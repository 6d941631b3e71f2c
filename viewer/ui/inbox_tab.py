"""The activity inbox tab."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from viewer.connections import ACTIVITY_SERVICE, Connections
from viewer.ui.empty_state import EmptyState


class InboxTab(QWidget):
    #: The tab's title changed (for example to carry an unread count).
    titleChanged = Signal(str)
    #: A short message for the window's status bar.
    statusMessage = Signal(str)
    #: The server refused the token of this service; the window should ask for a new one.
    credentialsRequested = Signal(str)

    def __init__(
        self, connections: Connections, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("inboxTab")
        self.connections = connections
        layout = QVBoxLayout(self)
        if connections.is_configured(ACTIVITY_SERVICE):
            message = "Your activities will appear here."
        else:
            message = "No server is set up for this tab. Open File > Connections… to add one."
        self.empty_state = EmptyState("Activity inbox", message, self)
        layout.addWidget(self.empty_state)

    def shutdown(self) -> None:
        """Stop background work; called when the window closes."""
