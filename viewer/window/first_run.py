"""Shown above the tabs while no server is set up: connect to one, or open the demo data."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from viewer.widgets.tones import INFO, surface_style


class FirstRunPanel(QFrame):
    connectRequested = Signal()
    demoRequested = Signal()

    def __init__(self, parent: QWidget | None = None, *, demo_available: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunPanel")
        self.setStyleSheet(surface_style(INFO, "QFrame#firstRunPanel"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        text = QVBoxLayout()
        title = QLabel("No server is set up yet", self)
        title.setTextFormat(Qt.TextFormat.PlainText)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        body = QLabel(
            "Connect to your pathway-logs and activity-log servers with their address and "
            "token, or look around with generated demo data first.",
            self,
        )
        body.setTextFormat(Qt.TextFormat.PlainText)
        body.setWordWrap(True)
        text.addWidget(title)
        text.addWidget(body)
        layout.addLayout(text, 1)
        self.connect_button = QPushButton("Connect to a server…", self)
        self.connect_button.setObjectName("firstRunConnect")
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.connectRequested)
        self.demo_button = QPushButton("Open demo data", self)
        self.demo_button.setObjectName("firstRunDemo")
        self.demo_button.clicked.connect(self.demoRequested)
        self.demo_button.setVisible(demo_available)
        layout.addWidget(self.connect_button)
        layout.addWidget(self.demo_button)
