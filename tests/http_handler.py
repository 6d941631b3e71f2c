"""The request handler every test server of the tests' own starts from."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive, no log line per request, and request bodies drained."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a test makes many requests, and their lines would only hide its output."""

    def drain_body(self) -> bytes:
        """Read the request's body, so that the connection can carry the next request."""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""
