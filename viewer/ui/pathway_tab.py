"""The pathway logs tab."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from viewer.connections import PATHWAY_SERVICE, Connections
from viewer.ui.empty_state import EmptyState


class PathwayTab(QWidget):
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
        self.setObjectName("pathwayTab")
        self.connections = connections
        layout = QVBoxLayout(self)
        if connections.is_configured(PATHWAY_SERVICE):
            message = "Enter a pathway's name or ID and press Fetch to see its logs."
        else:
            message = "No server is set up for this tab. Open File > Connections… to add one."
        self.empty_state = EmptyState("Pathway logs", message, self)
        layout.addWidget(self.empty_state)

    def shutdown(self) -> None:
        """Stop background work; called when the window closes."""
