"""The main window: two tabs, a menu, a status bar, and an orderly shutdown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QWidget

from viewer import APP_NAME, __version__
from viewer.connections import Connections
from viewer.ui.inbox_tab import InboxTab
from viewer.ui.pathway_tab import PathwayTab


class MainWindow(QMainWindow):
    def __init__(
        self,
        connections: Connections,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.connections = connections
        self.settings = settings
        self._on_close: list[Callable[[], None]] = []
        title = APP_NAME + (" — demo data" if connections.demo else "")
        self.setWindowTitle(title)
        self.resize(1200, 780)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.pathway_tab = PathwayTab(connections, settings, self.tabs)
        self.inbox_tab = InboxTab(connections, settings, self.tabs)
        self.tabs.addTab(self.pathway_tab, "Pathway logs")
        self.tabs.addTab(self.inbox_tab, "Activity inbox")
        self.setCentralWidget(self.tabs)
        for tab in (self.pathway_tab, self.inbox_tab):
            tab.titleChanged.connect(self._set_tab_title)
            tab.statusMessage.connect(self._show_status)
        self._build_menus()
        self.statusBar().showMessage("Ready", 3000)
        self._restore_state()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.file_menu = file_menu
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("&View")
        for index, key in ((0, "Ctrl+1"), (1, "Ctrl+2")):
            action = QAction(self.tabs.tabText(index), self)
            action.setShortcut(QKeySequence(key))
            action.setData(index)
            action.triggered.connect(self._show_tab_from_action)
            view_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction(f"&About {APP_NAME}", self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    @Slot(str)
    def _set_tab_title(self, title: str) -> None:
        sender = self.sender()
        index = self.tabs.indexOf(sender) if isinstance(sender, QWidget) else -1
        if index >= 0:
            self.tabs.setTabText(index, title)

    @Slot(str)
    def _show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def _show_tab_from_action(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.tabs.setCurrentIndex(int(action.data()))

    def _about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(f"About {APP_NAME}")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            f"{APP_NAME} {__version__}\n\nPathway progress and activity logs, on your desktop."
        )
        box.open()

    def add_close_hook(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` after the tabs have stopped their work, when the window closes."""
        self._on_close.append(hook)

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        tab = self.settings.value("window/tab", 0, type=int)
        if 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/tab", self.tabs.currentIndex())
        self.pathway_tab.shutdown()
        self.inbox_tab.shutdown()
        self.connections.close()
        while self._on_close:
            self._on_close.pop(0)()
        self.settings.sync()
        super().closeEvent(event)
