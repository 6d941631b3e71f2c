"""A browser played by an HTTP client: it follows the Connect URL as a person's would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx


class Browser:
    """Opens addresses in a thread of its own, as a real browser is another program.

    ``rewrite`` may change the address the server redirected to before it is followed,
    for example to play a forged answer. Pages seen are kept in ``pages``.
    """

    def __init__(self, rewrite: Callable[[str], str] | None = None) -> None:
        self.rewrite = rewrite
        self.pages: list[httpx.Response] = []
        self.opened: list[str] = []
        self._threads: list[threading.Thread] = []
        self.done = threading.Event()

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        thread = threading.Thread(target=self._visit, args=(url,), name="test-browser")
        self._threads.append(thread)
        thread.start()
        return True

    def _visit(self, url: str) -> None:
        try:
            with httpx.Client(timeout=10) as client:
                response = client.get(url)
                self.pages.append(response)
                if response.is_redirect:
                    target = response.headers["Location"]
                    if self.rewrite is not None:
                        target = self.rewrite(target)
                    self.pages.append(client.get(target))
        finally:
            self.done.set()

    def join(self) -> None:
        for thread in self._threads:
            thread.join(10)

    @property
    def last_page(self) -> str:
        return self.pages[-1].text if self.pages else ""


def with_query(url: str, **changes: str) -> str:
    """``url`` with some query parameters replaced."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))
