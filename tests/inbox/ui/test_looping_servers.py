"""Servers whose pages never end: the list asks for a bounded number of pages and says why
it stopped.

Each test runs its own activity-log server on loopback (``http.server`` in a thread): one
answers every page number with the same page while its total keeps growing, the other
invents new activities for every page forever.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from tests.http_handler import QuietHandler
from tests.inbox.ui.conftest import WAIT_MS
from viewer.connections import Connections, ServiceConfig
from viewer.inbox.paging import FOLLOW_UPS, SLACK_PAGES, EndReason
from viewer.inbox.ui.tab import InboxTab

PER_PAGE = 100


class LoopingServer:
    """An activity-log server whose pages never run out.

    ``repeat``: every page number gets the same page, with a total that grows with the page
    number asked. ``invent``: every page brings activities never sent before, with a total
    always a little beyond them.
    """

    def __init__(self, mode: str, *, read: bool = False) -> None:
        self.mode = mode
        self.read = read
        self.pages: list[int] = []
        self._lock = threading.Lock()
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path == "/v1/activities":
                    body = server.page(int(parse_qs(url.query)["page"][0]))
                elif url.path == "/v1/activities/types":
                    body = {"data": [{"name": "looping", "subtypes": []}]}
                elif url.path == "/v1/activities/unread-count":
                    body = {"unread": 0, "types": {}}
                else:
                    body = {"status": "error", "message": "Nothing here."}
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def page(self, number: int) -> dict:
        with self._lock:
            self.pages.append(number)
        batch = 1 if self.mode == "repeat" else number
        items = [
            {
                "uuid": f"activity-{batch}-{i}",
                "title": f"Activity {i} of batch {batch}",
                "type": "looping",
                "is_read": self.read,
                "created_at": "2024-05-01T12:00:00Z",
            }
            for i in range(PER_PAGE)
        ]
        total = PER_PAGE * number + 1
        return {"data": items, "meta": {"page": number, "per_page": PER_PAGE, "total": total}}

    @property
    def requests(self) -> int:
        with self._lock:
            return len(self.pages)

    def start(self) -> LoopingServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


@pytest.fixture
def serve() -> Iterator:
    servers: list[LoopingServer] = []

    def start(mode: str, *, read: bool = False) -> LoopingServer:
        servers.append(LoopingServer(mode, read=read).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def open_tab(qtbot, settings: QSettings) -> Iterator:
    """A shown tab on a looping server; ``unread_only`` and ``limit`` go through settings."""
    made: list[tuple[InboxTab, Connections]] = []

    def make(server: LoopingServer, *, unread_only: bool = False, limit: int | None = None):
        settings.setValue("inbox/unreadOnly", unread_only)
        if limit is not None:
            settings.setValue("inbox/maxActivities", limit)
        conns = Connections(activity=ServiceConfig(server.url, "looping-token"))
        tab = InboxTab(conns, settings)
        qtbot.addWidget(tab)
        tab.resize(1200, 700)
        tab.show()
        made.append((tab, conns))
        messages: list[str] = []
        tab.statusMessage.connect(messages.append)
        qtbot.waitUntil(lambda: server.requests > 0 and settled(tab), timeout=WAIT_MS)
        return tab, messages

    yield make
    for tab, conns in made:
        tab.shutdown()
        assert tab.runner.active_count == 0
        conns.close()


def settled(tab: InboxTab) -> bool:
    """No request running, and none about to start from a timer the view set."""
    QApplication.processEvents()
    return tab.runner.active_count == 0 and not tab.model.loading


def scroll_once(qtbot, tab: InboxTab) -> None:
    tab.view.scrollToBottom()
    tab.model.fetchMore()  # what reaching the bottom asks for, whatever the view's size
    qtbot.waitUntil(lambda: settled(tab), timeout=WAIT_MS)


def test_a_server_repeating_its_page_is_asked_a_few_pages_after_one_scroll(qtbot, serve, open_tab):
    server = serve("repeat")
    tab, messages = open_tab(server)
    assert server.requests == 1 and tab.model.rowCount() == PER_PAGE
    scroll_once(qtbot, tab)
    # The scroll's page, then the ones asked for unasked until the slack ran out.
    assert server.requests == 1 + SLACK_PAGES
    end = tab.model.paging_end
    assert end is not None and end.reason is EndReason.REPEATING
    pages = 1 + SLACK_PAGES
    text = f"The server kept sending activities already shown; stopped after {pages} pages."
    assert end.message == text
    assert messages[-1] == text
    assert text in tab.status_label.text()
    assert not tab.model.canFetchMore()
    tab.model.fetchMore()  # scrolling on asks for nothing more
    assert settled(tab) and server.requests == 1 + SLACK_PAGES
    assert tab.model.rowCount() == PER_PAGE


def test_a_server_repeating_a_page_of_read_activities_is_not_walked_unasked(qtbot, serve, open_tab):
    server = serve("repeat", read=True)
    tab, messages = open_tab(server, unread_only=True)
    qtbot.waitUntil(lambda: tab.model.paging_end is not None, timeout=WAIT_MS)
    assert settled(tab)
    assert server.requests == 1 + SLACK_PAGES
    assert "kept sending activities already shown" in messages[-1]
    assert tab.list_stack.currentWidget() is tab.list_empty  # said, not an endless spinner
    assert "kept sending activities already shown" in tab.status_label.text()


def test_a_server_inventing_read_activities_gets_only_a_few_requests_unasked(
    qtbot, serve, open_tab
):
    server = serve("invent", read=True)
    tab, _messages = open_tab(server, unread_only=True)
    # Page 1 showed nothing, so a few more were asked for to fill the view; then it waits.
    assert server.requests == 1 + FOLLOW_UPS
    assert tab.model.rowCount() == 0 and tab.model.loaded_count == (1 + FOLLOW_UPS) * PER_PAGE
    assert tab.model.paging_end is None and tab.model.canFetchMore()
    assert tab.more_button.isVisible()  # an empty view cannot be scrolled to ask for more
    tab.more_button.click()
    qtbot.waitUntil(lambda: settled(tab), timeout=WAIT_MS)
    assert server.requests == 2 * (1 + FOLLOW_UPS)
    assert tab.more_button.isVisible()


def test_a_server_inventing_activities_forever_is_walked_to_the_limit_and_no_further(
    qtbot, serve, open_tab
):
    server = serve("invent")
    tab, messages = open_tab(server, limit=450)
    assert server.requests == 1  # a full page fills the view: nothing more without a scroll
    while tab.model.canFetchMore():
        scroll_once(qtbot, tab)
        assert server.requests <= 5
    end = tab.model.paging_end
    assert end is not None and end.reason is EndReason.LIMIT
    assert server.requests == 5 and tab.model.loaded_count == 500
    assert messages[-1] == end.message
    assert "Stopped at 500 activities" in tab.status_label.text()


def test_reloading_after_the_end_walks_again(qtbot, serve, open_tab):
    server = serve("repeat")
    tab, _messages = open_tab(server)
    scroll_once(qtbot, tab)
    assert tab.model.paging_end is not None
    tab.refresh()
    qtbot.waitUntil(lambda: server.requests == 2 + SLACK_PAGES and settled(tab), timeout=WAIT_MS)
    assert tab.model.paging_end is None and tab.model.canFetchMore()
    assert "kept sending" not in tab.status_label.text()
