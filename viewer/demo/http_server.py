"""The socket side of the demo server: threads, keep-alive, bodies, gzip and clean shutdown."""

from __future__ import annotations

import contextlib
import gzip
import selectors
import socket
import socketserver
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from viewer.demo.wire import Request, Response, error_for


class App(Protocol):
    """What serves the requests: ``DemoServer`` routes each one to an API."""

    def handle(self, request: Request) -> Response: ...


#: Larger answers go out uncompressed: compressing 170 MB would take seconds.
GZIP_LIMIT = 4 << 20
MAX_REQUEST_BODY = 8 << 20


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ActivityViewerDemo/1.0"
    disable_nagle_algorithm = True
    server: DemoHTTPServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a benchmark makes thousands of requests."""

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def _serve(self) -> None:
        target = self.path
        split = urlsplit(target)
        path = unquote(split.path).rstrip("/") or "/"
        api = "pathway" if path.startswith("/v1/logs") else "activity"
        try:
            body = self._read_body()
        except _BadRequest as exc:
            self.close_connection = True
            self._write(error_for(api, exc.status, str(exc)))
            return
        request = Request(
            method=self.command,
            raw_target=target,
            path=path,
            query=split.query,
            headers=self.headers,
            body=body,
            client=self.client_address[0],
        )
        try:
            response = self.server.app.handle(request)
        except Exception as exc:  # a bug in the demo: answer, and show it on stderr
            traceback.print_exc()
            response = error_for(api, 500, f"The demo server failed: {type(exc).__name__}.")
        self._write(response)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError:
            raise _BadRequest(400, "Content-Length is not a number.") from None
        if size < 0:
            raise _BadRequest(400, "Content-Length is negative.")
        if size > MAX_REQUEST_BODY:
            raise _BadRequest(413, "The request body is too large.")
        return self.rfile.read(size)

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BadRequest(400, "Malformed chunked request body.") from None
            if size == 0:
                while self.rfile.readline(1024).strip():  # trailers
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_REQUEST_BODY:
                raise _BadRequest(413, "The request body is too large.")
            chunks.append(self.rfile.read(size))
            self.rfile.readline(8)

    def _accepts_gzip(self) -> bool:
        for item in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = item.partition(";")
            if name.strip().lower() == "gzip":
                q = params.strip().lower()
                return q not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
        return False

    def _write(self, response: Response) -> None:
        status, parts = response.status, [part for part in response.parts if part]
        headers = dict(response.headers)
        total = 0
        if status == 204 or status < 200:
            parts = []
        else:
            total = sum(len(part) for part in parts)
            if 0 < total < GZIP_LIMIT and self._accepts_gzip():
                parts = [gzip.compress(b"".join(parts), compresslevel=5, mtime=0)]
                total = len(parts[0])
                headers["Content-Encoding"] = "gzip"
            headers["Content-Type"] = response.content_type
            headers["Content-Length"] = str(total)
            headers["Vary"] = "Accept-Encoding"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if response.truncate:
            left = total // 2
            for part in parts:
                if left <= 0:
                    break
                self.wfile.write(part[:left])
                left -= len(part)
            self.close_connection = True
            return
        for part in parts:
            self.wfile.write(part)


# What socketserver passes around as a request; TCP servers only ever pass the socket.
_Request = socket.socket | tuple[bytes, socket.socket]


class DemoHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that tracks its connections so ``stop`` can end them."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self, address: tuple[str, int], app: App, listening: socket.socket | None = None
    ) -> None:
        """Listen on ``address``, or serve on ``listening``, a socket already bound and
        listening (whose queued connections are then answered first); it is closed with
        the server."""
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.app = app
        self._lock = threading.Lock()
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._stopped = False
        self._wake_reader, self._wake_writer = socket.socketpair()
        if listening is None:
            super().__init__(address, _Handler)  # closes the pair through server_close on failure
            return
        super().__init__(address, _Handler, bind_and_activate=False)
        self.socket.close()  # the one TCPServer made, never bound
        self.socket = listening
        self.server_address = listening.getsockname()
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up in DNS, which can stall.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def serve(self) -> None:
        """Accept connections until ``stop_serving``; wakes at once rather than polling."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self._stopped:
                for key, _ in selector.select():
                    if key.fileobj is self._wake_reader or self._stopped:
                        return
                    # The body of handle_request without its select, which could block
                    # after a client that connected has already gone.
                    self._handle_request_noblock()  # type: ignore[attr-defined]

    def stop_serving(self) -> None:
        self._stopped = True
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")

    def server_close(self) -> None:
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

    def process_request(self, request: _Request, client_address: Any) -> None:
        assert isinstance(request, socket.socket)  # what a TCP server accepts
        thread = threading.Thread(
            target=self._process,
            args=(request, client_address),
            daemon=True,
            name="demo-connection",
        )
        with self._lock:
            self._connections[request] = thread
        thread.start()

    def _process(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            with self._lock:
                self._connections.pop(request, None)
            self.shutdown_request(request)

    def handle_error(self, request: _Request, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # the client went away mid-answer: normal, not worth a traceback
        super().handle_error(request, client_address)

    def close_connections(self, timeout: float = 10.0) -> None:
        """Break every open connection and wait for its thread to finish."""
        with self._lock:
            items = list(self._connections.items())
        for sock, _ in items:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for _, thread in items:
            thread.join(timeout)
