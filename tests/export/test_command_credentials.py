"""``export inbox`` with app credentials that renew mid-walk, and with a signed-in token."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

import pytest

from tests.export.test_command import rows_of
from viewer.auth.tokens import AccessToken
from viewer.connections import ACTIVITY_SERVICE
from viewer.credentials import CredentialStore
from viewer.demo.server import DemoServer
from viewer.export import command

INBOX = 600  # six pages of 100 at the walk's page size


@pytest.fixture
def short_lived():
    """Tokens live two seconds; each page takes half a second: a walk outlives its token."""
    with DemoServer(seed=5, users=5, inbox=INBOX, activities=2, token_ttl=2) as server:
        server.faults.set(latency=0.5, api="activity")
        yield server


def app_environment(server, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIEWER_")}
    env.update(VIEWER_CLIENT_ID=server.client_id, VIEWER_CLIENT_SECRET=server.client_secret)
    env.update(extra)
    return env


def test_a_long_export_renews_its_token_and_never_fails_on_expiry(short_lived, tmp_path):
    target = tmp_path / "inbox.csv"
    started = time.monotonic()
    args = ["export", "inbox", "--server", short_lived.url, "--output", str(target)]
    done = subprocess.run(
        [sys.executable, "-m", "viewer", *args],
        capture_output=True,
        env=app_environment(short_lived),
        timeout=120,
        check=False,
    )
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    # Only the summary on stderr, not even a library's warning.
    assert done.stderr.decode().startswith(f"Wrote {INBOX:,} rows")
    assert len(done.stderr.splitlines()) == 1
    assert len(rows_of(target)) - 1 == INBOX
    assert took > 2  # the walk did outlive the first token...
    assert short_lived.sign_in.issued >= 2  # ...and got another one


def test_the_token_variable_wins_over_app_credentials(demo_server, tmp_path):
    target = tmp_path / "o.csv"
    environ = app_environment(demo_server, VIEWER_TOKEN=demo_server.activity_token)
    code = command.run(
        ["inbox", "--server", demo_server.url, "--output", str(target)], environ=environ
    )
    assert code == 0
    assert demo_server.sign_in.issued == 0


def test_half_of_the_app_credentials_is_a_usage_error(demo_server, tmp_path):
    err = io.StringIO()
    code = command.run(
        ["inbox", "--server", demo_server.url, "--output", str(tmp_path / "o.csv")],
        environ={"VIEWER_CLIENT_ID": demo_server.client_id},
        store=CredentialStore(),
        stderr=err,
    )
    assert code == 2
    assert "VIEWER_CLIENT_SECRET is not set" in err.getvalue()


def test_a_wrong_client_secret_fails_with_1_without_quoting_it(demo_server, tmp_path):
    err = io.StringIO()
    environ = {"VIEWER_CLIENT_ID": demo_server.client_id, "VIEWER_CLIENT_SECRET": "not-it-77"}
    code = command.run(
        ["inbox", "--server", demo_server.url, "--output", str(tmp_path / "o.csv")],
        environ=environ,
        stderr=err,
    )
    assert code == 1
    assert "client ID or secret" in err.getvalue()
    assert "not-it-77" not in err.getvalue()
    assert list(tmp_path.iterdir()) == []


def test_a_signed_in_token_in_the_keyring_is_used_until_it_ends(demo_server, tmp_path):
    store = CredentialStore()
    issued = command_line_token(demo_server)
    store.set_access(ACTIVITY_SERVICE, demo_server.url, issued)
    target = tmp_path / "o.csv"
    code = command.run(
        ["inbox", "--server", demo_server.url, "--output", str(target)], environ={}, store=store
    )
    assert code == 0 and len(rows_of(target)) == 231
    store.set_access(ACTIVITY_SERVICE, demo_server.url, AccessToken(issued.value, time.time() - 1))
    err = io.StringIO()
    code = command.run(
        ["inbox", "--server", demo_server.url, "--output", str(target)],
        environ={},
        store=store,
        stderr=err,
    )
    assert code == 2
    assert "python -m viewer login activity --server" in err.getvalue()


def command_line_token(server) -> AccessToken:
    from viewer.auth.settings import APP, OAuthSettings
    from viewer.auth.token_endpoint import TokenEndpoint

    endpoint = TokenEndpoint(server.url, OAuthSettings(APP, server.client_id, server.client_secret))
    try:
        return endpoint.client_credentials()
    finally:
        endpoint.close()
