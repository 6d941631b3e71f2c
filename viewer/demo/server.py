"""The embedded demo server: both APIs over real HTTP, with switches that make it misbehave.

    with DemoServer(users=50, inbox=100) as server:
        client = PathwayClient(server.url, server.pathway_token)

Routes live in ``pathway_routes`` and ``activity_routes``; this module owns the socket, the
threads, the fault switches and the loopback-only control endpoints under ``/_demo/``.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from viewer.demo import activity_routes, pathway_routes
from viewer.demo.auth_routes import DEFAULT_TOKEN_TTL, SignInBook, is_auth_path
from viewer.demo.faults import FaultState, FaultSwitches
from viewer.demo.http_server import DemoHTTPServer
from viewer.demo.identity import CONNECT_PATH, api_tokens
from viewer.demo.inbox_data import TYPE_BY_NAME
from viewer.demo.motion import Motion
from viewer.demo.pathways import Filters, PathwayBook
from viewer.demo.store import InboxStore
from viewer.demo.wire import (
    BodyError,
    Request,
    Response,
    decode_object,
    error_for,
    gateway_page,
    json_response,
    try_json,
)

CONTROL_PREFIX = "/_demo/"
REQUEST_LOG_LIMIT = 10000


def _is_loopback(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


class DemoServer:
    """Both APIs with deterministic data from ``seed``; see the module docstring."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 1,
        users: int = 200,
        inbox: int = 500,
        activities: int = 12,
        db_path: str | None = None,
        token_ttl: float = DEFAULT_TOKEN_TTL,
        clock: Callable[[], float] | None = None,
        listening: socket.socket | None = None,
    ) -> None:
        """``clock`` (seconds, for example ``time.monotonic``) makes the data move by itself
        as it advances (``viewer.demo.motion``); without one it stays as generated.

        ``listening``, a socket already bound and listening, is served instead of binding
        ``host`` and ``port``; the server owns it from then on."""
        self.host, self.seed = host, seed
        self._requested_port = port
        self._listening = listening
        self.faults = FaultSwitches()
        self.request_log: list[tuple[str, str, Any]] = []
        self._log_lock = threading.Lock()
        self._stopping = threading.Event()
        self.pathway_token, self.activity_token = api_tokens(seed)
        #: The globaliD-style sign-in: its app, codes and expiring tokens.
        self.sign_in = SignInBook(seed, token_ttl)
        self.pathways = PathwayBook(seed, users, activities)
        self._store_args = (db_path, seed, inbox)
        self._store: InboxStore | None = None
        self._store_lock = threading.Lock()
        if db_path is not None:  # a file that is no demo database is refused at once
            self._store = InboxStore(db_path, seed, inbox)
        self.motion = (
            None
            if clock is None
            else Motion(
                seed,
                clock,
                pathways=self.pathways.generated,
                advance=self.pathways.advance,
                # The inbox is made on first use, not to move the data.
                arrive=lambda *activity: self.store.add(*activity),
            )
        )
        self._httpd: DemoHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    @property
    def store(self) -> InboxStore:
        """The inbox, generated on first use: the app's window opens without waiting for it."""
        with self._store_lock:
            if self._store is None:
                if self._stopping.is_set():
                    raise RuntimeError("This demo server was stopped.")
                self._store = InboxStore(*self._store_args)
            return self._store

    # -- life cycle -----------------------------------------------------------------------

    def start(self) -> DemoServer:
        if self._httpd is not None:
            return self
        if self._stopping.is_set():
            raise RuntimeError("This demo server was stopped; make a new one.")
        listening, self._listening = self._listening, None
        self._httpd = DemoHTTPServer((self.host, self._requested_port), self, listening)
        self._port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve, name="demo-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, break open connections, wait for threads, close the database."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._listening is not None:  # handed over, never started
            self._listening.close()
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.stop_serving()
            if self._thread is not None:
                self._thread.join()
            httpd.server_close()
            httpd.close_connections()
        with self._store_lock:
            if self._store is not None:
                self._store.close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port listened on (still known after ``stop``)."""
        if self._port is None:
            raise RuntimeError("The demo server has not started; call start() first.")
        return self._port

    @property
    def url(self) -> str:
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def client_id(self) -> str:
        return self.sign_in.client_id

    @property
    def client_secret(self) -> str:
        return self.sign_in.client_secret

    @property
    def connect_url(self) -> str:
        """The demo's Connect URL, which approves at once."""
        return self.url + CONNECT_PATH

    # -- for tests and benchmarks ---------------------------------------------------------

    def add_activities(self, n: int, type: str | None = None) -> list[str]:
        """``n`` new unread inbox activities at the top; their UUIDs, newest first."""
        if type is not None and type not in TYPE_BY_NAME:
            raise ValueError(f"unknown activity type {type!r}; known: {', '.join(TYPE_BY_NAME)}")
        if n < 0:
            raise ValueError("n must be 0 or more")
        return self.store.add(n, type)

    def advance_pathway(self, pathway: str, n: int) -> int:
        """Move ``n`` unfinished logs of a pathway one step on; how many changed."""
        try:
            return self.pathways.advance(pathway, n)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None

    def warm(self, pathway: str) -> int:
        """Build and cache the full answer for a pathway; the size of its data in bytes."""
        try:
            pdef = self.pathways.require(pathway)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
        answer, _ = self.pathways.answer(pdef, Filters())
        return len(answer.data)

    def clear_request_log(self) -> None:
        with self._log_lock:
            self.request_log.clear()

    # -- request handling (called from the server's threads) ------------------------------

    def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        if request.path.startswith(CONTROL_PREFIX) or request.path + "/" == CONTROL_PREFIX:
            return self._control(request)
        if self.motion is not None:
            self.motion.catch_up()
        with self._log_lock:
            self.request_log.append((request.method, request.raw_target, try_json(request.body)))
            if len(self.request_log) > REQUEST_LOG_LIMIT:  # a long-running server stays lean
                del self.request_log[: REQUEST_LOG_LIMIT // 10]
        api = "pathway" if request.path.startswith("/v1/logs") else "activity"
        if is_auth_path(request.path):
            api = "auth"
        fault = self.faults.take(api)
        if fault is None:
            return self._route(api, request, started)
        return self._faulty(api, request, started, fault)

    def _route(self, api: str, request: Request, started: float) -> Response:
        if api == "pathway":
            return pathway_routes.handle(self.pathways, request, self.pathway_token, started)
        if api == "auth":
            return self.sign_in.handle(request)
        return activity_routes.handle(self.store, request, self.activity_token, self.sign_in)

    def _faulty(self, api: str, request: Request, started: float, fault: FaultState) -> Response:
        if fault.latency > 0 and self._stopping.wait(fault.latency):
            return error_for(api, 503, "The demo server is shutting down.")
        if fault.redirect_to is not None:
            location = fault.redirect_to + request.raw_target
            return Response(307, [b""], headers={"Location": location})
        if fault.status is not None:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            response = error_for(
                api, fault.status, f"Simulated failure (HTTP {fault.status}).", **headers
            )
        elif fault.not_json:
            response = gateway_page()
        elif fault.empty_body:
            response = Response(200)
        elif fault.reported_error:
            response = json_response(
                {"status": "error", "message": "Simulated error reported by the server."}
            )
        else:
            response = self._route(api, request, started)
            if fault.truncate_json and response.parts:  # error answers too
                body = b"".join(response.parts)
                response.parts = [body[: len(body) // 2]]
            if fault.padding and response.status == 200 and response.parts:
                pad = b'{"padding":"' + b"x" * fault.padding + b'",'
                first = response.parts[0]
                if first.startswith(b"{") and first[1:2] != b"}":
                    response.parts = [pad + first[1:], *response.parts[1:]]
        response.truncate = fault.truncate
        return response

    def _control(self, request: Request) -> Response:
        if not _is_loopback(request.client):
            return json_response({"error": "Control endpoints answer loopback clients only."}, 403)
        name = request.path[len(CONTROL_PREFIX) :]
        routes = {"faults", "add-activities", "advance"}
        if name not in routes:
            return json_response({"error": f"No control endpoint {request.path}."}, 404)
        if name == "faults" and request.method == "GET":
            return json_response({"faults": self.faults.snapshot().as_dict()})
        if request.method != "POST":
            return json_response({"error": "Use POST."}, 405, Allow="POST")
        try:
            body = decode_object(request.body or b"{}", "{}")
            if name == "faults":
                state = self.faults.replace(**body)
                return json_response({"faults": state.as_dict()})
            count = body.get("count", 1)
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise BodyError("“count” must be a whole number, 0 or more.")
            if name == "add-activities":
                return json_response({"uuids": self.add_activities(count, body.get("type"))})
            pathway = body.get("pathway")
            if not isinstance(pathway, str):
                raise BodyError("“pathway” (an ID or name) is required.")
            return json_response({"changed": self.advance_pathway(pathway, count)})
        except (BodyError, ValueError, TypeError) as exc:
            return json_response({"error": str(exc)}, 400)
