"""Decoding while the answer arrives: the same data as decoding it afterwards, sooner."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.pathway.made_answers import answer
from viewer.api import body as body_reading
from viewer.api import pathway_stream
from viewer.api.errors import ApiTimeoutError, BadResponseError
from viewer.api.http import RetryPolicy
from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.jobs import CancelToken
from viewer.pathway import fetch
from viewer.pathway.fetch import build_pathway_data, fetch_pathway_data
from viewer.pathway.saved import PathwayKeeper
from viewer.snapshots import SnapshotStore

_CHUNK = 16384


class _Trickle(httpx.SyncByteStream):
    """An answer sent a chunk at a time, counting what has gone out; optionally broken off."""

    def __init__(self, body: bytes, sent: list[int], cut_at: int | None = None) -> None:
        self.body, self.sent, self.cut_at = body, sent, cut_at

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self.body), _CHUNK):
            if self.cut_at is not None and start >= self.cut_at:
                raise httpx.ReadTimeout("stalled")
            self.sent[0] = start + _CHUNK
            yield self.body[start : start + _CHUNK]


def _client(*bodies: tuple[bytes, int | None], sent: list[int]) -> PathwayClient:
    answers = list(bodies)

    def handler(request: httpx.Request) -> httpx.Response:
        body, cut_at = answers.pop(0)
        return httpx.Response(200, stream=_Trickle(body, sent, cut_at))

    return PathwayClient(
        "https://falkor.example.com",
        "QmFzZTY0",
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(attempts=2, backoff=0.0),
    )


def _same(data, expected) -> None:
    assert [u.email for u in data.users] == [u.email for u in expected.users]
    assert [u.name for u in data.users] == [u.name for u in expected.users]
    for got, want in zip(data.activities, expected.activities, strict=True):
        assert (got.name, list(got.users), got.states) == (want.name, list(want.users), want.states)
        assert got.fulfilment == want.fulfilment and got.timestamps == want.timestamps


@pytest.fixture(autouse=True)
def small_steps(monkeypatch):
    monkeypatch.setattr(body_reading, "_RAW_CHUNK", _CHUNK)
    monkeypatch.setattr(pathway_stream, "_FEED_STEP", _CHUNK)


def test_activities_are_folded_before_the_answer_has_all_arrived(monkeypatch):
    body = answer(users=800, activities=4)
    sent = [0]
    folded_at: list[int] = []
    add = fetch.Builder.add

    def spy(self, index, logs):
        folded_at.append(sent[0])
        add(self, index, logs)

    monkeypatch.setattr(fetch.Builder, "add", spy)
    with _client((body, None), sent=sent) as client:
        data = fetch_pathway_data(client, PathwayQuery("Long"), CancelToken())
    assert len(folded_at) == 4
    assert all(at < len(body) for at in folded_at[:3])  # the last needs the last byte
    _same(data, build_pathway_data(body))


def test_a_retried_answer_keeps_nothing_of_the_first_attempt():
    first = answer(users=800, activities=4, seed=1).replace(b"@example.com", b"@first.test")
    body = answer(users=800, activities=4)
    sent = [0]
    with _client((first, len(first) * 3 // 4), (body, None), sent=sent) as client:
        data = fetch_pathway_data(client, PathwayQuery("Long"), CancelToken())
    assert not any("first.test" in (u.email or "") for u in data.users)
    _same(data, build_pathway_data(body))


def test_an_answer_bad_half_way_fails_as_it_does_when_read_whole():
    body = answer(users=800, activities=4)
    cut = body.index(b'"logs"', len(body) // 2)
    broken = body[:cut] + b'"logs": [{"status": {"progress": "lots"}},' + body[cut + 9 :]
    with pytest.raises(BadResponseError) as whole:
        build_pathway_data(broken)
    with (
        _client((broken, None), sent=[0]) as client,
        pytest.raises(BadResponseError) as fed,
    ):
        fetch_pathway_data(client, PathwayQuery("Long"), CancelToken())
    assert fed.value.message == whole.value.message


def test_the_saved_copy_is_the_answer_shown_even_after_a_retry(tmp_path):
    first = answer(users=800, activities=4, seed=1)
    body = answer(users=800, activities=4)
    store = SnapshotStore(tmp_path)
    keeper = PathwayKeeper(store, "https://falkor.example.com", PathwayQuery("Long"))
    with _client((first, len(first) // 2), (body, None), sent=[0]) as client:
        fetch_pathway_data(client, PathwayQuery("Long"), CancelToken(), keep=keeper)
    assert keeper.error is None and keeper.snapshot is not None
    assert store.load(keeper.snapshot) == body
    assert [s.id for s in store.snapshots()] == [keeper.snapshot.id]
    assert not list(tmp_path.glob("*.partial"))


def test_an_answer_that_never_arrives_leaves_no_saved_copy(tmp_path):
    body = answer(users=800, activities=4)
    store = SnapshotStore(tmp_path)
    keeper = PathwayKeeper(store, "https://falkor.example.com", PathwayQuery("Long"))
    cut = len(body) // 2
    with (
        _client((body, cut), (body, cut), sent=[0]) as client,
        pytest.raises(ApiTimeoutError),
    ):
        fetch_pathway_data(client, PathwayQuery("Long"), CancelToken(), keep=keeper)
    assert keeper.snapshot is None and store.snapshots() == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("piece", [fetch._PIECE, 2000], ids=["whole-activities", "small-pieces"])
def test_logs_decoded_from_a_growing_answer_leave_it_free_to_grow(monkeypatch, piece):
    monkeypatch.setattr(fetch, "_PIECE", piece)
    raw = answer(users=50, activities=1)
    start = raw.index(b"[", raw.index(b'"logs"'))
    growing = bytearray(raw)
    with memoryview(growing) as view:
        logs = fetch._LogsDecoder({}).decode(view[start : raw.rindex(b"]", 0, -4) + 1])
    growing += b" "  # a raw value that still showed the buffer would stop this
    assert len(logs) == 52 and any(bytes(log.fulfilment) != b"[]" for log in logs)
