"""A loopback server of the tests' own that gives fixed answers: what no honest server sends."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

from tests.http_handler import QuietHandler

#: path (without the query) -> (status, body)
Answers = dict[str, tuple[int, bytes]]


@contextlib.contextmanager
def canned_server(answers: Answers) -> Iterator[str]:
    """Serve ``answers`` on 127.0.0.1 and yield the base URL; unknown paths get a 404."""

    class Handler(QuietHandler):
        def _answer(self) -> None:
            self.drain_body()
            status, body = answers.get(self.path.split("?", 1)[0], (404, b""))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
