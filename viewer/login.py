"""``python -m viewer login activity``: sign in through the browser, keep the token.

The Connect URL is printed on standard output as well as opened, so that on a machine
without a browser it can be opened elsewhere (the redirect goes to 127.0.0.1 of the machine
running this command: forward its port, for example with ``ssh -L``). The token goes to the
keyring, where ``export inbox`` finds it.

Exit status: 0 when signed in; 1 when the sign-in failed or the token could not be kept;
2 for bad usage; 130 when interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
import time
import webbrowser
from collections.abc import Callable, Mapping, Sequence
from typing import TextIO

from viewer.api.errors import ApiError, Cancelled, InsecureUrlError, InvalidUrlError
from viewer.api.http import normalize_base_url
from viewer.auth.loopback import DEFAULT_TIMEOUT
from viewer.auth.settings import (
    DEFAULT_CONNECT_URL,
    DEFAULT_PORTS,
    DEFAULT_SCOPE,
    SIGN_IN,
    OAuthSettings,
    SettingsError,
)
from viewer.auth.sign_in import SignInAttempt, check_sign_in_settings
from viewer.command_line import worded
from viewer.connections import ACTIVITY_SERVICE
from viewer.credentials import (
    CLIENT_ID_VARIABLE,
    CLIENT_SECRET_VARIABLE,
    CredentialError,
    CredentialStore,
)
from viewer.formats import plural

OK, FAILED, USAGE = 0, 1, 2
PROG = "python -m viewer login"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Sign in with globaliD in the browser and keep the token in the keyring "
        "for later exports. The client secret comes from VIEWER_CLIENT_SECRET, or is asked "
        "for.",
    )
    services = parser.add_subparsers(dest="service", required=True, metavar="{activity}")
    activity = services.add_parser(
        "activity", prog=f"{PROG} activity", help="the activity log (globaliD)"
    )
    activity.add_argument("--server", required=True, metavar="URL", help="the API's base URL")
    activity.add_argument(
        "--client-id", metavar="ID", help=f"the app's client ID (or {CLIENT_ID_VARIABLE})"
    )
    activity.add_argument(
        "--connect-url",
        default=DEFAULT_CONNECT_URL,
        metavar="URL",
        help="where people sign in (%(default)s)",
    )
    activity.add_argument(
        "--scope", default=DEFAULT_SCOPE, help="what to ask access to (%(default)s)"
    )
    activity.add_argument(
        "--ports",
        default=DEFAULT_PORTS,
        metavar="RANGE",
        help="loopback ports for the redirect, as registered with globaliD (%(default)s)",
    )
    activity.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="how long to wait for the browser (%(default)s)",
    )
    activity.add_argument(
        "--no-browser", action="store_true", help="only print the address; open it yourself"
    )
    activity.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow a plain http:// address for a server other than this machine",
    )
    activity.add_argument("--ca-bundle", metavar="FILE", help="certificate authorities (PEM)")
    return parser


def run(
    argv: Sequence[str],
    *,
    environ: Mapping[str, str] | None = None,
    store: CredentialStore | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    open_url: Callable[[str], object] = webbrowser.open,
) -> int:
    args = build_parser().parse_args(list(argv))
    env = os.environ if environ is None else environ
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    client_id = (args.client_id or env.get(CLIENT_ID_VARIABLE, "")).strip()
    secret = env.get(CLIENT_SECRET_VARIABLE, "").strip()
    if not secret and client_id and sys.stdin.isatty():
        secret = getpass.getpass("Client secret: ").strip()
    settings = OAuthSettings(SIGN_IN, client_id, secret, args.connect_url, args.scope, args.ports)
    try:
        server = normalize_base_url(args.server)
        check_sign_in_settings(settings)
        attempt = SignInAttempt(
            server,
            settings,
            allow_insecure_http=args.allow_insecure_http,
            verify=args.ca_bundle or True,
            timeout=args.timeout,
        )
    except SettingsError as exc:
        print(f"{PROG}: {exc} (--client-id, {CLIENT_SECRET_VARIABLE})", file=err)
        return USAGE
    except (InvalidUrlError, InsecureUrlError) as exc:
        print(f"{PROG}: {worded(exc)}", file=err)
        return USAGE
    except ApiError as exc:  # no free port for the redirect
        print(f"{PROG}: {worded(exc)}", file=err)
        return FAILED
    with attempt:
        print(
            f"Open this address in a browser to sign in (waiting {_minutes(args.timeout)}):",
            file=err,
        )
        print(attempt.url, file=out, flush=True)
        if not args.no_browser:
            with contextlib.suppress(Exception):  # no browser: the printed address is the way
                open_url(attempt.url)
        try:
            token = attempt.finish()
        except Cancelled:
            return FAILED
        except ApiError as exc:
            print(f"{PROG}: {worded(exc)}", file=err)
            return FAILED
        except KeyboardInterrupt:
            print(f"{PROG}: interrupted; not signed in.", file=err)
            return 130
    store = store or CredentialStore()
    try:
        store.set_access(ACTIVITY_SERVICE, server, token)
    except CredentialError as exc:
        print(f"{PROG}: signed in, but the token could not be kept: {exc.message}", file=err)
        return FAILED
    until = (
        time.strftime(" until %H:%M on %d %b", time.localtime(token.expires_at))
        if token.expires_at
        else ""
    )
    name = store.backend_status(refresh=False).name
    print(f"Signed in to {server}. The token is kept in {name}{until}.", file=err)
    return OK


def _minutes(seconds: float) -> str:
    if seconds >= 120:
        return f"up to {plural(round(seconds / 60), 'minute')}"
    return f"up to {plural(max(1, round(seconds)), 'second')}"
