"""Places that fail on purpose, all on this machine: closed ports, full backlogs, recorders."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer

import httpx

from tests.http_handler import QuietHandler
from viewer.api.http import RetryPolicy

#: Short enough for tests, long enough for a loaded machine to answer a good request.
TIMEOUT = httpx.Timeout(connect=0.5, read=1.0, write=5.0, pool=5.0)
#: Retries kept, but with waits that do not slow the tests down.
QUICK_RETRY = RetryPolicy(attempts=2, backoff=0.01, max_wait=0.05)
#: A DNS name that never resolves (RFC 6761 reserves .invalid).
UNRESOLVABLE = "http://activity-viewer-test.invalid:8080"


def closed_port_url() -> str:
    """An address on loopback where nothing listens: the connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def never_accepting() -> Iterator[str]:
    """A loopback port that listens but whose backlog is full: connecting hangs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for filler in fillers:
            filler.close()
        server.close()


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class RecordingServer:
    """Another origin on loopback: records each request's headers, answers 404 in JSON."""

    requests: list[Recorded] = field(default_factory=list)
    url: str = ""
    _httpd: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def start(self) -> RecordingServer:
        recorder = self

        class Handler(QuietHandler):
            def _answer(self) -> None:
                self.drain_body()
                recorder.requests.append(
                    Recorded(
                        self.command, self.path, {k.lower(): v for k, v in self.headers.items()}
                    )
                )
                body = json.dumps({"status": "error", "message": "Nothing here."}).encode()
                self.send_response(404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            assert self._thread is not None
            self._thread.join()
            self._httpd = None
