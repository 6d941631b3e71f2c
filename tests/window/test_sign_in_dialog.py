"""Connections: signing in with globaliD, app credentials, token files, and what is kept."""

from __future__ import annotations

import json
import socket
import time

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from tests.auth.support import Browser, with_query
from viewer.auth.settings import APP, PASTED, SIGN_IN, OAuthSettings
from viewer.auth.tokens import AccessToken, RenewalPolicy
from viewer.connections import ACTIVITY_SERVICE, PATHWAY_SERVICE, Connections, ServiceConfig
from viewer.credentials import CredentialStore
from viewer.window.connection_settings import load_connections
from viewer.window.connections_dialog import ConnectionsDialog
from viewer.window.main_window import MainWindow
from viewer.window.token_file_import import apply_token_file

WAIT_MS = 20000
SECRETS = "ActivityViewer:activity-log:client-secret"
OAUTH = "ActivityViewer:activity-log:oauth-token"


def choose(dlg, server, method: str, *, browser=None):
    panel = dlg.panels[ACTIVITY_SERVICE]
    fields = panel.sign_in
    panel.url.setText(server.url)
    fields.method.setCurrentIndex(fields.method.findData(method))
    fields.client_id.setText(server.client_id)
    fields.client_secret.setText(server.client_secret)
    fields.more.setChecked(True)
    fields.connect_url.setText(server.connect_url)
    fields.ports.setText("0")
    if browser is not None:
        fields.open_url = browser
    return panel


def wait_done(qtbot, panel):
    qtbot.waitUntil(lambda: panel.sign_in.sign_in_button.isEnabled(), timeout=WAIT_MS)


def save(dlg):
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_the_method_picks_the_rows_shown(dialog):
    panel = dialog.panels[ACTIVITY_SERVICE]
    fields = panel.sign_in
    assert fields.current_method == PASTED
    assert panel.token.isVisibleTo(dialog) and not fields.client_id.isVisibleTo(dialog)
    fields.method.setCurrentIndex(fields.method.findData(SIGN_IN))
    assert fields.client_id.isVisibleTo(dialog) and fields.sign_in_button.isVisibleTo(dialog)
    assert not panel.token.isVisibleTo(dialog)
    assert not fields.cancel_button.isVisibleTo(dialog)
    assert not fields.connect_url.isVisibleTo(dialog)  # under "More settings"
    fields.more.setChecked(True)
    assert fields.connect_url.isVisibleTo(dialog) and fields.ports.isVisibleTo(dialog)
    fields.method.setCurrentIndex(fields.method.findData(APP))
    assert fields.client_secret.isVisibleTo(dialog)
    assert not fields.sign_in_button.isVisibleTo(dialog)
    assert not fields.connect_url.isVisibleTo(dialog) and fields.scope.isVisibleTo(dialog)
    assert fields.client_secret.echoMode() == fields.client_secret.EchoMode.Password
    assert dialog.panels[PATHWAY_SERVICE].sign_in is None  # Falkor has token files instead


def test_signing_in_end_to_end_keeps_the_token_and_secret_in_the_keyring_only(
    qtbot, dialog, demo_server, memory_keyring, tmp_path
):
    browser = Browser()
    panel = choose(dialog, demo_server, SIGN_IN, browser=browser)
    with qtbot.waitSignal(panel.sign_in.signedIn, timeout=WAIT_MS) as signed:
        panel.sign_in.sign_in_button.click()
        assert panel.sign_in.cancel_button.isVisibleTo(dialog)
        assert panel.sign_in.link.text() == browser.opened[0]  # to copy when none opened
    browser.join()
    token = signed.args[0]
    assert "close this window" in browser.last_page
    assert "Save to use" in panel.result.text()
    assert panel.sign_in.status.text().startswith("Signed in; the session ends at ")
    with qtbot.waitSignal(dialog.saved):
        save(dialog)
    stored = memory_keyring.passwords[(OAUTH, demo_server.url)]
    assert json.loads(stored)["access_token"] == token.value
    assert memory_keyring.passwords[(SECRETS, demo_server.url)] == demo_server.client_secret
    text = (tmp_path / "settings.ini").read_text()
    assert demo_server.client_id in text and "sign-in" in text
    assert demo_server.client_secret not in text and token.value not in text
    connections = dialog.connections
    assert connections.is_configured(ACTIVITY_SERVICE)
    assert connections.activity_client().unread_count().unread >= 0


def test_a_forged_answer_ends_the_sign_in_with_a_message(qtbot, dialog, demo_server):
    browser = Browser(rewrite=lambda url: with_query(url, state="forged"))
    panel = choose(dialog, demo_server, SIGN_IN, browser=browser)
    panel.sign_in.sign_in_button.click()
    wait_done(qtbot, panel)
    browser.join()
    assert panel.result.text().startswith("Sign-in failed: ")
    assert "state did not match" in panel.result.text()
    assert panel.sign_in.access is None
    assert panel.sign_in.status.text() == "Not signed in."


def test_a_declined_sign_in_says_so(qtbot, dialog, demo_server):
    demo_server.sign_in.deny = True
    browser = Browser()
    panel = choose(dialog, demo_server, SIGN_IN, browser=browser)
    panel.sign_in.sign_in_button.click()
    wait_done(qtbot, panel)
    browser.join()
    assert "declined" in panel.result.text()


def test_no_answer_in_time_ends_with_a_timeout_message(qtbot, dialog, demo_server):
    panel = choose(dialog, demo_server, SIGN_IN, browser=lambda url: True)
    panel.sign_in.timeout = 0.3
    panel.sign_in.sign_in_button.click()
    wait_done(qtbot, panel)
    assert "No answer came back from the browser" in panel.result.text()


def test_cancel_stops_waiting_and_frees_the_port(qtbot, dialog, demo_server):
    opened = []
    panel = choose(dialog, demo_server, SIGN_IN, browser=opened.append)
    panel.sign_in.sign_in_button.click()
    port = int(opened[0].split("127.0.0.1%3A")[1].split("%2F")[0])
    panel.sign_in.cancel_button.click()
    wait_done(qtbot, panel)
    assert "cancelled" in panel.result.text()
    assert not panel.sign_in.cancel_button.isVisibleTo(dialog)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_closing_the_dialog_stops_a_sign_in_in_progress(qtbot, settings, demo_server):
    connections = Connections()
    dlg = ConnectionsDialog(connections, settings, CredentialStore())
    qtbot.addWidget(dlg)
    dlg.show()
    panel = choose(dlg, demo_server, SIGN_IN, browser=lambda url: True)
    panel.sign_in.sign_in_button.click()
    assert dlg.runner.active_count == 1
    dlg.reject()
    assert dlg.runner.active_count == 0
    connections.close()


def test_app_credentials_test_and_save_without_any_token_kept(
    qtbot, dialog, demo_server, memory_keyring
):
    panel = choose(dialog, demo_server, APP)
    panel.test_button.click()
    qtbot.waitUntil(panel.test_button.isEnabled, timeout=WAIT_MS)
    assert "token was accepted" in panel.result.text(), panel.result.text()
    save(dialog)
    assert memory_keyring.passwords == {(SECRETS, demo_server.url): demo_server.client_secret}
    assert dialog.connections.activity_client().types()


def test_app_credentials_with_a_wrong_secret_say_so_in_the_test(qtbot, dialog, demo_server):
    panel = choose(dialog, demo_server, APP)
    panel.sign_in.client_secret.setText("wrong-secret-99")
    panel.test_button.click()
    qtbot.waitUntil(panel.test_button.isEnabled, timeout=WAIT_MS)
    assert "client ID or secret" in panel.result.text()
    assert "wrong-secret-99" not in panel.result.text()


def test_test_connection_before_signing_in_says_to_sign_in_first(dialog, demo_server):
    panel = choose(dialog, demo_server, SIGN_IN)
    panel.test_button.click()
    assert panel.result.text() == "Sign in first, then test the connection."


def test_saved_sign_in_comes_back_on_the_next_start_and_forget_removes_it(
    qtbot, dialog, settings, demo_server, memory_keyring
):
    browser = Browser()
    panel = choose(dialog, demo_server, SIGN_IN, browser=browser)
    with qtbot.waitSignal(panel.sign_in.signedIn, timeout=WAIT_MS):
        panel.sign_in.sign_in_button.click()
    browser.join()
    save(dialog)
    connections, problems = load_connections(settings, CredentialStore())
    assert problems == []
    config = connections.config(ACTIVITY_SERVICE)
    assert config.method == SIGN_IN and config.oauth.client_secret == demo_server.client_secret
    assert config.access is not None and connections.is_configured(ACTIVITY_SERVICE)
    again = ConnectionsDialog(connections, settings, CredentialStore())
    qtbot.addWidget(again)
    fields = again.panels[ACTIVITY_SERVICE].sign_in
    assert fields.current_method == SIGN_IN
    assert fields.status.text().startswith("Signed in; the session ends at ")
    again.panels[ACTIVITY_SERVICE].forget_button.click()
    assert memory_keyring.passwords == {}
    assert not connections.is_configured(ACTIVITY_SERVICE)
    again.reject()
    connections.close()


TOKEN_FILE = '{"token": "ZGVtby10b2tlbi1maWxl", "baseApiEndpoint": "https://api.falkor.example/v1"}'


def test_a_token_file_fills_the_url_and_token_and_nothing_else_is_kept(
    qtbot, dialog, tmp_path, memory_keyring
):
    path = tmp_path / "falkor-token-download.json"
    path.write_text(TOKEN_FILE)
    panel = dialog.panels[PATHWAY_SERVICE]
    assert panel.import_button.text() == "Import token file…"
    found = apply_token_file(panel, str(path))
    assert found.complete
    assert panel.url.text() == "https://api.falkor.example"
    assert panel.token.text() == "ZGVtby10b2tlbi1maWxl"
    assert "filled in from the file" in panel.result.text()
    save(dialog)
    assert memory_keyring.passwords == {
        ("ActivityViewer:pathway-logs", "https://api.falkor.example"): "ZGVtby10b2tlbi1maWxl"
    }
    text = (tmp_path / "settings.ini").read_text()
    assert "falkor-token-download" not in text and "ZGVtby10b2tlbi1maWxl" not in text


def test_a_token_file_without_a_url_says_what_is_missing(dialog, tmp_path):
    path = tmp_path / "token.txt"
    path.write_text("token: ZGVtby10b2tlbi1maWxl\n")
    panel = dialog.panels[PATHWAY_SERVICE]
    panel.url.setText("https://kept.example")
    apply_token_file(panel, str(path))
    assert panel.url.text() == "https://kept.example"
    assert panel.result.text().startswith("The token was filled in. No server address was found")


# -- the window -----------------------------------------------------------------------------


def signed_in_connections(server, token: AccessToken, **options) -> Connections:
    oauth = OAuthSettings(SIGN_IN, server.client_id, server.client_secret, server.connect_url)
    return Connections(None, ServiceConfig(server.url, oauth=oauth, access=token), **options)


def test_an_ended_sign_in_prompts_to_sign_in_again(qtbot, settings, demo_server):
    connections = signed_in_connections(demo_server, AccessToken("ended", None))
    window = MainWindow(connections, settings, store=CredentialStore())
    qtbot.addWidget(window)
    window.inbox_tab.credentialsRequested.emit(ACTIVITY_SERVICE)
    dlg = window.connections_dialog
    qtbot.waitUntil(dlg.isVisible)
    assert dlg.message.text().startswith("The globaliD sign-in has ended. Sign in again")
    qtbot.waitUntil(lambda: window.inbox_tab.runner.active_count == 0, timeout=WAIT_MS)
    window.close()


def test_the_window_asks_to_sign_in_again_before_the_session_ends(qtbot, settings, demo_server):
    # A real token the server accepts, which the window is told ends in three seconds.
    short = AccessToken(_signed_in_token(demo_server).value, time.time() + 3)
    policy = RenewalPolicy(warn_margin=2.0)
    connections = signed_in_connections(demo_server, short, policy=policy)
    window = MainWindow(connections, settings, store=CredentialStore())
    qtbot.addWidget(window)
    assert window.sessions.watch.active
    with qtbot.waitSignal(window.sessions.watch.expiring, timeout=WAIT_MS):
        pass
    box = window.sessions.box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "sign-in ends in a moment" in box.text()
    again = next(b for b in box.buttons() if b.text() == "Sign in again…")
    again.click()
    dlg = window.connections_dialog
    qtbot.waitUntil(lambda: dlg is not None and dlg.isVisible())
    assert "Sign in again" in dlg.message.text()
    qtbot.waitUntil(lambda: window.inbox_tab.runner.active_count == 0, timeout=WAIT_MS)
    window.close()


def _signed_in_token(server) -> AccessToken:
    from viewer.auth.sign_in import SignInAttempt

    settings = OAuthSettings(
        SIGN_IN, server.client_id, server.client_secret, server.connect_url, ports="0"
    )
    browser = Browser()
    with SignInAttempt(server.url, settings) as attempt:
        browser(attempt.url)
        token = attempt.finish()
    browser.join()
    return token
