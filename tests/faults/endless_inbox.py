"""An activity-log server of the tests' own whose paging never ends, in the ways found so far.

The demo server pages honestly; these answers come from a server that repeats one page for
every page number, invents new activities forever, adds one new activity per page, or stops
answering altogether.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.http_handler import QuietHandler

TOKEN = "endless-token"
PER_PAGE = 100
#: The totals a looping server reports: one that keeps growing, and one far too large.
GROWING, HUGE = "growing", 10**12


def _activity(uuid: str) -> dict:
    return {
        "uuid": uuid,
        "created_at": "2025-01-01T00:00:00Z",
        "type": "security",
        "subtype": "login",
        "title": "Signed in",
        "is_read": False,
    }


@dataclass
class EndlessInbox:
    """``mode``: "repeat" (page 1 for every page), "invent" (new activities on every page),
    "trickle" (the previous page again, plus one new activity), "stall" (page 1, then never
    an answer), or "honest" (``size`` activities, then a short page)."""

    mode: str
    total: int | str | None = GROWING
    size: int = 250
    per_page: int | None = PER_PAGE  # what meta.per_page says
    requests: int = 0
    url: str = ""
    stalled: threading.Event = field(default_factory=threading.Event)
    _release: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def page(self, number: int) -> dict:
        if self.mode == "repeat":
            uuids = [f"same-{i}" for i in range(PER_PAGE)]
        elif self.mode == "invent":
            uuids = [f"new-{number}-{i}" for i in range(PER_PAGE)]
        elif self.mode == "trickle":
            uuids = [f"t-{number - 1 + i}" for i in range(PER_PAGE)]
        else:
            start = (number - 1) * PER_PAGE
            uuids = [f"h-{i}" for i in range(start, min(start + PER_PAGE, self.size))]
        total = number * PER_PAGE + PER_PAGE if self.total == GROWING else self.total
        meta = {"page": number, "per_page": self.per_page, "total": total}
        return {"data": [_activity(u) for u in uuids], "meta": meta}

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests += 1
        parts = urlsplit(handler.path)
        if handler.headers.get("Authorization") != f"Bearer {TOKEN}":
            status, body = 401, {"statusCode": 401}
        elif parts.path != "/v1/activities":
            status, body = 404, {"statusCode": 404}
        else:
            number = int(parse_qs(parts.query).get("page", ["1"])[0])
            if self.mode == "stall" and number > 1:
                self.stalled.set()
                self._release.wait()  # until the server stops
                return
            status, body = 200, self.page(number)
        encoded = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(encoded)))
        handler.end_headers()
        handler.wfile.write(encoded)


@contextmanager
def endless_inbox(mode: str, **options) -> Iterator[EndlessInbox]:
    """The server, on a free loopback port, for the length of the ``with``."""
    inbox = EndlessInbox(mode, **options)

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            inbox.answer(self)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    inbox.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield inbox
    finally:
        inbox._release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()
