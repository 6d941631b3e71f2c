"""A few minutes before a signed-in session ends, say so, so that work is not cut off.

A sign-in has no secret to renew itself with: only the person can sign in again. The
watch is one single-shot timer, set from the token's expiry; when it fires, a message box
that does not block the window offers to sign in again. A session the server refreshed
(when it gives refresh tokens) is kept in the keyring for next time.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from viewer.auth.settings import SIGN_IN
from viewer.auth.tokens import DEFAULT_POLICY, AccessToken, RenewalPolicy
from viewer.connections import ACTIVITY_SERVICE, Connections
from viewer.credentials import OAUTH_SLOT, CredentialError, CredentialStore

#: QTimer takes a signed 32-bit number of milliseconds (about 24 days).
_MAX_DELAY_MS = 2**31 - 1


class SessionWatch(QObject):
    """Emits ``expiring(service, seconds_left)`` once per watched token."""

    expiring = Signal(str, float)

    def __init__(self, parent: QObject | None = None, policy: RenewalPolicy = DEFAULT_POLICY):
        super().__init__(parent)
        self.policy = policy
        self._service = ""
        self._access: AccessToken | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("sessionWatchTimer")
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def watch(self, service: str, access: AccessToken | None) -> None:
        """Warn about ``access`` (none, or one without an expiry: nothing to warn about)."""
        self._timer.stop()
        self._service, self._access = service, access
        if access is None or access.expires_at is None:
            return
        left = access.seconds_left() or 0.0
        lead = self.policy.warn_leeway(None)
        delay_ms = max(0, int((left - lead) * 1000))
        self._timer.start(min(delay_ms, _MAX_DELAY_MS))

    def stop(self) -> None:
        self._timer.stop()
        self._access = None

    @Slot()
    def _fire(self) -> None:
        access = self._access
        if access is None:
            return
        left = access.seconds_left() or 0.0
        if left > self.policy.warn_leeway(None) + 1:  # a delay capped at 24 days
            self.watch(self._service, access)
            return
        self.expiring.emit(self._service, max(0.0, left))


class SessionKeeper(QObject):
    """The window's side of signed-in sessions: the watch, the question, refreshed tokens."""

    #: The person chose to sign in again.
    signInRequested = Signal()
    #: A line for the status bar.
    statusMessage = Signal(str)
    #: A token renewed in a worker thread, carried to the GUI thread.
    _renewed = Signal(str, object)

    def __init__(self, window: QWidget, policy: RenewalPolicy = DEFAULT_POLICY) -> None:
        super().__init__(window)
        self._window = window
        self.watch = SessionWatch(self, policy)
        self.watch.expiring.connect(self._expiring)
        self._renewed.connect(self._token_renewed)
        self.box: QMessageBox | None = None
        self._connections: Connections | None = None
        self._store: CredentialStore | None = None

    def follow(self, connections: Connections, store: CredentialStore | None) -> None:
        """Watch these connections' sign-in; keep refreshed tokens in ``store`` (if any)."""
        if self._connections is not None and self._connections is not connections:
            self._connections.token_renewed = None
        self._connections = connections
        self._store = None if connections.demo else store
        connections.token_renewed = self._renewed.emit
        config = connections.config(ACTIVITY_SERVICE)
        if config is not None and config.method == SIGN_IN:
            self.watch.watch(ACTIVITY_SERVICE, config.access)
        else:
            self.watch.stop()

    def stop(self) -> None:
        if self.box is not None:
            self.box.close()
        self.watch.stop()
        if self._connections is not None:
            self._connections.token_renewed = None

    @Slot(str, object)
    def _token_renewed(self, service: str, token: AccessToken) -> None:
        connections = self._connections
        config = connections.config(service) if connections is not None else None
        if config is None or config.method != SIGN_IN:
            return  # app tokens are simply fetched again next time
        self.watch.watch(service, token)
        if self._store is None:
            return
        try:
            session = self._store.session_only(service, config.base_url, slot=OAUTH_SLOT)
            self._store.set_access(service, config.base_url, token, session_only=session)
        except CredentialError as exc:
            self.statusMessage.emit(exc.message)

    @Slot(str, float)
    def _expiring(self, _service: str, seconds_left: float) -> None:
        if self.box is not None:
            return
        minutes = round(seconds_left / 60)
        when = f"in about {minutes} minutes" if minutes >= 2 else "in a moment"
        box = QMessageBox(self._window)
        box.setObjectName("sessionExpiringBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Sign in again")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            f"Your globaliD sign-in ends {when}. Sign in again now so that the activity log "
            "keeps loading."
        )
        again = box.addButton("Sign in again…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        again.clicked.connect(self.signInRequested)
        box.destroyed.connect(self._box_gone)
        self.box = box
        self.statusMessage.emit(f"The globaliD sign-in ends {when}.")
        box.open()

    @Slot()
    def _box_gone(self) -> None:
        self.box = None
