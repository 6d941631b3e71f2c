"""The main window: two tabs, a menu, a status bar, and an orderly shutdown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSettings, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from viewer import APP_NAME, __version__
from viewer.auth.settings import APP, SIGN_IN
from viewer.connections import ACTIVITY_SERVICE, PATHWAY_SERVICE, Connections
from viewer.credentials import CredentialStore
from viewer.inbox.ui.settings import option_actions
from viewer.inbox.ui.tray import InboxTray
from viewer.pathway.ui.tab import PathwayTab
from viewer.snapshots import ACTIVITY, PATHWAY, Snapshot, SnapshotStore
from viewer.widgets.accessibility import name_controls
from viewer.widgets.banner import Banner
from viewer.widgets.export_controller import SHORTCUT as EXPORT_SHORTCUT
from viewer.widgets.service_tab import ServiceTab
from viewer.widgets.transient import open_transient
from viewer.window.connection_settings import has_saved_server
from viewer.window.first_run import FirstRunPanel
from viewer.window.session_watch import SessionKeeper
from viewer.window.wording import SERVICE_TITLES

if TYPE_CHECKING:  # the dialogs (and sign-in with Connections) are imported when first opened
    from viewer.inbox.ui.tab import InboxTab
    from viewer.pathway.fold_helper import FoldHelper
    from viewer.window.connections_dialog import ConnectionsDialog
    from viewer.window.shortcuts_dialog import ShortcutsDialog
    from viewer.window.snapshot_dialog import SnapshotDialog

#: Starts the demo server; returns its connections and what stops it.
DemoStarter = Callable[[], tuple[Connections, Callable[[], None]]]

#: Where each service's tab stands, and its title until the tab gives its own.
_TABS = {PATHWAY_SERVICE: (0, "Pathway logs"), ACTIVITY_SERVICE: (1, "Activity inbox")}

T = TypeVar("T", bound=ServiceTab)


class MainWindow(QMainWindow):
    def __init__(
        self,
        connections: Connections,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        store: CredentialStore | None = None,
        demo_starter: DemoStarter | None = None,
        startup_problems: Sequence[str] = (),
        snapshots: SnapshotStore | None = None,
        inbox_later: bool = False,
    ) -> None:
        """With ``inbox_later`` the inbox tab holds an empty page until ``build_inbox`` (or
        the first use of ``inbox_tab``) makes it: the first tab is the one shown at start."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.connections = connections
        self.settings = settings
        #: Saved copies of fetched answers (none: nothing is saved).
        self.snapshots = snapshots
        self.snapshot_dialog: SnapshotDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self._store = store
        self._demo_starter = demo_starter
        self._on_close: list[Callable[[], None]] = []
        self.connections_dialog: ConnectionsDialog | None = None
        self._tabs_configured: set[str] = set()
        self._inbox_tab: InboxTab | None = None
        #: The empty page holding the inbox tab's place until it is made.
        self._inbox_page: QWidget | None = None
        self._closed = False
        #: Folds part of large answers in a second process (``start_fold_helper``).
        self.fold_helper: FoldHelper | None = None
        #: Keeps refreshed sign-ins, and asks to sign in again before one ends.
        self.sessions = SessionKeeper(self, connections.policy)
        self.sessions.signInRequested.connect(self._sign_in_again)
        self.sessions.statusMessage.connect(self._show_status)
        self._set_title()
        self.resize(1200, 780)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.first_run = FirstRunPanel(central, demo_available=demo_starter is not None)
        self.first_run.setVisible(not connections.demo and not has_saved_server(settings))
        self.first_run.connectRequested.connect(self.open_connections)
        self.first_run.demoRequested.connect(self.open_demo)
        layout.addWidget(self.first_run)
        self.tabs = QTabWidget(central)
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.tabs.currentChanged.connect(self._show_tab_status)
        self.pathway_tab = self._attach_tab(PATHWAY_SERVICE, self._new_pathway_tab())
        #: The unread count in the system tray, and notices of new activities.
        self.tray = InboxTray(self, settings)
        self.tray.showInboxRequested.connect(self.show_inbox)
        if inbox_later:
            self._inbox_page = QWidget(self.tabs)
            self.tabs.insertTab(
                _TABS[ACTIVITY_SERVICE][0], self._inbox_page, _TABS[ACTIVITY_SERVICE][1]
            )
        else:
            self.build_inbox()
        self._build_menus()
        name_controls(self)
        self._restore_state()
        if startup_problems:
            self._show_status(" ".join(startup_problems), 15000)
        self.sessions.follow(self.connections, self._store)

    def _set_title(self) -> None:
        self.setWindowTitle(APP_NAME + (" — demo data" if self.connections.demo else ""))

    def _new_pathway_tab(self) -> PathwayTab:
        return PathwayTab(
            self.connections,
            self.settings,
            self.tabs,
            snapshots=self.snapshots,
            fold_helper=self.fold_helper,
        )

    def start_fold_helper(self) -> None:
        """Start the process that folds part of large answers, for this window's pathway
        tabs. Called once the window has painted: neither its module nor its process is
        needed before a first Fetch."""
        if self.fold_helper is not None or self._closed:
            return
        from viewer.pathway.fold_helper import FoldHelper

        self.fold_helper = FoldHelper()
        self.fold_helper.start()
        self.pathway_tab.fold_helper = self.fold_helper

    @property
    def inbox_tab(self) -> InboxTab:
        """The inbox tab, made now if the window put it off."""
        if self._inbox_tab is None:
            self.build_inbox()
        assert self._inbox_tab is not None
        return self._inbox_tab

    def build_inbox(self) -> None:
        """Make the inbox tab in the place held for it (nothing if it is made, or the window
        closed). Its modules and widgets take nearly a tenth of the start, for a tab that is
        not on screen at first."""
        if self._inbox_tab is not None or self._closed:
            return
        page, self._inbox_page = self._inbox_page, None
        current = self.tabs.currentIndex()
        self._inbox_tab = self._attach_tab(ACTIVITY_SERVICE, self._new_inbox_tab())
        self.tray.follow(self._inbox_tab)
        if page is not None:
            name_controls(self._inbox_tab)
            self.tabs.removeTab(self.tabs.indexOf(page))
            page.deleteLater()
            self.tabs.setCurrentIndex(current)

    def _new_inbox_tab(self) -> InboxTab:
        from viewer.inbox.ui.tab import InboxTab

        return InboxTab(self.connections, self.settings, self.tabs, snapshots=self.snapshots)

    def _rebuild_tab(self, service: str) -> None:
        """Re-create the tab of one service on the current connections."""
        if service == PATHWAY_SERVICE:
            self.pathway_tab = self._attach_tab(service, self._new_pathway_tab(), self.pathway_tab)
        elif service == ACTIVITY_SERVICE:
            if self._inbox_tab is None:  # not made yet: made now, on the new connections
                self.build_inbox()
                return
            self._inbox_tab = self._attach_tab(service, self._new_inbox_tab(), self._inbox_tab)
            self.tray.follow(self._inbox_tab)

    def _attach_tab(self, service: str, tab: T, old: ServiceTab | None = None) -> T:
        """Wire ``tab`` to the window and show it in its place, instead of ``old``."""
        index, title = _TABS[service]
        tab.titleChanged.connect(self._set_tab_title)
        tab.statusMessage.connect(self._show_status)
        tab.credentialsRequested.connect(self.ask_for_token)
        self._host_status(tab, old)
        # File > Export CSV… carries Ctrl+E for every tab: one key, one action.
        tab.exporter.action.setShortcut(QKeySequence())
        if old is not None:  # a first tab is named with the whole window, once
            name_controls(tab)
        if self.connections.is_configured(service):
            self._tabs_configured.add(service)
        else:
            self._tabs_configured.discard(service)
        if old is None:
            self.tabs.insertTab(index, tab, title)
            self._update_status_widgets()
            return tab
        current = self.tabs.currentIndex()
        old.shutdown()
        self.tabs.removeTab(index)
        old.deleteLater()
        self.tabs.insertTab(index, tab, title)
        self.tabs.setCurrentIndex(current)
        self._update_status_widgets()
        return tab

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.file_menu = file_menu
        connections_action = QAction("&Connections…", self)
        connections_action.setObjectName("connectionsAction")
        connections_action.setShortcut(QKeySequence("Ctrl+,"))
        connections_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        connections_action.triggered.connect(self.open_connections)
        file_menu.addAction(connections_action)
        self.connections_action = connections_action
        open_snapshot = QAction("Open &snapshot…", self)
        open_snapshot.setObjectName("openSnapshotAction")
        open_snapshot.setShortcut(QKeySequence("Ctrl+Shift+O"))
        open_snapshot.setStatusTip("Show an answer saved earlier, for example when offline")
        open_snapshot.setEnabled(self.snapshots is not None)
        open_snapshot.triggered.connect(self.open_snapshot_dialog)
        file_menu.addAction(open_snapshot)
        self.open_snapshot_action = open_snapshot
        export_action = QAction("&Export CSV…", self)
        export_action.setObjectName("exportAction")
        export_action.setShortcut(QKeySequence(EXPORT_SHORTCUT))
        export_action.setStatusTip("Write what the current tab shows to a CSV file")
        export_action.triggered.connect(self.export_current_tab)
        file_menu.addAction(export_action)
        self.export_action = export_action
        file_menu.addSeparator()
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
        view_menu.addSection("Activity inbox")
        for action in option_actions(self.settings, self):
            view_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        keys = QAction("&Keyboard shortcuts", self)
        keys.setObjectName("shortcutsAction")
        keys.setShortcut(QKeySequence.StandardKey.HelpContents)
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)
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

    def _host_status(self, tab: ServiceTab, old: ServiceTab | None) -> None:
        """One status line: the tab's own goes into the window's status bar, where messages
        show over it for a while."""
        bar = self.statusBar()
        previous = old.status_widget() if old is not None else None
        if previous is not None:
            bar.removeWidget(previous)
            previous.deleteLater()
        widget = tab.status_widget()
        if widget is not None:
            bar.addWidget(widget, 1)

    @Slot(int)
    def _show_tab_status(self, _index: int) -> None:
        if self._inbox_page is not None and self.tabs.currentWidget() is self._inbox_page:
            self.build_inbox()  # chosen before it was made
            return
        self.statusBar().clearMessage()  # a message about the tab left behind
        self._update_status_widgets()

    def _update_status_widgets(self) -> None:
        for position in range(self.tabs.count()):
            tab = self.tabs.widget(position)
            widget = tab.status_widget() if isinstance(tab, ServiceTab) else None
            if widget is not None:
                widget.setVisible(position == self.tabs.currentIndex())

    @Slot(str)
    def _show_status(self, message: str, milliseconds: int = 8000) -> None:
        """A message for a while; a long one is elided, never widening the window."""
        bar = self.statusBar()
        room = max(bar.width(), self.width()) - 24
        text = bar.fontMetrics().elidedText(message, Qt.TextElideMode.ElideRight, room)
        bar.showMessage(text, milliseconds)

    @Slot()
    def export_current_tab(self) -> None:
        """File > Export CSV…: the current tab's export dialog (the tab's own Ctrl+E)."""
        tab = self.tabs.currentWidget()
        if isinstance(tab, ServiceTab):
            tab.exporter.open_dialog()

    @Slot()
    def show_inbox(self) -> None:
        """Bring the window forward on the inbox (from the tray icon or a notification)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
        self.tabs.setCurrentWidget(self.inbox_tab)

    @Slot()
    def show_shortcuts(self) -> ShortcutsDialog:
        """Help > Keyboard shortcuts: the keys of every action the window holds now."""
        from viewer.window.shortcuts_dialog import ShortcutsDialog, shortcut_rows

        dialog = ShortcutsDialog(shortcut_rows(self, self.tabs), self)
        self.shortcuts_dialog = dialog
        return open_transient(dialog, self._shortcuts_dialog_gone)

    @Slot()
    def _shortcuts_dialog_gone(self) -> None:
        self.shortcuts_dialog = None

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

    # -- connections --------------------------------------------------------------------

    def credential_store(self) -> CredentialStore:
        if self._store is None:
            self._store = CredentialStore()
        return self._store

    @Slot()
    def open_connections(self, service: str | None = None, message: str = "") -> ConnectionsDialog:
        """Show the Connections dialog (window-modal, without blocking) and return it."""
        dialog = self.connections_dialog
        if dialog is not None and dialog.isVisible():
            dialog.focus_service(service, message)
            dialog.activateWindow()
            return dialog
        from viewer.window.connections_dialog import ConnectionsDialog

        store = None if self.connections.demo else self.credential_store()
        dialog = ConnectionsDialog(
            self.connections,
            self.settings,
            store,
            self,
            focus_service=service if isinstance(service, str) else None,
            message=message,
        )
        dialog.saved.connect(self._connections_saved)
        self.connections_dialog = dialog
        return open_transient(dialog, self._dialog_gone)

    @Slot(str)
    def ask_for_token(self, service: str) -> None:
        """A server refused its token: ask for a new one; what is on screen stays."""
        name = SERVICE_TITLES.get(service, service)
        config = self.connections.config(service)
        method = config.method if config is not None else ""
        if method == SIGN_IN:
            text = "The globaliD sign-in has ended. Sign in again and Save, then press Retry."
        elif method == APP:
            text = (
                f"The {name.lower()} server did not accept the app's token, even a new one. "
                "Check the client ID and secret and Save, then press Retry."
            )
        else:
            text = (
                f"The {name.lower()} server did not accept the token. Enter a new token and "
                "Save, then press Retry."
            )
        self.open_connections(service, text)

    @Slot()
    def _sign_in_again(self) -> None:
        self.open_connections(
            ACTIVITY_SERVICE, "Your globaliD sign-in is ending. Sign in again, then Save."
        )

    @Slot(list)
    def _connections_saved(self, changed: list[str]) -> None:
        for service in changed:
            # A tab built without a server has nothing to lose: build it again. One that
            # may show data keeps it; its next request uses the new client.
            if service in _TABS and service not in self._tabs_configured:
                self._rebuild_tab(service)
        if self.connections.is_configured(PATHWAY_SERVICE) or self.connections.is_configured(
            ACTIVITY_SERVICE
        ):
            self.first_run.hide()
        if ACTIVITY_SERVICE in changed:
            self.sessions.follow(self.connections, self._store)
        if changed:
            names = ", ".join(SERVICE_TITLES.get(s, s).lower() for s in changed)
            tabs = {PATHWAY_SERVICE: self.pathway_tab, ACTIVITY_SERVICE: self.inbox_tab}
            failed = any(
                banner.offers_retry()
                for service in changed
                if service in tabs
                for banner in tabs[service].findChildren(Banner)
            )
            retry = " Retry to load with the new settings." if failed else ""
            self._show_status(f"Connections updated ({names}).{retry}")

    @Slot()
    def _dialog_gone(self) -> None:
        self.connections_dialog = None

    # -- saved copies -------------------------------------------------------------------

    @Slot()
    def open_snapshot_dialog(self) -> SnapshotDialog | None:
        """Show the list of saved copies (window-modal, without blocking) and return it."""
        if self.snapshots is None:
            return None
        from viewer.window.snapshot_dialog import SnapshotDialog

        dialog = SnapshotDialog(self.snapshots, self)
        dialog.chosen.connect(self.show_snapshot)
        self.snapshot_dialog = dialog
        return open_transient(dialog, self._snapshot_dialog_gone)

    @Slot()
    def _snapshot_dialog_gone(self) -> None:
        self.snapshot_dialog = None

    @Slot(object)
    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Show a saved copy in the tab of its service."""
        tabs: dict[str, ServiceTab] = {PATHWAY: self.pathway_tab, ACTIVITY: self.inbox_tab}
        tab = tabs.get(snapshot.service)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)
            tab.open_snapshot(snapshot)

    @Slot()
    def open_demo(self) -> None:
        """Switch to the embedded demo server's data, as ``--demo`` does."""
        if self._demo_starter is None:
            return
        connections, stop = self._demo_starter()
        old = self.connections
        self.connections = connections
        self.add_close_hook(stop)
        for service in _TABS:
            self._rebuild_tab(service)
        old.close()
        self.sessions.follow(self.connections, self._store)
        self.first_run.hide()
        self._set_title()
        self._show_status("Demo data is open; nothing is saved.")

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
        if self.connections_dialog is not None:
            self.connections_dialog.reject()
        if self.snapshot_dialog is not None:
            self.snapshot_dialog.reject()
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.reject()
        self.sessions.stop()
        self.tray.close()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/tab", self.tabs.currentIndex())
        self._closed = True
        self.pathway_tab.shutdown()
        if self._inbox_tab is not None:
            self._inbox_tab.shutdown()
        self.connections.close()
        if self.fold_helper is not None:
            self.fold_helper.close()
        while self._on_close:
            self._on_close.pop(0)()
        self.settings.sync()
        super().closeEvent(event)
