"""The cells of the fault matrix, shared by both tabs' tests.

Each cell makes one thing go wrong and names what a person must then read in the banner.
``arrange`` gets the demo server, the tab's ``Connections``, the service it concerns, the
second origin and an ``ExitStack`` for anything to undo; ``restore`` puts things right.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from tests.faults.support import UNRESOLVABLE, closed_port_url, never_accepting
from viewer.connections import Connections, ServiceConfig


@dataclass(frozen=True)
class Cell:
    id: str
    arrange: Callable[[Any, Connections, str, Any, ExitStack], None]
    title: str
    words: tuple[str, ...]

    def __repr__(self) -> str:
        return self.id


def _point_at(url: str) -> Callable[..., None]:
    def arrange(server, connections: Connections, service: str, _other, _stack) -> None:
        token = connections.config(service).token  # type: ignore[union-attr]
        connections.set_config(service, ServiceConfig(url, token, allow_insecure_http=True))

    return arrange


def _refused(server, connections, service, other, stack) -> None:
    _point_at(closed_port_url())(server, connections, service, other, stack)


def _never_accepts(server, connections, service, other, stack) -> None:
    url = stack.enter_context(never_accepting())
    _point_at(url)(server, connections, service, other, stack)


def _fault(**switches: Any) -> Callable[..., None]:
    def arrange(server, _connections, service, _other, _stack) -> None:
        server.faults.set(api="pathway" if service == "pathway-logs" else "activity", **switches)

    return arrange


def _redirect(server, _connections, service, other, _stack) -> None:
    api = "pathway" if service == "pathway-logs" else "activity"
    server.faults.set(api=api, redirect_to=other.url)


def restore(server, connections: Connections, service: str, token: str) -> None:
    server.faults.reset()
    connections.set_config(service, ServiceConfig(server.url, token))


CONNECTION_CELLS = [
    Cell("refused", _refused, "Network problem", ("refused the connection",)),
    Cell("dns-failure", _point_at(UNRESOLVABLE), "Network problem", ("could not be found",)),
    Cell("connect-timeout", _never_accepts, "Timed out", ("did not accept a connection",)),
]

RESPONSE_CELLS = [
    Cell("read-timeout", _fault(latency=3.0), "Timed out", ("took too long",)),
    Cell("reset-mid-body", _fault(truncate=True), "Network problem", ("broke before",)),
    Cell("truncated-json", _fault(truncate_json=True), "Unexpected response", ("JSON",)),
    Cell("html-200", _fault(not_json=True), "Unexpected response", ("JSON", "<!DOCTYPE html>")),
    Cell("empty-body", _fault(empty_body=True), "Unexpected response", ("empty",)),
    Cell("401", _fault(status=401), "Not authorised", ("HTTP 401", "token")),
    Cell("403", _fault(status=403), "Not authorised", ("HTTP 403", "permission")),
    Cell("404", _fault(status=404), "Not found", ("HTTP 404",)),
    Cell(
        "429-retry-after",
        _fault(status=429, retry_after="7"),
        "Too many requests",
        ("HTTP 429", "7 seconds"),
    ),
    Cell("429-no-retry-after", _fault(status=429), "Too many requests", ("in a minute",)),
    Cell("500", _fault(status=500), "Server error", ("HTTP 500",)),
    Cell("502", _fault(status=502), "Server error", ("HTTP 502",)),
    Cell("503", _fault(status=503), "Server error", ("HTTP 503",)),
    Cell("504", _fault(status=504), "Server error", ("HTTP 504",)),
    Cell(
        "reported-error",
        _fault(reported_error=True),
        "The server reported an error",
        ("Simulated error reported by the server",),
    ),
    # The other origin is plain http: not followed, so nothing (no token, no query) goes there.
    Cell(
        "redirect-other-origin", _redirect, "Redirect refused", ("another server", "not followed")
    ),
]

ALL_CELLS = CONNECTION_CELLS + RESPONSE_CELLS
