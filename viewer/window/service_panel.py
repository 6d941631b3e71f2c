"""One service's panel of the Connections dialog: its fields, Test connection and result.

Test connection makes one real, authenticated request (``check_connection``, run by the
dialog in a worker thread); the panel shows what came of it on its result line.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.api.activity import ActivityClient
from viewer.api.errors import ApiError, InsecureUrlError, InvalidUrlError
from viewer.api.http import (
    NO_RETRY,
    CancelToken,
    check_token,
    check_transport_security,
    is_loopback_host,
    normalize_base_url,
)
from viewer.api.lazy import on_first_use
from viewer.api.pathway import PathwayClient
from viewer.auth.settings import PASTED, SIGN_IN, SettingsError
from viewer.auth.sign_in import check_connect_url
from viewer.connections import (
    ACTIVITY_SERVICE,
    PATHWAY_SERVICE,
    ServiceConfig,
    token_source_for,
)
from viewer.tasks import TaskRunner
from viewer.widgets.tones import ERROR, WARNING, text_style
from viewer.window.sign_in_fields import FIELD_LABELS, SignInFields
from viewer.window.token_file_import import import_token_file
from viewer.window.wording import IN_CONNECTIONS, SERVICE_TITLES

if TYPE_CHECKING:
    import httpx
else:
    httpx = on_first_use("httpx")

_PREFIX = {PATHWAY_SERVICE: "pathway", ACTIVITY_SERVICE: "activity"}

_FIELD_LABELS = ("Server URL:", "Token:", "CA bundle:", *FIELD_LABELS)
#: Lines kept free for a panel's result, so that a message never moves the fields (a
#: longer one grows the dialog; more kept free would be an empty gap under the buttons).
_RESULT_LINES = 1


def _host(base_url: str) -> str:
    return httpx.URL(base_url).netloc.decode("ascii", "replace")


def check_connection(service: str, config: ServiceConfig, cancel: CancelToken) -> str:
    """Make one cheap authenticated call; the success message, or raise the ApiError.

    Only an answer in the shape the API documents counts: the clients decode it as they
    decode real data.
    """
    options: dict[str, Any] = {
        "allow_insecure_http": config.allow_insecure_http,
        "verify": config.verify,
        "retry": NO_RETRY,
    }
    host = _host(normalize_base_url(config.base_url))
    if service == ACTIVITY_SERVICE:
        with ActivityClient(config.base_url, token_source_for(config), **options) as client:
            counts = client.unread_count(cancel=cancel)
        return f"Connected to {host}: the token was accepted ({counts.unread} unread)."
    with PathwayClient(config.base_url, config.token, **options) as client:
        client.probe(cancel=cancel)
    return f"Connected to {host}: the token was accepted."


class ServicePanel(QGroupBox):
    """One service's fields, its Test connection button and its result line."""

    testRequested = Signal(str)
    forgetRequested = Signal(str)

    def __init__(self, service: str, parent: QWidget | None = None) -> None:
        super().__init__(SERVICE_TITLES[service], parent)
        self.service = service
        prefix = _PREFIX[service]
        self.setObjectName(f"{prefix}Panel")
        outer = QVBoxLayout(self)
        # Two forms around the full-width warning (a wrapped label inside a form gets
        # clipped); equal label widths keep their columns aligned.
        label_width = max(self.fontMetrics().horizontalAdvance(text) for text in _FIELD_LABELS) + 8
        top, form = QFormLayout(), QFormLayout()
        for layout in (top, form):
            layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        def label(text: str) -> QLabel:
            widget = QLabel(text, self)
            widget.setMinimumWidth(label_width)
            return widget

        self.url = QLineEdit(self)
        self.url.setObjectName(f"{prefix}Url")
        self.url.setPlaceholderText("https://api.example.com")
        self.url.setClearButtonEnabled(True)
        top.addRow(label("Server URL:"), self.url)
        outer.addLayout(top)

        self.insecure_warning = QLabel(self)
        self.insecure_warning.setObjectName(f"{prefix}InsecureWarning")
        self.insecure_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.insecure_warning.setWordWrap(True)
        self.insecure_warning.setStyleSheet(text_style(WARNING))
        self.allow_insecure = QCheckBox("Allow insecure HTTP for this server", self)
        self.allow_insecure.setObjectName(f"{prefix}AllowInsecure")
        outer.addWidget(self.insecure_warning)
        outer.addLayout(form)
        form.addRow(label(""), self.allow_insecure)
        self._form = form

        self.token = QLineEdit(self)
        self.token.setObjectName(f"{prefix}Token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("Paste the access token")
        self.show_token = QToolButton(self)
        self.show_token.setObjectName(f"{prefix}ShowToken")
        self.show_token.setText("Show")
        self.show_token.setCheckable(True)
        self.show_token.setToolTip("Show or hide the token")
        self.show_token.setAccessibleName("Show the token")
        self.show_token.toggled.connect(self._toggle_echo)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(self.show_token)
        form.addRow(label("Token:"), token_row)
        #: The dialog's runner, for signing in.
        self.runner: TaskRunner | None = None
        self.sign_in: SignInFields | None = None
        if service == ACTIVITY_SERVICE:
            self.sign_in = SignInFields(
                self, form, label, token_row, prefix, lambda: self.runner, self.show_result
            )
            self.sign_in.target = self._sign_in_target
            # The sign-in method sits above the token: Tab goes there first, as laid out.
            QWidget.setTabOrder(self.allow_insecure, self.sign_in.method)
        else:
            self.import_button = QPushButton("Import token file…", self)
            self.import_button.setObjectName(f"{prefix}ImportTokenFile")
            self.import_button.setToolTip("Fill the server URL and token from Falkor's token file")
            self.import_button.clicked.connect(lambda: import_token_file(self))
            token_row.addWidget(self.import_button)

        self.ca_bundle = QLineEdit(self)
        self.ca_bundle.setObjectName(f"{prefix}CaBundle")
        self.ca_bundle.setPlaceholderText("Optional: a PEM file of trusted certificates")
        browse = QPushButton("Browse…", self)
        browse.setObjectName(f"{prefix}BrowseCa")
        browse.clicked.connect(self._browse_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(browse)
        form.addRow(label("CA bundle:"), ca_row)

        self.test_button = QPushButton("Test connection", self)
        self.test_button.setObjectName(f"{prefix}Test")
        self.test_button.clicked.connect(lambda: self.testRequested.emit(self.service))
        self.forget_button = QPushButton("Forget token", self)
        self.forget_button.setObjectName(f"{prefix}Forget")
        self.forget_button.setToolTip(
            "Remove this server's token (and client secret) from this computer"
        )
        self.forget_button.clicked.connect(lambda: self.forgetRequested.emit(self.service))
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.forget_button)
        form.addRow(label(""), buttons)

        self.result = QLabel(self)
        self.result.setObjectName(f"{prefix}TestResult")
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Room for a result is kept even while there is none: a message never moves the
        # fields and buttons above it (a longer one grows the dialog instead).
        self.result.setMinimumHeight(self.fontMetrics().lineSpacing() * _RESULT_LINES)
        outer.addWidget(self.result)

        self.url.textChanged.connect(self._update_insecure)
        # A result is about what was tested: it goes when the address or the token changes.
        self.url.textChanged.connect(self._clear_result)
        self.token.textChanged.connect(self._clear_result)
        self._update_insecure()

    def load(self, config: ServiceConfig | None) -> None:
        self.url.setText(config.base_url if config else "")
        self.token.setText(config.token if config else "")
        self.allow_insecure.setChecked(bool(config and config.allow_insecure_http))
        self.ca_bundle.setText((config.ca_bundle or "") if config else "")
        if self.sign_in is not None:
            self.sign_in.load(config.oauth if config else None, config.access if config else None)
        self._update_insecure()

    def is_empty(self) -> bool:
        client = self.sign_in is not None and self.sign_in.settings() is not None
        return not self.url.text().strip() and not self.token.text().strip() and not client

    def config(self) -> ServiceConfig | None:
        """The form as a config, checked; None when left empty. Raises ApiError."""
        if self.is_empty():
            return None
        base_url = normalize_base_url(self.url.text())
        allow = self.allow_insecure.isChecked() and self._needs_insecure()
        check_transport_security(base_url, allow_insecure_http=allow)
        ca_bundle = self.ca_bundle.text().strip() or None
        if ca_bundle is not None and not os.path.isfile(ca_bundle):
            raise InvalidUrlError(f"The CA bundle “{ca_bundle}” is not a readable file.")
        if self.sign_in is None:
            token = self.token.text().strip()
            check_token(token, SERVICE_TITLES[self.service].lower())
            return ServiceConfig(base_url, token, allow, ca_bundle)
        oauth = self.sign_in.settings()
        method = oauth.method if oauth is not None else PASTED
        try:
            if method == SIGN_IN and oauth is not None:
                check_connect_url(oauth.connect_url)
                oauth.port_range()
        except SettingsError as exc:
            raise InvalidUrlError(str(exc)) from None
        token = self.token.text().strip() if method == PASTED else ""
        check_token(token, SERVICE_TITLES[self.service].lower())
        access = self.sign_in.access if method == SIGN_IN else None
        return ServiceConfig(base_url, token, allow, ca_bundle, oauth, access)

    def _sign_in_target(self) -> tuple[str, bool, bool | str]:
        """Where to sign in: the form's server, checked as for Save. Raises ApiError."""
        base_url = normalize_base_url(self.url.text())
        allow = self.allow_insecure.isChecked() and self._needs_insecure()
        check_transport_security(base_url, allow_insecure_http=allow)
        return base_url, allow, self.ca_bundle.text().strip() or True

    def show_result(self, text: str, kind: str) -> None:
        self.result.setStyleSheet(text_style(kind))
        self.result.setText(text)

    def show_error(self, error: ApiError, *, title: bool = False) -> None:
        """An error next to what it is about: plain http beside its checkbox, the rest in
        the result line under the buttons; worded for this dialog."""
        text = error.worded(IN_CONNECTIONS)
        if title:
            text = f"{error.title}: {text}"
        if isinstance(error, InsecureUrlError) and self._needs_insecure():
            self.show_result("", "")
            self.insecure_warning.setStyleSheet(text_style(ERROR))
            self.insecure_warning.setText(text)
            self.allow_insecure.setFocus()
            return
        self.show_result(text, "error")

    @Slot()
    def _clear_result(self) -> None:
        self.show_result("", "")

    def _needs_insecure(self) -> bool:
        try:
            url = httpx.URL(normalize_base_url(self.url.text()))
        except (ApiError, httpx.InvalidURL, ValueError):
            return False
        return url.scheme == "http" and not is_loopback_host(url.host)

    @Slot()
    def _update_insecure(self) -> None:
        needed = self._needs_insecure()
        if needed:
            host = httpx.URL(normalize_base_url(self.url.text())).host
            self.insecure_warning.setStyleSheet(text_style(WARNING))
            self.insecure_warning.setText(
                f"This address uses plain http: the token would be sent unencrypted to {host}. "
                "Use https if the server offers it."
            )
        self.insecure_warning.setVisible(needed)
        self._form.setRowVisible(self.allow_insecure, needed)
        self.allow_insecure.setEnabled(needed)

    @Slot(bool)
    def _toggle_echo(self, shown: bool) -> None:
        self.token.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_token.setText("Hide" if shown else "Show")

    @Slot()
    def _browse_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a CA bundle", "", "Certificates (*.pem *.crt *.cer);;All files (*)"
        )
        if path:
            self.ca_bundle.setText(path)
