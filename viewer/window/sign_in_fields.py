"""The activity panel's rows for how to authenticate: sign in, app credentials, or a token.

Signing in runs a ``SignInAttempt``: the loopback listener is bound and the Connect URL
built in the GUI thread (both instant), the browser is opened, and the wait for its return
and the code exchange run in a worker. The address is also shown, to be copied when no
browser opened. Cancel, a timeout, a wrong state and an error answer each end the wait with
a message in the status line.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from viewer.api.errors import ApiError
from viewer.auth.loopback import DEFAULT_TIMEOUT
from viewer.auth.settings import (
    APP,
    DEFAULT_CONNECT_URL,
    DEFAULT_PORTS,
    DEFAULT_SCOPE,
    PASTED,
    SIGN_IN,
    OAuthSettings,
)
from viewer.auth.sign_in import SignInAttempt
from viewer.auth.tokens import AccessToken
from viewer.jobs import CancelToken, Progress
from viewer.tasks import TaskRunner
from viewer.widgets.tones import text_style
from viewer.window.wording import IN_CONNECTIONS

METHOD_TITLES = {
    SIGN_IN: "Sign in with globaliD",
    APP: "App credentials (client ID and secret)",
    PASTED: "Paste a token",
}
#: The labels of the rows added here, for the panel's common label width.
FIELD_LABELS = ("Sign-in:", "Client ID:", "Client secret:", "Connect URL:", "Redirect ports:")


def open_in_browser(url: str) -> bool:
    return QDesktopServices.openUrl(QUrl(url))


def describe_session(access: AccessToken | None, *, now: float | None = None) -> str:
    """One line on the sign-in: whether there is one, and when it ends."""
    if access is None:
        return "Not signed in."
    left = access.seconds_left(now=now)
    if left is None:
        return "Signed in."
    if left <= 0:
        return "The sign-in has ended. Sign in again."
    when = time.strftime("%H:%M", time.localtime(access.expires_at))
    return f"Signed in; the session ends at {when}."


class SignInFields(QObject):
    """The rows, their values, and one sign-in at a time."""

    #: The method shown changed (sign-in, app or token).
    methodChanged = Signal(str)
    #: A sign-in succeeded; the token is in ``access`` until the dialog is saved.
    signedIn = Signal(object)

    def __init__(
        self,
        panel: QWidget,
        form: QFormLayout,
        label: Callable[[str], QLabel],
        token_row: QLayout,
        prefix: str,
        runner: Callable[[], TaskRunner | None],
        report: Callable[[str, str], None],
    ) -> None:
        super().__init__(panel)
        self._form = form
        # The rows go above the token row, so that the choice comes first.
        self._next_row = form.getLayoutPosition(token_row)[0]

        def add(text: str, item: QWidget | QLayout) -> None:
            form.insertRow(self._next_row, label(text), item)
            self._next_row += 1

        self._token_row = token_row
        self._runner = runner
        self._report = report
        self._key = f"sign-in-{prefix}"
        self.access: AccessToken | None = None
        #: Opens the Connect URL; tests give a function that plays the browser.
        self.open_url: Callable[[str], object] = open_in_browser
        #: How long a person has to finish in the browser.
        self.timeout = DEFAULT_TIMEOUT
        #: What to sign in to: (base URL, allow insecure http, TLS verify), or an ApiError.
        self.target: Callable[[], tuple[str, bool, bool | str]] | None = None

        def field(name: str, placeholder: str = "") -> QLineEdit:
            edit = QLineEdit(panel)
            edit.setObjectName(f"{prefix}{name}")
            edit.setPlaceholderText(placeholder)
            return edit

        self.method = QComboBox(panel)
        self.method.setObjectName(f"{prefix}Method")
        for method in (SIGN_IN, APP, PASTED):
            self.method.addItem(METHOD_TITLES[method], method)
        self.method.setCurrentIndex(self.method.findData(PASTED))
        add("Sign-in:", self.method)

        self.client_id = field("ClientId", "The app's client ID from globaliD")
        add("Client ID:", self.client_id)
        self.client_secret = field("ClientSecret", "The app's client secret")
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_secret = QToolButton(panel)
        self.show_secret.setObjectName(f"{prefix}ShowSecret")
        self.show_secret.setText("Show")
        self.show_secret.setCheckable(True)
        self.show_secret.setToolTip("Show or hide the client secret")
        self.show_secret.toggled.connect(self._toggle_secret)
        self._secret_row = QHBoxLayout()
        self._secret_row.addWidget(self.client_secret, 1)
        self._secret_row.addWidget(self.show_secret)
        add("Client secret:", self._secret_row)

        self.connect_url = field("ConnectUrl", DEFAULT_CONNECT_URL)
        add("Connect URL:", self.connect_url)
        self.scope = field("Scope", DEFAULT_SCOPE)
        add("Scope:", self.scope)
        self.ports = field("Ports", DEFAULT_PORTS)
        self.ports.setToolTip(
            "Ports on 127.0.0.1 where the browser returns after signing in; the redirect "
            "addresses http://127.0.0.1:PORT/callback must be registered with globaliD."
        )
        add("Redirect ports:", self.ports)

        self.sign_in_button = QPushButton("Sign in…", panel)
        self.sign_in_button.setObjectName(f"{prefix}SignIn")
        self.sign_in_button.setToolTip("Open globaliD in the browser to sign in")
        self.sign_in_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel sign-in", panel)
        self.cancel_button.setObjectName(f"{prefix}CancelSignIn")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.more = QToolButton(panel)
        self.more.setObjectName(f"{prefix}MoreSettings")
        self.more.setText("More settings")
        self.more.setCheckable(True)
        self.more.setToolTip("Connect URL, scope and redirect ports")
        self.more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.more.setArrowType(Qt.ArrowType.RightArrow)
        self.more.toggled.connect(self._show_more)
        self._actions = QHBoxLayout()
        self._actions.addWidget(self.sign_in_button)
        self._actions.addWidget(self.cancel_button)
        self._actions.addStretch(1)
        self._actions.addWidget(self.more)
        add("", self._actions)

        self.status = QLabel(panel)
        self.status.setObjectName(f"{prefix}SessionStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        # One short line, unwrapped: a wrapped label in this form is clipped, so longer
        # outcomes go to the panel's result line below, which spans the panel.
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        add("", self.status)
        # A long address in a label would widen the dialog; a line edit scrolls instead.
        self.link = QLineEdit(panel)
        self.link.setObjectName(f"{prefix}ConnectLink")
        self.link.setReadOnly(True)
        self.link.setToolTip("If no browser opened, open this address in one")
        add("", self.link)

        self.method.currentIndexChanged.connect(self._method_changed)
        self._update_rows()

    # -- values ---------------------------------------------------------------------------

    @property
    def current_method(self) -> str:
        return str(self.method.currentData())

    def load(self, oauth: OAuthSettings | None, access: AccessToken | None) -> None:
        oauth = oauth or OAuthSettings()
        self.method.setCurrentIndex(max(0, self.method.findData(oauth.method)))
        self.client_id.setText(oauth.client_id)
        self.client_secret.setText(oauth.client_secret)
        self.connect_url.setText(
            "" if oauth.connect_url == DEFAULT_CONNECT_URL else oauth.connect_url
        )
        self.scope.setText("" if oauth.scope == DEFAULT_SCOPE else oauth.scope)
        self.ports.setText("" if oauth.ports == DEFAULT_PORTS else oauth.ports)
        self.more.setChecked(
            bool(self.connect_url.text() or self.scope.text() or self.ports.text())
        )
        self.access = access
        self._update_rows()

    def settings(self) -> OAuthSettings | None:
        """What the rows say; None when a pasted token is used and no client was entered."""
        client_id = self.client_id.text().strip()
        secret = self.client_secret.text().strip()
        if self.current_method == PASTED and not client_id and not secret:
            return None
        return OAuthSettings(
            self.current_method,
            client_id,
            secret,
            self.connect_url.text().strip() or DEFAULT_CONNECT_URL,
            self.scope.text().strip() or DEFAULT_SCOPE,
            self.ports.text().strip() or DEFAULT_PORTS,
        )

    def forget(self) -> None:
        self.client_secret.clear()
        self.access = None
        self._update_rows()

    @property
    def busy(self) -> bool:
        runner = self._runner()
        return runner is not None and runner.is_running(self._key)

    # -- signing in -------------------------------------------------------------------------

    @Slot()
    def start(self) -> None:
        """Bind the listener, open the browser, and wait for it in a worker."""
        runner = self._runner()
        if runner is None or self.busy or self.target is None:
            return
        try:
            base_url, allow_insecure, verify = self.target()
            settings = self.settings() or OAuthSettings(SIGN_IN)
            attempt = SignInAttempt(
                base_url,
                settings,
                allow_insecure_http=allow_insecure,
                verify=verify,
                timeout=self.timeout,
            )
        except ApiError as exc:
            self._report(exc.worded(IN_CONNECTIONS), "error")
            return
        self.link.setText(attempt.url)
        self.link.setCursorPosition(0)
        self.show_status("Waiting for the browser…", "")
        self._report(
            "Sign in in the browser window that opened. If none opened, copy the address "
            "above into a browser.",
            "",
        )
        self._set_waiting(True)

        def job(cancel: CancelToken, _report: Progress) -> AccessToken:
            try:
                return attempt.finish(cancel)
            finally:
                attempt.close()

        runner.run(
            job,
            on_success=self._signed_in,
            on_error=self._failed,
            on_cancelled=self._cancelled,
            key=self._key,
        )
        try:
            self.open_url(attempt.url)
        except Exception:  # no browser: the address is on screen to be copied
            self._report("No browser could be opened. Copy the address above into one.", "warning")

    @Slot()
    def cancel(self) -> None:
        runner = self._runner()
        if runner is not None:
            runner.cancel(self._key)

    def _signed_in(self, token: AccessToken) -> None:
        self._set_waiting(False)
        self.access = token
        self.sign_in_button.setText("Sign in again…")
        self.show_status(describe_session(token), "ok")
        self._report("Signed in. Save to use the new sign-in.", "ok")
        self.signedIn.emit(token)

    def _failed(self, exc: ApiError) -> None:
        self._set_waiting(False)
        self.show_status(describe_session(self.access), "")
        self._report(f"{exc.title}: {exc.worded(IN_CONNECTIONS)}", "error")

    def _cancelled(self) -> None:
        self._set_waiting(False)
        self.show_status(describe_session(self.access), "")
        self._report("The sign-in was cancelled; nothing was changed.", "warning")

    def _set_waiting(self, waiting: bool) -> None:
        self.sign_in_button.setEnabled(not waiting)
        self.cancel_button.setVisible(waiting)
        self.method.setEnabled(not waiting)
        self._form.setRowVisible(self.link, waiting)

    def show_status(self, text: str, kind: str) -> None:
        self.status.setStyleSheet(text_style(kind))
        self.status.setText(text)
        self._form.setRowVisible(self.status, bool(text))

    # -- rows -----------------------------------------------------------------------------

    @Slot(int)
    def _method_changed(self, _index: int) -> None:
        self._update_rows()
        self.methodChanged.emit(self.current_method)

    def _update_rows(self) -> None:
        method = self.current_method
        oauth = method in (SIGN_IN, APP)
        signing_in = method == SIGN_IN
        form = self._form
        form.setRowVisible(self.client_id, oauth)
        form.setRowVisible(self._secret_row, oauth)
        form.setRowVisible(self._actions, oauth)  # shows every button of the row: redo two
        self.sign_in_button.setVisible(signing_in)
        self.sign_in_button.setText("Sign in again…" if self.access is not None else "Sign in…")
        self.cancel_button.setVisible(signing_in and self.busy)
        more = oauth and self.more.isChecked()
        form.setRowVisible(self.connect_url, more and signing_in)
        form.setRowVisible(self.scope, more)
        form.setRowVisible(self.ports, more and signing_in)
        form.setRowVisible(self._token_row, method == PASTED)
        if not self.busy:
            form.setRowVisible(self.link, False)
            if signing_in:
                self.show_status(describe_session(self.access), "")
            elif method == APP:
                self.show_status("Tokens are fetched and renewed as needed.", "")
            else:
                self.show_status("", "")

    @Slot(bool)
    def _show_more(self, shown: bool) -> None:
        self.more.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self._update_rows()

    @Slot(bool)
    def _toggle_secret(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.client_secret.setEchoMode(mode)
        self.show_secret.setText("Hide" if shown else "Show")
