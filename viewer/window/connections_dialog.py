"""The Connections dialog: each service's server, token and transport options.

Each service has its panel (``service_panel``); Test connection makes one real request in
a worker thread. Save puts tokens in the
credential store and everything else in QSettings; it then replaces the affected clients.
With demo data open, changes apply to this session only and nothing is saved.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from viewer.api.errors import ApiError
from viewer.api.http import CancelToken, normalize_base_url
from viewer.auth.settings import PASTED, SIGN_IN
from viewer.connections import ACTIVITY_SERVICE, PATHWAY_SERVICE, Connections, ServiceConfig
from viewer.credentials import OAUTH_SLOT, SECRET_SLOT, CredentialError, CredentialStore
from viewer.jobs import Progress
from viewer.tasks import TaskRunner
from viewer.widgets.accessibility import name_controls
from viewer.widgets.tones import WARNING, text_style
from viewer.window.connection_settings import write_service
from viewer.window.service_panel import ServicePanel, check_connection


class ConnectionsDialog(QDialog):
    """Edit both services; ``saved`` carries the services whose settings changed."""

    saved = Signal(list)

    def __init__(
        self,
        connections: Connections,
        settings: QSettings,
        store: CredentialStore | None,
        parent: QWidget | None = None,
        *,
        focus_service: str | None = None,
        message: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("connectionsDialog")
        self.setWindowTitle("Connections")
        self.connections = connections
        self.settings = settings
        self.store = store
        self.demo = connections.demo or store is None
        self.runner = TaskRunner(self)
        self.finished.connect(self._stop_tests)

        layout = QVBoxLayout(self)
        # Grow with wrapped messages instead of squeezing the fields.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.message = QLabel(self)
        self.message.setObjectName("connectionsMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(text_style(WARNING))
        layout.addWidget(self.message)

        self.panels: dict[str, ServicePanel] = {}
        for service in (PATHWAY_SERVICE, ACTIVITY_SERVICE):
            panel = ServicePanel(service, self)
            panel.setMinimumWidth(540)
            panel.load(connections.config(service))
            panel.runner = self.runner
            panel.testRequested.connect(self._test)
            panel.forgetRequested.connect(self._forget)
            if panel.sign_in is not None:  # rows shown or hidden: the dialog follows
                panel.sign_in.more.toggled.connect(self.fit_height)
                panel.sign_in.method.currentIndexChanged.connect(self.fit_height)
            self.panels[service] = panel
            layout.addWidget(panel)

        self.keyring_status = QLabel(self)
        self.keyring_status.setObjectName("keyringStatus")
        self.keyring_status.setTextFormat(Qt.TextFormat.PlainText)
        self.keyring_status.setWordWrap(True)
        self.session_only = QCheckBox("Keep tokens for this session only", self)
        self.session_only.setObjectName("sessionOnly")
        layout.addWidget(self.keyring_status)
        layout.addWidget(self.session_only)
        self._show_keyring_status()

        layout.addStretch(1)  # a taller dialog keeps its buttons at the bottom
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        name_controls(self)
        self.focus_service(focus_service, message)

    # -- public ---------------------------------------------------------------------------

    def focus_service(self, service: str | None, message: str = "") -> None:
        """Point the user at one service (for example after its server refused the token)."""
        self.message.setText(message)
        self.message.setVisible(bool(message))
        if service in self.panels:
            panel = self.panels[service]
            target = panel.url if not panel.url.text().strip() else panel.token
            signing_in = panel.sign_in is not None and panel.sign_in.current_method == SIGN_IN
            if target is panel.token and signing_in and panel.sign_in is not None:
                panel.sign_in.sign_in_button.setFocus()
                return
            target.setFocus()
            target.selectAll()

    @Slot()
    def fit_height(self) -> None:
        """Give back the room of rows just hidden ("More settings" folded); the dialog
        grows by itself when rows appear, but never shrinks on its own. On the next turn
        of the event loop, once every slot of the toggle has shown or hidden its rows."""
        QTimer.singleShot(0, self, self._shrink)

    @Slot()
    def _shrink(self) -> None:
        for widget in (*self.panels.values(), self):  # inner layouts first: they size it
            layout = widget.layout()
            if layout is not None:
                layout.activate()
        height = max(self.sizeHint().height(), self.minimumSizeHint().height())
        if height < self.height():
            self.resize(self.width(), height)

    @Slot()
    def save(self) -> bool:
        """Check every panel, keep tokens and settings, apply; False (and say why) on a problem."""
        configs: dict[str, ServiceConfig | None] = {}
        for service, panel in self.panels.items():
            try:
                configs[service] = panel.config()
            except ApiError as exc:
                panel.show_error(exc)  # said once, in the panel it is about
                return False
        if not self.demo:
            try:
                self._persist(configs)
            except CredentialError as exc:
                self._say(exc.message)
                return False
        changed = []
        for service, config in configs.items():
            if _differs(self.connections.config(service), config):
                self.connections.set_config(service, config)
                changed.append(service)
        self.saved.emit(changed)
        self.accept()
        return True

    # -- saving -----------------------------------------------------------------------------

    def _persist(self, configs: dict[str, ServiceConfig | None]) -> None:
        assert self.store is not None
        session_only = not self.session_only.isHidden() and self.session_only.isChecked()
        for service, config in configs.items():
            previous = self.connections.config(service)
            if config is not None and config.token:
                self.store.set(service, config.base_url, config.token, session_only=session_only)
            elif config is not None:
                self.store.forget(service, config.base_url)
            self._persist_oauth(service, config, session_only)
            if (
                previous is not None
                and previous.base_url
                and (config is None or _url_key(previous.base_url) != _url_key(config.base_url))
            ):
                self.store.forget(service, previous.base_url)
                for slot in (SECRET_SLOT, OAUTH_SLOT):
                    self.store.forget(service, previous.base_url, slot=slot)
        for service, config in configs.items():
            write_service(self.settings, service, config)

    def _persist_oauth(
        self, service: str, config: ServiceConfig | None, session_only: bool
    ) -> None:
        """The client secret and a sign-in's token to the store; nothing of them elsewhere."""
        assert self.store is not None
        if config is None:
            return
        secret = config.oauth.client_secret if config.oauth is not None else ""
        if secret:
            self.store.set(
                service, config.base_url, secret, session_only=session_only, slot=SECRET_SLOT
            )
        else:
            self.store.forget(service, config.base_url, slot=SECRET_SLOT)
        if config.method == SIGN_IN and config.access is not None:
            self.store.set_access(
                service, config.base_url, config.access, session_only=session_only
            )
        else:
            self.store.forget(service, config.base_url, slot=OAUTH_SLOT)

    @Slot(str)
    def _forget(self, service: str) -> None:
        panel = self.panels[service]
        panel.token.clear()
        if panel.sign_in is not None:
            panel.sign_in.forget()
        current = self.connections.config(service)
        url = panel.url.text().strip() or (current.base_url if current else "")
        if not url:
            panel.show_result("There is no token to forget.", "warning")
            return
        if not self.demo:
            assert self.store is not None
            try:
                for slot in ("", SECRET_SLOT, OAUTH_SLOT):
                    self.store.forget(service, url, slot=slot)
                    if current is not None and current.base_url:
                        self.store.forget(service, current.base_url, slot=slot)
            except ApiError as exc:
                panel.show_error(exc)
                return
            except CredentialError as exc:
                panel.show_result(exc.message, "error")
                return
        if current is not None and (current.token or current.oauth is not None):
            oauth = current.oauth.with_secret("") if current.oauth is not None else None
            self.connections.set_config(
                service,
                ServiceConfig(
                    current.base_url, "", current.allow_insecure_http, current.ca_bundle, oauth
                ),
            )
            self.saved.emit([service])
        panel.show_result("The token was forgotten on this computer.", "ok")

    # -- testing ------------------------------------------------------------------------------

    @Slot(str)
    def _test(self, service: str) -> None:
        panel = self.panels[service]
        try:
            config = panel.config()
        except ApiError as exc:
            panel.show_error(exc)
            return
        if config is None or not config.configured:
            panel.show_result(_what_is_missing(config), "error")
            return
        panel.show_result("Testing…", "")
        panel.test_button.setEnabled(False)

        def job(cancel: CancelToken, _report: Progress) -> str:
            return check_connection(service, config, cancel)

        self.runner.run(
            job,
            on_success=lambda text: self._tested(service, text, "ok"),
            on_error=lambda exc: self._tested_badly(service, exc),
            on_cancelled=lambda: self._tested(service, "", ""),
            key=f"test-{service}",
        )

    def _tested(self, service: str, text: str, kind: str) -> None:
        panel = self.panels[service]
        panel.test_button.setEnabled(True)
        panel.show_result(text, kind)

    def _tested_badly(self, service: str, error: ApiError) -> None:
        self._tested(service, "", "")
        self.panels[service].show_error(error, title=True)

    @Slot()
    def _stop_tests(self) -> None:
        self.runner.shutdown(5000)

    # -- helpers --------------------------------------------------------------------------------

    def _show_keyring_status(self) -> None:
        if self.demo:
            self.keyring_status.setText(
                "Demo data is open: changes here apply to this session only and are not saved."
            )
            self.session_only.hide()
            return
        assert self.store is not None
        status = self.store.backend_status()
        self.keyring_status.setText(status.describe())
        self.keyring_status.setStyleSheet("" if status.persistent else text_style(WARNING))
        self.session_only.setVisible(not status.persistent)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)


def _what_is_missing(config: ServiceConfig | None) -> str:
    if config is not None and config.method == SIGN_IN:
        return "Sign in first, then test the connection."
    if config is not None and config.method != PASTED:
        return "Enter the server URL, the client ID and the client secret first."
    return "Enter the server URL and a token first."


def _url_key(url: str) -> str:
    try:
        return normalize_base_url(url)
    except ApiError:
        return url.strip()


def _differs(old: ServiceConfig | None, new: ServiceConfig | None) -> bool:
    if old is None or new is None:
        return (old is None) != (new is None) and bool(old or new)
    return (
        _url_key(old.base_url) != _url_key(new.base_url)
        or old.token != new.token
        or old.allow_insecure_http != new.allow_insecure_http
        or old.ca_bundle != new.ca_bundle
        or old.oauth != new.oauth
        or old.access != new.access
    )
