"""The credential store against a real Secret Service (gnome-keyring on a private bus)."""

from __future__ import annotations

import os
import uuid

import keyring
import pytest

from viewer.connections import ACTIVITY_SERVICE
from viewer.credentials import CredentialStore

pytestmark = pytest.mark.secret_service


@pytest.fixture
def secret_service():
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.skip("No D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset); run under .ci/run")
    try:
        from keyring.backends import SecretService

        priority = SecretService.Keyring.priority
    except Exception as exc:  # the backend reports an unreachable service by raising
        pytest.skip(f"No Secret Service is reachable on the session bus: {exc}")
    if priority <= 0:
        pytest.skip("The Secret Service keyring backend is not usable here")
    backend = SecretService.Keyring()
    keyring.set_keyring(backend)  # the autouse memory keyring is restored afterwards
    return backend


def test_token_round_trips_through_a_real_secret_service(secret_service):
    store = CredentialStore()
    status = store.backend_status()
    assert status.secure, status
    assert status.usable, status.describe()
    assert "Secret Service" in status.name
    base_url = f"https://{uuid.uuid4().hex}.example.com"
    token = f"tok-{uuid.uuid4().hex}"
    try:
        assert store.set(ACTIVITY_SERVICE, base_url, token) is True
        assert not store.session_only(ACTIVITY_SERVICE, base_url)
        assert CredentialStore().get(ACTIVITY_SERVICE, base_url + "/v1") == token
        assert secret_service.get_password(f"ActivityViewer:{ACTIVITY_SERVICE}", base_url) == token
    finally:
        store.forget(ACTIVITY_SERVICE, base_url)
    assert CredentialStore().get(ACTIVITY_SERVICE, base_url) is None
    store.forget(ACTIVITY_SERVICE, base_url)  # forgetting twice is not an error
