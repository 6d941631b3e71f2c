"""Client secrets and OAuth tokens stay in the keyring: no file, log, title or error has one.

The same rules as for pasted tokens, for what signing in and app credentials add: the
client secret, the sign-in code, every token the sign-in server hands out.
"""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit

from tests.auth.support import Browser, query_of
from tests.faults.support import RecordingServer
from viewer.api.errors import ApiError, InsecureUrlError
from viewer.app import create_window
from viewer.auth.settings import APP, SIGN_IN, OAuthSettings
from viewer.auth.sign_in import SignInAttempt
from viewer.auth.token_endpoint import TokenEndpoint
from viewer.auth.token_sources import RenewingToken
from viewer.auth.tokens import AccessToken
from viewer.cli import parse_gui_args
from viewer.connections import ACTIVITY_SERVICE, ServiceConfig

WAIT_MS = 20000


@pytest.fixture
def other_origin():
    server = RecordingServer().start()
    yield server
    server.stop()


def texts_on_screen(widget) -> list[str]:
    """Every label, every visible line edit but the secret fields, and the window title."""
    shown = [widget.windowTitle()]
    shown += [label.text() for label in widget.findChildren(QLabel)]
    shown += [
        edit.text()
        for edit in widget.findChildren(QLineEdit)
        if edit.echoMode() == QLineEdit.EchoMode.Normal and "Secret" not in edit.objectName()
    ]
    return shown


def test_a_whole_session_with_sign_in_and_app_credentials_leaks_no_secret(
    qtbot, tmp_path, demo_server, caplog
):
    caplog.set_level(logging.DEBUG)
    settings = QSettings(str(tmp_path / "session" / "settings.ini"), QSettings.Format.IniFormat)
    window = create_window(parse_gui_args([]), settings=settings)
    qtbot.addWidget(window)
    dlg = window.open_connections()
    panel = dlg.panels[ACTIVITY_SERVICE]
    fields = panel.sign_in
    panel.url.setText(demo_server.url)
    fields.method.setCurrentIndex(fields.method.findData(SIGN_IN))
    fields.client_id.setText(demo_server.client_id)
    fields.client_secret.setText(demo_server.client_secret)
    fields.more.setChecked(True)
    fields.connect_url.setText(demo_server.connect_url)
    fields.ports.setText("0")
    codes: list[str] = []

    def keep_code(url: str) -> str:
        codes.append(query_of(url).get("code", ""))
        return url

    browser = Browser(rewrite=keep_code)
    fields.open_url = browser
    with qtbot.waitSignal(fields.signedIn, timeout=WAIT_MS):
        fields.sign_in_button.click()
    browser.join()
    screens = texts_on_screen(dlg)
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    window.connections.activity_client().unread_count()
    # Then app credentials, tested once with a wrong secret and once with the right one.
    dlg = window.open_connections()
    panel = dlg.panels[ACTIVITY_SERVICE]
    panel.sign_in.method.setCurrentIndex(panel.sign_in.method.findData(APP))
    panel.sign_in.client_secret.setText("a-wrong-secret-0451")
    panel.test_button.click()
    qtbot.waitUntil(panel.test_button.isEnabled, timeout=WAIT_MS)
    errors = [panel.result.text()]
    panel.sign_in.client_secret.setText(demo_server.client_secret)
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    window.connections.activity_client().types()
    qtbot.waitUntil(lambda: window.inbox_tab.runner.active_count == 0, timeout=WAIT_MS)
    screens += texts_on_screen(window)
    window.close()
    settings.sync()

    secrets = [demo_server.client_secret, "a-wrong-secret-0451", *codes]
    secrets += demo_server.sign_in.issued_tokens()
    assert len(secrets) >= 4 and all(secrets)
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert files, "the session should have written its settings"
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, path
    # The browser is another program; its thread's own request log is not the app's.
    logged = "\n".join(
        record.getMessage() for record in caplog.records if record.threadName != "test-browser"
    )
    assert "HTTP Request: POST" in logged  # the app's own requests are in it
    for secret in secrets:
        assert secret not in logged
        assert not any(secret in text for text in screens + errors)
    assert "client ID or secret" in errors[0]


def test_reprs_hold_no_secret_or_token(demo_server):
    settings = OAuthSettings(SIGN_IN, "id", "the-secret-1", demo_server.connect_url, ports="0")
    token = AccessToken("the-token-2", 10.0, refresh_token="the-refresh-3")
    endpoint = TokenEndpoint(demo_server.url, settings)
    source = RenewingToken(endpoint, token)
    attempt = SignInAttempt(demo_server.url, settings)
    config = ServiceConfig(demo_server.url, "the-pasted-4", oauth=settings, access=token)
    try:
        shown = " ".join(map(repr, (settings, token, endpoint, source, attempt, config)))
    finally:
        attempt.close()
        source.close()
    for secret in ("the-secret-1", "the-token-2", "the-refresh-3", "the-pasted-4"):
        assert secret not in shown


def test_the_client_secret_never_goes_over_plain_http_to_another_machine():
    settings = OAuthSettings(APP, "id", "the-secret")
    with pytest.raises(InsecureUrlError, match="unencrypted"):
        TokenEndpoint("http://api.example.test", settings)


def test_the_token_endpoint_does_not_follow_a_redirect_with_the_secret(demo_server, other_origin):
    demo_server.faults.set(redirect_to=other_origin.url, api="auth")
    settings = OAuthSettings(APP, demo_server.client_id, demo_server.client_secret)
    endpoint = TokenEndpoint(demo_server.url, settings)
    with pytest.raises(ApiError) as raised:
        endpoint.client_credentials()
    endpoint.close()
    assert other_origin.requests == []
    assert demo_server.client_secret not in raised.value.message


def test_an_error_text_echoing_the_secret_is_scrubbed(demo_server):
    secret = demo_server.client_secret
    demo_server.sign_in.client_secret = "changed"  # now the server refuses ours...
    endpoint = TokenEndpoint(demo_server.url, OAuthSettings(APP, demo_server.client_id, secret))
    endpoint._secrets.append("refused-token")
    assert endpoint._scrub(f"bad secret {secret} and refused-token") == "bad secret … and …"
    with pytest.raises(ApiError) as raised:
        endpoint.client_credentials()
    endpoint.close()
    assert secret not in raised.value.message
