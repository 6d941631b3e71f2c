"""Plain http without the opt-in only to this machine, judged by the address connected to."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

import pytest

from tests.faults.hostile import HostileServer, pathway_answer, sends
from viewer.api import InsecureUrlError, PathwayClient, PathwayQuery
from viewer.api.http import NO_RETRY


def _address_elsewhere() -> str | None:
    """An address of this machine that is not loopback (as another host would be reached)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent for a datagram connect
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


@pytest.fixture
def elsewhere() -> Iterator[HostileServer]:
    address = _address_elsewhere()
    if address is None:
        pytest.skip("this machine has no address besides loopback")
    with HostileServer(sends(pathway_answer()), host=address) as server:
        yield server


@contextlib.contextmanager
def _names(monkeypatch: pytest.MonkeyPatch, table: dict[str, str]) -> Iterator[None]:
    """Resolve the names in ``table`` to the given addresses, as a hostile resolver could."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        return real(table.get(name, name), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield


@pytest.mark.parametrize("name", ["anything.localhost", "localhost"])
def test_a_localhost_name_leading_to_another_address_is_refused_before_sending(
    monkeypatch, elsewhere, name
):
    with _names(monkeypatch, {name: elsewhere.url.split("//")[1].split(":")[0]}):
        client = PathwayClient(f"http://{name}:{elsewhere.port}", "token", retry=NO_RETRY)
        with client, pytest.raises(InsecureUrlError, match="not this machine") as caught:
            client.fetch(PathwayQuery("Pathway A"))
    assert elsewhere.requests == [], "the request (and its token) went out in clear"
    assert "token" not in str(caught.value).replace("the token", "")


def test_a_localhost_name_leading_here_is_allowed(monkeypatch):
    with (
        HostileServer(sends(pathway_answer())) as server,
        _names(monkeypatch, {"app.localhost": "127.0.0.1"}),
    ):
        client = PathwayClient(f"http://app.localhost:{server.port}", "token", retry=NO_RETRY)
        with client:
            assert client.fetch(PathwayQuery("Pathway A")).pathway.name == "Pathway A"


def test_plain_http_to_another_address_goes_ahead_once_the_user_allowed_it(elsewhere):
    client = PathwayClient(elsewhere.url, "token", retry=NO_RETRY, allow_insecure_http=True)
    with client:
        assert client.fetch(PathwayQuery("Pathway A")).pathway.name == "Pathway A"
    assert elsewhere.requests[0].headers["authorization"] == "Basic token"
