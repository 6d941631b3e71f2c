"""``python -m viewer login activity``: sign in through the browser, token to the keyring."""

from __future__ import annotations

import io
import json

from tests.auth.support import Browser, with_query
from viewer import login
from viewer.connections import ACTIVITY_SERVICE
from viewer.credentials import CredentialStore
from viewer.export import command

KEY = ("ActivityViewer:activity-log:oauth-token",)


def run_login(server, browser, *extra: str, secret: str | None = None):
    out, err = io.StringIO(), io.StringIO()
    environ = {"VIEWER_CLIENT_SECRET": server.client_secret if secret is None else secret}
    code = login.run(
        [
            *("activity", "--server", server.url + "/v1/", "--client-id", server.client_id),
            *("--connect-url", server.connect_url, "--ports", "0", *extra),
        ],
        environ=environ,
        stdout=out,
        stderr=err,
        open_url=browser,
    )
    browser.join()
    return code, out.getvalue(), err.getvalue()


def test_login_prints_the_address_signs_in_and_keeps_the_token(
    demo_server, memory_keyring, tmp_path
):
    browser = Browser()
    code, out, err = run_login(demo_server, browser)
    assert code == 0, err
    assert out.strip() == browser.opened[0]  # the address, alone, for a machine without one
    assert out.startswith(demo_server.connect_url + "?")
    assert "Open this address in a browser" in err and "Signed in to" in err
    stored = memory_keyring.passwords[(KEY[0], demo_server.url)]
    assert json.loads(stored)["expires_at"] > 0
    assert demo_server.client_secret not in str(memory_keyring.passwords)
    target = tmp_path / "o.csv"
    assert (
        command.run(
            ["inbox", "--server", demo_server.url, "--output", str(target)],
            environ={},
            store=CredentialStore(),
        )
        == 0
    )


def test_no_browser_only_prints_the_address(demo_server):
    opened = []
    out, err = io.StringIO(), io.StringIO()
    code = login.run(
        [
            *("activity", "--server", demo_server.url, "--client-id", demo_server.client_id),
            *("--connect-url", demo_server.connect_url, "--ports", "0", "--timeout", "0.3"),
            "--no-browser",
        ],
        environ={"VIEWER_CLIENT_SECRET": demo_server.client_secret},
        stdout=out,
        stderr=err,
        open_url=opened.append,
    )
    assert opened == []
    assert out.getvalue().startswith(demo_server.connect_url)
    assert code == 1 and "No answer came back from the browser" in err.getvalue()


def test_a_forged_answer_fails_and_keeps_nothing(demo_server, memory_keyring):
    browser = Browser(rewrite=lambda url: with_query(url, state="forged"))
    code, _out, err = run_login(demo_server, browser)
    assert code == 1 and "state did not match" in err
    assert memory_keyring.passwords == {}


def test_without_a_client_secret_login_says_what_is_missing(demo_server):
    code, _out, err = run_login(demo_server, Browser(), secret="")
    assert code == 2 and "client secret" in err


def test_login_keeps_the_token_under_the_service_and_normalised_url(demo_server):
    browser = Browser()
    code, _out, _err = run_login(demo_server, browser)
    assert code == 0
    assert CredentialStore().get_access(ACTIVITY_SERVICE, demo_server.url) is not None
