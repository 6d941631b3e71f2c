"""A large answer is read in large pieces: each trip through the HTTP stack costs Python
time, and 64 KiB trips made a 146 MB answer take three times as long as curl."""

from __future__ import annotations

import pytest

from tests.faults.hostile import HostileServer, head, self_signed, sends
from viewer.api import transport
from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.demo.server import DemoServer


@pytest.fixture(scope="module")
def large_server():
    server = DemoServer(seed=3, users=4000, inbox=1, activities=6).start()
    yield server
    server.stop()


@pytest.fixture
def read_sizes(monkeypatch) -> list[int]:
    """The size of each read of a connection's stream, in order."""
    sizes: list[int] = []
    read = transport._GuardedStream.read

    def counted(self, max_bytes, timeout=None):
        data = read(self, max_bytes, timeout)
        sizes.append(len(data))
        return data

    monkeypatch.setattr(transport._GuardedStream, "read", counted)
    return sizes


def test_an_answer_arrives_in_reads_of_up_to_a_megabyte(large_server, read_sizes):
    sizes = read_sizes
    with PathwayClient(large_server.url, large_server.pathway_token) as client:
        body = client.fetch_body(PathwayQuery("Pathway A"))
    size = len(body)
    assert size > 8 << 20 and body.endswith(b"}")
    assert max(sizes) > 64 << 10  # more than httpcore asks for
    assert max(sizes) <= transport._READ_BYTES
    assert len(sizes) < size / (64 << 10) / 2


def test_over_tls_the_records_that_have_arrived_are_read_together(tmp_path, read_sizes):
    sizes = read_sizes
    pytest.importorskip("cryptography")
    context, ca_file = self_signed(tmp_path)
    body = b'{"status":"success","data":[],"pad":"' + b"x" * (6 << 20) + b'"}'
    answer = head(200, "OK", Content_Type="application/json", Content_Length=str(len(body)))
    with (
        HostileServer(sends(answer + body), tls=context) as server,
        PathwayClient(server.url, "token", verify=ca_file) as client,
    ):
        assert client.fetch_body(PathwayQuery("Pathway A")) == body
    assert max(sizes) > 16 << 10  # a TLS record's most
    assert max(sizes) <= transport._READ_BYTES
