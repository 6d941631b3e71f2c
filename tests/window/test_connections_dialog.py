"""The Connections dialog, the 401 prompt and the first-run offer, against the demo server."""

from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox

from viewer.app import create_window
from viewer.auth.settings import SIGN_IN
from viewer.cli import parse_gui_args
from viewer.connections import ACTIVITY_SERVICE, PATHWAY_SERVICE, Connections, ServiceConfig
from viewer.credentials import SESSION_ONLY_TEXT, CredentialStore
from viewer.window.connection_settings import read_service
from viewer.window.connections_dialog import ConnectionsDialog
from viewer.window.main_window import MainWindow

KEY = "ActivityViewer:"


def fill(dlg, service, url, token="", *, allow_insecure=False):
    panel = dlg.panels[service]
    panel.url.setText(url)
    panel.token.setText(token)
    if allow_insecure:
        panel.allow_insecure.setChecked(True)
    return panel


def run_test(qtbot, panel):
    panel.test_button.click()
    qtbot.waitUntil(lambda: panel.test_button.isEnabled(), timeout=20000)
    return panel.result.text()


def settle(qtbot, window):
    """Let the tabs' own requests finish before the window closes."""

    def idle() -> bool:
        tabs = (window.pathway_tab, window.inbox_tab)
        return all(
            getattr(tab, "runner", None) is None or not tab.runner.active_count for tab in tabs
        )

    qtbot.waitUntil(idle, timeout=20000)


def click_save(dlg):
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()


@pytest.mark.parametrize("service", [ACTIVITY_SERVICE, PATHWAY_SERVICE])
def test_test_connection_says_the_token_was_accepted(qtbot, dialog, demo_server, service):
    token = demo_server.activity_token if service == ACTIVITY_SERVICE else demo_server.pathway_token
    panel = fill(dialog, service, demo_server.url, token)
    text = run_test(qtbot, panel)
    assert text.startswith("Connected to 127.0.0.1:"), text
    assert "token was accepted" in text


@pytest.mark.parametrize("service", [ACTIVITY_SERVICE, PATHWAY_SERVICE])
def test_test_connection_with_a_wrong_token_shows_the_401_message(
    qtbot, dialog, demo_server, service
):
    panel = fill(dialog, service, demo_server.url, "wrong-token")
    text = run_test(qtbot, panel)
    assert "did not accept the token (HTTP 401)" in text
    assert "wrong-token" not in text
    assert "Connections" not in text  # the person is in it already


def test_plain_http_to_another_host_is_refused_unless_allowed(qtbot, dialog, settings):
    panel = fill(dialog, ACTIVITY_SERVICE, "https://api.example.com", "t")
    assert not panel.allow_insecure.isVisibleTo(dialog)
    panel.url.setText("http://example.com")
    assert panel.allow_insecure.isVisibleTo(dialog)
    assert "sent unencrypted to example.com" in panel.insecure_warning.text()
    panel.test_button.click()  # refused before any request is made
    # Said once, beside the checkbox it is about, in place of the warning.
    assert "would be reached over plain http" in panel.insecure_warning.text()
    assert "tick “Allow insecure HTTP" in panel.insecure_warning.text()
    assert panel.result.text() == ""
    click_save(dialog)
    assert dialog.isVisible()
    assert not dialog.message.isVisibleTo(dialog)
    assert read_service(settings, ACTIVITY_SERVICE) is None
    panel.allow_insecure.setChecked(True)
    assert panel.config().allow_insecure_http
    click_save(dialog)
    assert not dialog.isVisible()
    assert read_service(settings, ACTIVITY_SERVICE).allow_insecure_http


def test_loopback_http_needs_no_opt_in(dialog, demo_server):
    panel = fill(dialog, ACTIVITY_SERVICE, demo_server.url, "t")
    assert not panel.allow_insecure.isVisibleTo(dialog)
    assert not panel.config().allow_insecure_http


def test_token_is_hidden_until_shown(dialog):
    panel = dialog.panels[PATHWAY_SERVICE]
    assert panel.token.echoMode() == panel.token.EchoMode.Password
    panel.show_token.click()
    assert panel.token.echoMode() == panel.token.EchoMode.Normal
    panel.show_token.click()
    assert panel.token.echoMode() == panel.token.EchoMode.Password


def test_save_puts_the_token_in_the_keyring_and_only_the_address_in_settings(
    qtbot, dialog, settings, tmp_path, memory_keyring, demo_server
):
    fill(dialog, ACTIVITY_SERVICE, demo_server.url + "/v1/", demo_server.activity_token)
    with qtbot.waitSignal(dialog.saved) as saved:
        click_save(dialog)
    assert saved.args == [[ACTIVITY_SERVICE]]
    assert memory_keyring.passwords == {
        (KEY + ACTIVITY_SERVICE, demo_server.url): demo_server.activity_token
    }
    assert read_service(settings, ACTIVITY_SERVICE).base_url == demo_server.url
    assert read_service(settings, PATHWAY_SERVICE) is None
    text = (tmp_path / "settings.ini").read_text()
    assert demo_server.url in text
    assert demo_server.activity_token not in text
    assert dialog.connections.config(ACTIVITY_SERVICE).token == demo_server.activity_token


def test_forget_removes_the_token_from_the_keyring_and_the_connection(
    qtbot, settings, memory_keyring
):
    store = CredentialStore()
    store.set(PATHWAY_SERVICE, "https://logs.example.com", "secret-1")
    connections = Connections(ServiceConfig("https://logs.example.com", "secret-1"))
    dlg = ConnectionsDialog(connections, settings, store)
    qtbot.addWidget(dlg)
    panel = dlg.panels[PATHWAY_SERVICE]
    assert panel.token.text() == "secret-1"
    panel.forget_button.click()
    assert memory_keyring.passwords == {}
    assert panel.token.text() == ""
    assert not connections.is_configured(PATHWAY_SERVICE)
    assert "forgotten" in panel.result.text()
    dlg.reject()


def test_without_a_secure_keyring_the_dialog_says_so_and_keeps_tokens_for_the_session(
    qtbot, settings, tmp_path
):
    keyring.set_keyring(fail.Keyring())
    store = CredentialStore()
    connections = Connections()
    dlg = ConnectionsDialog(connections, settings, store)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.keyring_status.text() == SESSION_ONLY_TEXT
    assert dlg.session_only.isVisible()
    fill(dlg, ACTIVITY_SERVICE, "https://api.example.com", "session-secret")
    click_save(dlg)
    assert dlg.isVisible()
    assert "session only" in dlg.message.text()
    dlg.session_only.setChecked(True)
    click_save(dlg)
    assert not dlg.isVisible()
    assert store.get(ACTIVITY_SERVICE, "https://api.example.com") == "session-secret"
    assert connections.config(ACTIVITY_SERVICE).token == "session-secret"
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"session-secret" not in path.read_bytes()


def test_the_keyring_status_names_the_backend(dialog):
    assert dialog.keyring_status.text().startswith("Tokens are stored in ")
    assert not dialog.session_only.isVisibleTo(dialog)


def test_a_refused_token_prompts_for_a_new_one_and_keeps_what_is_on_screen(
    qtbot, settings, demo_server, memory_keyring
):
    connections = Connections(
        ServiceConfig(demo_server.url, demo_server.pathway_token),
        ServiceConfig(demo_server.url, "expired-token"),
    )
    window = MainWindow(connections, settings, store=CredentialStore())
    qtbot.addWidget(window)
    inbox_tab = window.inbox_tab
    window.inbox_tab.credentialsRequested.emit(ACTIVITY_SERVICE)
    qtbot.waitUntil(lambda: window.connections_dialog is not None)
    dlg = window.connections_dialog
    qtbot.waitUntil(dlg.isVisible)
    assert "did not accept the token" in dlg.message.text()
    panel = dlg.panels[ACTIVITY_SERVICE]
    assert panel.token.hasFocus() or not window.isActiveWindow()
    panel.token.setText(demo_server.activity_token)
    settle(qtbot, window)  # the tab's first requests, refused, are over
    click_save(dlg)
    assert connections.config(ACTIVITY_SERVICE).token == demo_server.activity_token
    assert connections.activity_client().unread_count().unread >= 0
    assert window.inbox_tab is inbox_tab  # the tab and its data stay
    assert memory_keyring.passwords[(KEY + ACTIVITY_SERVICE, demo_server.url)] == (
        demo_server.activity_token
    )
    settle(qtbot, window)
    window.close()


def test_file_menu_opens_connections_with_ctrl_comma(qtbot, settings):
    window = create_window(parse_gui_args([]), settings=settings)
    qtbot.addWidget(window)
    assert window.connections_action.shortcut().toString() == "Ctrl+,"
    assert window.connections_action in window.file_menu.actions()
    window.connections_action.trigger()
    assert window.connections_dialog is not None
    assert window.connections_dialog.objectName() == "connectionsDialog"
    window.close()


def test_first_run_offers_demo_data_without_touching_the_keyring(qtbot, settings, memory_keyring):
    window = create_window(
        parse_gui_args(["--demo-users", "5", "--demo-inbox", "5"]), settings=settings
    )
    qtbot.addWidget(window)
    assert window.first_run.isVisibleTo(window)
    old_tab = window.inbox_tab
    window.first_run.demo_button.click()
    assert window.connections.demo
    assert window.inbox_tab is not old_tab
    assert not window.first_run.isVisibleTo(window)
    assert "demo data" in window.windowTitle()
    url = window.connections.config(ACTIVITY_SERVICE).base_url
    assert window.connections.activity_client().unread_count().unread >= 0
    settle(qtbot, window)
    window.close()
    assert memory_keyring.passwords == {}
    import httpx

    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/v1/activities/types", timeout=2)


def test_first_run_connect_saves_and_rebuilds_the_empty_tabs(qtbot, settings, demo_server):
    window = create_window(parse_gui_args([]), settings=settings)
    qtbot.addWidget(window)
    window.first_run.connect_button.click()
    dlg = window.connections_dialog
    assert dlg is not None
    old_tab = window.inbox_tab
    fill(dlg, ACTIVITY_SERVICE, demo_server.url, demo_server.activity_token)
    click_save(dlg)
    assert window.inbox_tab is not old_tab
    assert window.connections.is_configured(ACTIVITY_SERVICE)
    assert not window.first_run.isVisibleTo(window)
    settle(qtbot, window)
    window.close()
    again = create_window(parse_gui_args([]), settings=settings)
    qtbot.addWidget(again)
    assert again.connections.config(ACTIVITY_SERVICE).token == demo_server.activity_token
    assert not again.first_run.isVisibleTo(again)
    settle(qtbot, again)
    again.close()


def test_a_whole_session_leaves_no_token_in_any_file(qtbot, tmp_path, demo_server, caplog):
    caplog.set_level(logging.DEBUG)
    settings = QSettings(str(tmp_path / "session" / "settings.ini"), QSettings.Format.IniFormat)
    window = create_window(parse_gui_args([]), settings=settings)
    qtbot.addWidget(window)
    dlg = window.open_connections()
    fill(dlg, PATHWAY_SERVICE, demo_server.url, demo_server.pathway_token)
    activity = fill(dlg, ACTIVITY_SERVICE, demo_server.url, demo_server.activity_token)
    assert "token was accepted" in run_test(qtbot, activity)
    click_save(dlg)
    window.connections.activity_client().unread_count()
    settle(qtbot, window)
    window.close()
    settings.sync()
    tokens = [demo_server.pathway_token.encode(), demo_server.activity_token.encode()]
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert files, "the session should have written its settings"
    for path in files:
        data = path.read_bytes()
        for token in tokens:
            assert token not in data, path
    for token in tokens:
        assert token.decode() not in caplog.text


@pytest.mark.parametrize("service", [ACTIVITY_SERVICE, PATHWAY_SERVICE])
def test_a_token_that_cannot_be_sent_is_refused_with_a_message(
    qtbot, dialog, demo_server, settings, service
):
    panel = fill(dialog, service, demo_server.url, "tökén-from-a-word-processor")
    panel.test_button.click()  # refused before any request is made
    assert "cannot be sent" in panel.result.text()
    assert "tökén" not in panel.result.text()
    click_save(dialog)
    assert dialog.isVisible() and "cannot be sent" in panel.result.text()
    assert not dialog.message.isVisibleTo(dialog)  # not said twice
    assert read_service(settings, service) is None
    assert demo_server.request_log == []


def test_a_tab_given_a_token_that_cannot_be_sent_says_so_and_asks_for_another(
    qtbot, settings, demo_server
):
    from tests.pathway.ui.conftest import fetch
    from viewer.pathway.ui.tab import PathwayTab

    connections = Connections(ServiceConfig(demo_server.url, "“quoted”-token"))
    tab = PathwayTab(connections, settings)
    qtbot.addWidget(tab)
    try:
        with qtbot.waitSignal(tab.credentialsRequested) as asked:
            fetch(qtbot, tab, "Pathway A", expect_error=True)
        assert asked.args == [PATHWAY_SERVICE]
        assert tab.banner.title == "Not authorised"
        assert "cannot be sent" in tab.banner.text
        assert demo_server.request_log == []
    finally:
        tab.shutdown()
        connections.close()


@pytest.mark.parametrize("service", [ACTIVITY_SERVICE, PATHWAY_SERVICE])
@pytest.mark.parametrize(
    "fault",
    [
        {"not_json": True},  # a proxy's HTML page, with 200
        {"status": 204},
        {"empty_body": True},
        {"truncate_json": True},  # JSON that stops half-way
        {"status": 400},
        {"reported_error": True},  # the error shape, with 200
    ],
    ids=["html-200", "204", "empty-200", "cut-off-json", "400", "error-in-200"],
)
def test_test_connection_does_not_call_an_undocumented_answer_accepted(
    qtbot, dialog, demo_server, service, fault
):
    token = demo_server.activity_token if service == ACTIVITY_SERVICE else demo_server.pathway_token
    demo_server.faults.set(api="activity" if service == ACTIVITY_SERVICE else "pathway", **fault)
    panel = fill(dialog, service, demo_server.url, token)
    text = run_test(qtbot, panel)
    assert "accepted" not in text, text
    assert panel.result.styleSheet() == "color: #b71c1c;", text  # shown as an error
    demo_server.faults.reset()
    assert "token was accepted" in run_test(qtbot, panel)


def test_test_connection_does_not_take_a_bare_404_for_the_api(qtbot, dialog, demo_server):
    # Another web application at this address: its own JSON 404, not the API's error shape.
    from tests.security.canned import canned_server

    not_found = b'{"timestamp": "2025-01-01", "status": 404, "error": "Not Found", "path": "/"}'
    with canned_server({"/v1/logs/pathway-logs": (404, not_found)}) as url:
        panel = fill(dialog, PATHWAY_SERVICE, url, "t")
        text = run_test(qtbot, panel)
    assert "accepted" not in text and "404" in text, text


def test_a_result_goes_when_the_address_or_token_changes_and_moves_nothing(
    qtbot, dialog, demo_server
):
    panel = fill(dialog, PATHWAY_SERVICE, demo_server.url, "wrong-token")
    dialog.show()
    qtbot.waitExposed(dialog)
    buttons_at = panel.test_button.mapTo(dialog, panel.test_button.rect().topLeft())
    result_at = panel.result.geometry()
    assert "HTTP 401" in run_test(qtbot, panel)
    assert panel.test_button.mapTo(dialog, panel.test_button.rect().topLeft()) == buttons_at
    assert panel.result.geometry().top() == result_at.top()
    panel.token.setText(demo_server.pathway_token)
    assert panel.result.text() == ""
    assert "token was accepted" in run_test(qtbot, panel)
    panel.url.setText(demo_server.url + "/")
    assert panel.result.text() == ""
    assert panel.test_button.mapTo(dialog, panel.test_button.rect().topLeft()) == buttons_at


def test_folding_more_settings_gives_the_room_back(qtbot, dialog):
    fields = dialog.panels[ACTIVITY_SERVICE].sign_in
    assert fields is not None
    fields.method.setCurrentIndex(fields.method.findData(SIGN_IN))
    qtbot.waitExposed(dialog)
    fields.more.setChecked(True)
    qtbot.waitUntil(lambda: fields.connect_url.isVisible())
    opened = dialog.height()
    assert opened >= dialog.sizeHint().height()  # the rows appeared, the dialog grew
    fields.more.setChecked(False)
    qtbot.waitUntil(lambda: dialog.height() < opened)
    assert dialog.height() == dialog.sizeHint().height()


def test_no_panel_keeps_an_empty_gap_under_its_buttons(qtbot, dialog):
    qtbot.waitExposed(dialog)
    dialog.adjustSize()
    for panel in dialog.panels.values():
        bottom = panel.test_button.geometry().bottom()
        below = panel.height() - bottom
        # One line kept for a result, and the panel's own margin; no more.
        assert below <= panel.fontMetrics().lineSpacing() + 24, (panel.objectName(), below)
