"""The loopback redirect of a native app's sign-in (RFC 8252, section 7.3).

A listener on 127.0.0.1 — the address, not the name ``localhost``, which may resolve
elsewhere — on the first free port of a configured range waits for the browser to come back
to ``/callback``. It takes exactly one callback: with the expected ``state`` and a ``code``
the sign-in goes on; a wrong state, an ``error=`` answer, a timeout or Cancel each end it
with a message. Either way the browser gets a short page saying the window can be closed,
and the listener stops.
"""

from __future__ import annotations

import contextlib
import html
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from viewer.api.errors import Advice, ApiError, Cancelled
from viewer.api.http import CancelToken
from viewer.auth.settings import PortRange
from viewer.formats import plural

CALLBACK_PATH = "/callback"
#: How long a person has to finish in the browser.
DEFAULT_TIMEOUT = 300.0
_POLL = 0.1


class SignInError(ApiError):
    """The sign-in ended without a token; the message says why and what to do."""

    title = "Sign-in failed"


@dataclass(frozen=True)
class Callback:
    """What the browser brought back: a code. Kept out of ``repr``."""

    code: str = field(repr=False)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # Rebinding a port left in TIME_WAIT by the last sign-in is fine on POSIX, where a port
    # another program listens on stays refused; on Windows the flag would let us share it.
    allow_reuse_address = os.name != "nt"

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up, which can stall; not needed here.
        import socketserver

        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]


class LoopbackListener:
    """Listens for one sign-in callback; use as a context manager or call ``close``."""

    def __init__(self, ports: PortRange, state: str | None = None) -> None:
        self.state = state if state is not None else secrets.token_urlsafe(24)
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._result: Callback | SignInError | None = None
        self._server = self._bind(ports)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": _POLL},
            name="sign-in-listener",
            daemon=True,
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.port}{CALLBACK_PATH}"

    def __enter__(self) -> LoopbackListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop listening; safe to call more than once."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def wait(self, *, timeout: float = DEFAULT_TIMEOUT, cancel: CancelToken | None = None) -> str:
        """The code of the callback; raises ``SignInError`` or ``Cancelled``, and stops."""
        deadline = time.monotonic() + timeout
        try:
            while not self._done.wait(_POLL):
                if cancel is not None and cancel.cancelled:
                    raise Cancelled("The sign-in was cancelled.")
                if time.monotonic() >= deadline:
                    raise SignInError(
                        "No answer came back from the browser within "
                        f"{_duration(timeout)}, so the sign-in was stopped. Sign in again, "
                        "and finish in the browser window that opens."
                    )
            result = self._result
        finally:
            self.close()
        if isinstance(result, SignInError):
            raise result
        assert result is not None
        return result.code

    # -- inside the server's threads ------------------------------------------------------

    def _answer(self, query: str) -> tuple[int, str, str]:
        """Status, heading and sentence for the browser; settles the result once."""
        params = {key: values[-1] for key, values in parse_qs(query).items()}
        with self._lock:
            if self._done.is_set():
                return 409, "Already answered", "This sign-in is over. You can close this window."
            result = self._judge(params)
            self._result = result
            self._done.set()
        if isinstance(result, Callback):
            return 200, "Signed in", "You can close this window and return to Activity Viewer."
        return 400, "Sign-in failed", result.message + " You can close this window."

    def _judge(self, params: dict[str, str]) -> Callback | SignInError:
        given = params.get("state", "")
        if not secrets.compare_digest(given.encode(), self.state.encode()):
            return SignInError(
                "The answer that came back did not belong to this sign-in (its state did not "
                "match), so it was refused. Sign in again from the app."
            )
        error = params.get("error", "").strip()
        if error:
            said = " ".join(params.get("error_description", "").split())[:300]
            why = f"{error}: {said}" if said else error
            if error == "access_denied":
                return SignInError(f"The sign-in was declined ({why}). Nothing was changed.")
            return SignInError(f"globaliD did not sign you in ({why}). Try again.")
        code = params.get("code", "").strip()
        if not code:
            return SignInError(
                "The answer that came back held no sign-in code. Sign in again from the app."
            )
        return Callback(code)

    def _bind(self, ports: PortRange) -> _Server:
        listener = self
        last_error: OSError | None = None
        for port in ports:
            try:
                return _Server(("127.0.0.1", port), _handler_for(listener))
            except OSError as exc:
                last_error = exc
        raise SignInError(
            f"No port between {ports.first} and {ports.last} on 127.0.0.1 is free to receive "
            f"the sign-in ({last_error.strerror if last_error else 'none'}).",
            advice=Advice.PORT_RANGE,
        )


def _handler_for(listener: LoopbackListener) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "ActivityViewer"
        sys_version = ""
        timeout = 10  # a browser's idle preconnection must not hold a thread for long

        def log_message(self, format: str, *args: object) -> None:
            """Never log: the request line carries the sign-in code."""

        def do_GET(self) -> None:
            split = urlsplit(self.path)
            if split.path != CALLBACK_PATH:
                self._page(404, "Not found", "This address only receives a sign-in.")
                return
            self._page(*listener._answer(split.query))

        def _page(self, status: int, heading: str, text: str) -> None:
            body = (
                "<!DOCTYPE html><html><head><meta charset='utf-8'>"
                f"<title>{html.escape(heading)}</title></head>"
                "<body style='font-family: sans-serif; margin: 3em'>"
                f"<h1>{html.escape(heading)}</h1><p>{html.escape(text)}</p></body></html>"
            ).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Connection", "close")
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(body)
            self.close_connection = True

    return Handler


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return plural(round(seconds / 60), "minute")
    return plural(max(1, round(seconds)), "second")
