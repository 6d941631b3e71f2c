"""Fixtures for the fault matrix: tabs whose clients give up quickly, and a second origin."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.faults.no_dns.offline_resolver import without_dns
from tests.faults.support import QUICK_RETRY, TIMEOUT, RecordingServer
from viewer.connections import Connections


@pytest.fixture(autouse=True)
def _no_dns_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The DNS cells use .invalid names; they fail here without a query leaving the machine."""
    monkeypatch.setattr(socket, "getaddrinfo", without_dns(socket.getaddrinfo))


@pytest.fixture
def quick_connections(demo_server) -> Iterator[Connections]:
    """Connections to the demo server with short timeouts and quick retries."""
    conns = Connections.to_demo_server(demo_server, timeout=TIMEOUT, retry=QUICK_RETRY)
    yield conns
    conns.close()


@pytest.fixture
def other_origin() -> Iterator[RecordingServer]:
    server = RecordingServer().start()
    yield server
    server.stop()
