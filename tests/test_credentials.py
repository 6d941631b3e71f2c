"""The credential store: keyring first, session-only memory when there is no secure keyring."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringLocked, PasswordSetError

from viewer.connections import ACTIVITY_SERVICE, PATHWAY_SERVICE, ServiceConfig
from viewer.credentials import (
    SESSION_ONLY_TEXT,
    CredentialError,
    CredentialStore,
    NoSecureKeyringError,
    is_secure_backend,
)
from viewer.window.connection_settings import load_connections, read_service, write_service

TOKEN = "tok-3f9a-very-secret"


def test_token_is_kept_in_the_keyring_by_service_and_normalized_url(memory_keyring):
    store = CredentialStore()
    assert store.set(ACTIVITY_SERVICE, "https://api.example.com/v1/", TOKEN) is True
    assert memory_keyring.passwords == {
        ("ActivityViewer:activity-log", "https://api.example.com"): TOKEN
    }
    assert store.get(ACTIVITY_SERVICE, "https://api.example.com") == TOKEN
    assert store.get(PATHWAY_SERVICE, "https://api.example.com") is None
    assert store.get(ACTIVITY_SERVICE, "https://other.example.com") is None


def test_forget_removes_the_token_and_tolerates_a_missing_one(memory_keyring):
    store = CredentialStore()
    store.set(PATHWAY_SERVICE, "https://h.example", TOKEN)
    store.forget(PATHWAY_SERVICE, "https://h.example/")
    assert memory_keyring.passwords == {}
    store.forget(PATHWAY_SERVICE, "https://h.example")
    assert store.get(PATHWAY_SERVICE, "https://h.example") is None


def test_memory_keyring_counts_as_secure_and_usable():
    status = CredentialStore().backend_status()
    assert status.secure and status.usable and status.persistent
    assert status.describe().startswith("Tokens are stored in ")


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_without_a_secure_backend_tokens_are_kept_for_this_session_only(
    backend, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    keyring.set_keyring(backend)
    store = CredentialStore()
    status = store.backend_status()
    assert not status.secure and not status.persistent
    assert status.describe() == SESSION_ONLY_TEXT
    with pytest.raises(NoSecureKeyringError) as raised:
        store.set(ACTIVITY_SERVICE, "https://h.example", TOKEN)
    assert TOKEN not in str(raised.value)
    assert store.set(ACTIVITY_SERVICE, "https://h.example", TOKEN, session_only=True) is False
    assert store.get(ACTIVITY_SERVICE, "https://h.example") == TOKEN
    assert store.session_only(ACTIVITY_SERVICE, "https://h.example")
    assert CredentialStore().get(ACTIVITY_SERVICE, "https://h.example") is None
    store.forget(ACTIVITY_SERVICE, "https://h.example")
    assert store.get(ACTIVITY_SERVICE, "https://h.example") is None
    assert list(tmp_path.rglob("*")) == []


def test_plaintext_file_backends_do_not_count_as_secure():
    class PlaintextKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service, username):
            return None

        def set_password(self, service, username, password):
            raise AssertionError("must not be written")

        def delete_password(self, service, username):
            pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    assert not is_secure_backend(PlaintextKeyring())


class BrokenKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service, username):
        raise self.error

    def set_password(self, service, username, password):
        raise PasswordSetError(f"refused {password}")

    def delete_password(self, service, username):
        raise self.error


def test_a_locked_keyring_is_reported_as_not_usable_with_a_clear_reason():
    keyring.set_keyring(BrokenKeyring(KeyringLocked("Failed to unlock the collection!")))
    store = CredentialStore()
    status = store.backend_status()
    assert status.secure and not status.usable
    assert "locked" in status.describe()
    assert "session only" in status.describe()
    with pytest.raises(NoSecureKeyringError):
        store.set(ACTIVITY_SERVICE, "https://h.example", TOKEN)
    with pytest.raises(CredentialError, match="locked"):
        store.get(ACTIVITY_SERVICE, "https://h.example")


def test_keyring_errors_become_messages_without_the_token(monkeypatch):
    backend = BrokenKeyring(RuntimeError("dbus went away"))
    keyring.set_keyring(backend)
    store = CredentialStore()
    monkeypatch.setattr(
        CredentialStore, "backend_status", lambda self, refresh=True: _usable_status()
    )
    with pytest.raises(CredentialError) as raised:
        store.set(ACTIVITY_SERVICE, "https://h.example", TOKEN)
    assert TOKEN not in raised.value.message
    assert "could not be saved" in raised.value.message
    with pytest.raises(CredentialError, match="dbus went away"):
        store.forget(ACTIVITY_SERVICE, "https://h.example")


def _usable_status():
    from viewer.credentials import BackendStatus

    return BackendStatus(secure=True, usable=True, name="a test keyring")


def test_settings_hold_address_and_options_but_never_the_token(settings, tmp_path):
    store = CredentialStore()
    config = ServiceConfig("http://logs.example.com/v1", TOKEN, True, None)
    write_service(settings, PATHWAY_SERVICE, config)
    store.set(PATHWAY_SERVICE, config.base_url, config.token)
    saved = read_service(settings, PATHWAY_SERVICE)
    assert saved is not None and saved.token == "" and saved.allow_insecure_http
    assert TOKEN not in (tmp_path / "settings.ini").read_text()
    connections, problems = load_connections(settings, store)
    assert problems == []
    assert connections.config(PATHWAY_SERVICE).token == TOKEN
    assert connections.config(ACTIVITY_SERVICE) is None
    write_service(settings, PATHWAY_SERVICE, None)
    assert read_service(settings, PATHWAY_SERVICE) is None


def test_an_unreadable_keyring_leaves_the_service_without_a_token_and_says_why(settings):
    write_service(settings, ACTIVITY_SERVICE, ServiceConfig("https://h.example"))
    keyring.set_keyring(BrokenKeyring(KeyringLocked("locked")))
    connections, problems = load_connections(settings, CredentialStore())
    assert not connections.is_configured(ACTIVITY_SERVICE)
    assert problems and "locked" in problems[0]


def test_command_line_token_comes_from_the_environment_first_then_the_keyring(memory_keyring):
    from viewer.credentials import CredentialError, CredentialStore, token_for_command_line

    store = CredentialStore()
    url = "https://api.example.com/v1/"
    with pytest.raises(CredentialError, match="VIEWER_TOKEN"):
        token_for_command_line("activity-log", url, environ={}, store=store)
    store.set("activity-log", url, "from-keyring")
    assert token_for_command_line("activity-log", url, environ={}, store=store) == "from-keyring"
    assert (
        token_for_command_line(
            "activity-log", url, environ={"VIEWER_TOKEN": " from-env "}, store=store
        )
        == "from-env"
    )


# -- client secrets and OAuth tokens ----------------------------------------------------------

SECRET = "client-secret-8c1d"
OAUTH = "oauth-token-51f0"


def test_secrets_and_sign_in_tokens_have_slots_of_their_own(memory_keyring):
    from viewer.auth.tokens import AccessToken
    from viewer.credentials import SECRET_SLOT

    store = CredentialStore()
    url = "https://api.example.com/v1"
    store.set(ACTIVITY_SERVICE, url, TOKEN)
    store.set(ACTIVITY_SERVICE, url, SECRET, slot=SECRET_SLOT)
    store.set_access(ACTIVITY_SERVICE, url, AccessToken(OAUTH, 1234.0))
    assert set(memory_keyring.passwords) == {
        ("ActivityViewer:activity-log", "https://api.example.com"),
        ("ActivityViewer:activity-log:client-secret", "https://api.example.com"),
        ("ActivityViewer:activity-log:oauth-token", "https://api.example.com"),
    }
    assert store.get(ACTIVITY_SERVICE, url) == TOKEN
    assert store.get(ACTIVITY_SERVICE, url, slot=SECRET_SLOT) == SECRET
    assert store.get_access(ACTIVITY_SERVICE, url) == AccessToken(OAUTH, 1234.0)
    store.forget(ACTIVITY_SERVICE, url, slot=SECRET_SLOT)
    assert store.get(ACTIVITY_SERVICE, url) == TOKEN  # the others stay


def test_without_a_secure_keyring_secrets_are_kept_for_the_session_only(tmp_path, monkeypatch):
    from viewer.auth.tokens import AccessToken
    from viewer.credentials import SECRET_SLOT

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    keyring.set_keyring(fail.Keyring())
    store = CredentialStore()
    with pytest.raises(NoSecureKeyringError) as raised:
        store.set(ACTIVITY_SERVICE, "https://h.example", SECRET, slot=SECRET_SLOT)
    assert SECRET not in str(raised.value)
    store.set(ACTIVITY_SERVICE, "https://h.example", SECRET, session_only=True, slot=SECRET_SLOT)
    store.set_access(ACTIVITY_SERVICE, "https://h.example", AccessToken(OAUTH), session_only=True)
    assert store.get(ACTIVITY_SERVICE, "https://h.example", slot=SECRET_SLOT) == SECRET
    assert store.get_access(ACTIVITY_SERVICE, "https://h.example").value == OAUTH
    assert store.get(ACTIVITY_SERVICE, "https://h.example") is None  # slots stay apart
    assert list(tmp_path.rglob("*")) == []


def test_keyring_errors_about_secrets_never_quote_them(monkeypatch):
    from viewer.credentials import SECRET_SLOT

    keyring.set_keyring(BrokenKeyring(RuntimeError("dbus went away")))
    store = CredentialStore()
    monkeypatch.setattr(
        CredentialStore, "backend_status", lambda self, refresh=True: _usable_status()
    )
    with pytest.raises(CredentialError) as raised:
        store.set(ACTIVITY_SERVICE, "https://h.example", SECRET, slot=SECRET_SLOT)
    assert SECRET not in raised.value.message
    assert raised.value.message.startswith("The client secret for https://h.example")


def test_settings_hold_the_client_id_and_connect_url_but_never_the_secret_or_token(
    settings, tmp_path
):
    from viewer.auth.settings import SIGN_IN, OAuthSettings
    from viewer.auth.tokens import AccessToken
    from viewer.credentials import SECRET_SLOT

    store = CredentialStore()
    oauth = OAuthSettings(SIGN_IN, "client-7", SECRET, "https://auth.example/", "openid", "50000")
    config = ServiceConfig("https://api.example.com", oauth=oauth, access=AccessToken(OAUTH, 9.0))
    write_service(settings, ACTIVITY_SERVICE, config)
    store.set(ACTIVITY_SERVICE, config.base_url, SECRET, slot=SECRET_SLOT)
    store.set_access(ACTIVITY_SERVICE, config.base_url, config.access)
    text = (tmp_path / "settings.ini").read_text()
    assert "client-7" in text and "https://auth.example/" in text and "50000" in text
    assert SECRET not in text and OAUTH not in text
    saved = read_service(settings, ACTIVITY_SERVICE)
    assert saved.oauth == oauth.with_secret("") and saved.access is None
    connections, problems = load_connections(settings, store)
    assert problems == []
    assert connections.config(ACTIVITY_SERVICE).oauth == oauth
    assert connections.config(ACTIVITY_SERVICE).access == config.access
    assert connections.is_configured(ACTIVITY_SERVICE)


def test_command_line_credentials_come_from_the_token_then_app_credentials_then_keyring(
    memory_keyring,
):
    from viewer.auth.token_sources import RenewingToken
    from viewer.credentials import credentials_for_command_line

    store = CredentialStore()
    url = "https://api.example.com"
    app = {"VIEWER_CLIENT_ID": "id-1", "VIEWER_CLIENT_SECRET": SECRET}
    source = credentials_for_command_line(
        ACTIVITY_SERVICE, url, environ=app, store=store, renewable=True
    )
    assert isinstance(source, RenewingToken)
    source.close()
    assert (
        credentials_for_command_line(
            ACTIVITY_SERVICE, url, environ={**app, "VIEWER_TOKEN": "t"}, renewable=True
        )
        == "t"
    )
    store.set(PATHWAY_SERVICE, url, "pasted")
    # The pathway service has no app credentials: the variables are not looked at.
    assert credentials_for_command_line(PATHWAY_SERVICE, url, environ=app, store=store) == "pasted"
    with pytest.raises(CredentialError, match="VIEWER_CLIENT_ID is not set"):
        credentials_for_command_line(
            ACTIVITY_SERVICE,
            url,
            environ={"VIEWER_CLIENT_SECRET": SECRET},
            store=store,
            renewable=True,
        )
