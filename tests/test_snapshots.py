"""Saved copies on disk: save, list, find, prune, and damaged files."""

from __future__ import annotations

import os
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.snapshots import (
    PATHWAY,
    Snapshot,
    SnapshotError,
    SnapshotStore,
    clean_server,
)

SERVER = "http://127.0.0.1:8080"
BODY = b'{"status":"success","data":[]}' * 1000


def save(store: SnapshotStore, body: bytes = BODY, pathway: str = "Pathway A", **meta):
    meta.setdefault("server", SERVER)
    meta.setdefault("service", PATHWAY)
    return store.save(body, query={"pathway": pathway}, **meta)


def test_saved_body_loads_back_compressed_with_its_metadata(tmp_path):
    store = SnapshotStore(tmp_path)
    before = time.time()
    snapshot = save(store, hash="abc123", title="Pathway A")
    assert store.load(snapshot) == BODY
    assert snapshot.size == len(BODY)
    assert snapshot.stored == snapshot.path.stat().st_size < len(BODY) / 10
    assert snapshot.hash == "abc123"
    assert snapshot.query == {"pathway": "Pathway A"}
    assert snapshot.server == SERVER
    assert before - 1 <= snapshot.fetched_at <= time.time() + 1
    assert snapshot.fetched_utc.endswith("UTC")
    listed = store.snapshots()
    assert [s.id for s in listed] == [snapshot.id]
    assert listed[0] == snapshot
    assert not list(tmp_path.glob("*.partial"))  # the temporary file was renamed


def test_list_is_newest_first_and_latest_for_matches_server_and_query(tmp_path):
    store = SnapshotStore(tmp_path)
    now = time.time()
    old = save(store, fetched_at=now - 3600)
    new = save(store, fetched_at=now - 60)
    other_query = save(store, pathway="Pathway B", fetched_at=now)
    other_server = save(store, server="http://127.0.0.1:9090/", fetched_at=now)
    assert store.snapshots()[-1] == old
    assert store.latest_for(SERVER, {"pathway": "Pathway A"}) == new
    assert store.latest_for(SERVER + "/", {"pathway": "Pathway A"}, PATHWAY) == new
    assert store.for_query(SERVER, {"pathway": "Pathway A"}) == [new, old]
    assert store.latest_for(SERVER, {"pathway": "Pathway B"}) == other_query
    assert store.latest_for("http://127.0.0.1:9090", {"pathway": "Pathway A"}) == other_server
    assert store.latest_for(SERVER, {"pathway": "Pathway C"}) is None
    assert store.latest_for(SERVER, {"pathway": "Pathway A"}, "activity") is None
    store.delete(new)
    assert store.latest_for(SERVER, {"pathway": "Pathway A"}) == old


def test_pruning_deletes_the_oldest_first_and_keeps_the_newest(tmp_path):
    body = os.urandom(30_000)  # does not compress: each file is a little over 30 kB
    store = SnapshotStore(tmp_path, max_bytes=100_000)
    now = time.time()
    first = save(store, body, fetched_at=now - 300)
    second = save(store, body, fetched_at=now - 200)
    third = save(store, body, fetched_at=now - 100)
    assert store.snapshots() == [third, second, first]
    fourth = save(store, body, fetched_at=now)
    assert [s.id for s in store.snapshots()] == [fourth.id, third.id, second.id]
    assert store.total_bytes() <= 100_000
    tiny = SnapshotStore(tmp_path, max_bytes=10)
    newest = save(tiny, body)  # larger than the cap alone: still kept
    assert [s.id for s in tiny.snapshots()] == [newest.id]


def test_a_truncated_snapshot_gives_a_clear_error(tmp_path):
    store = SnapshotStore(tmp_path)
    snapshot = save(store)
    data = snapshot.path.read_bytes()
    snapshot.path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SnapshotError, match="damaged"):
        store.load(snapshot)
    assert store.snapshots() == []  # left out of the list, not a crash


def test_corrupt_compressed_data_gives_a_clear_error(tmp_path):
    store = SnapshotStore(tmp_path)
    snapshot = save(store)
    data = bytearray(snapshot.path.read_bytes())
    data[20:40] = b"\xff" * 20
    snapshot.path.write_bytes(bytes(data))
    assert store.snapshots() == [snapshot]  # the description is intact
    with pytest.raises(SnapshotError, match="damaged"):
        store.load(snapshot)


def test_a_file_that_is_no_snapshot_is_skipped(tmp_path):
    store = SnapshotStore(tmp_path)
    (tmp_path / "pathway-20250101T000000000000Z-000000.avsnap").write_bytes(
        zlib.compress(b"x" * 100)
    )
    (tmp_path / "empty.avsnap").write_bytes(b"")
    good = save(store)
    assert store.snapshots() == [good]


def test_no_token_in_any_snapshot_file(tmp_path, demo_server):
    store = SnapshotStore(tmp_path)
    token = demo_server.pathway_token
    query = PathwayQuery("Pathway A")
    url = demo_server.url.replace("http://", f"http://user:{token}@") + "/?token=" + token
    with PathwayClient(demo_server.url, token) as client:
        body = client.fetch_body(query)
    snapshot = save(store, body, server=url, title="Pathway A")
    files = list(tmp_path.iterdir())
    assert files == [snapshot.path]
    for path in files:
        assert token.encode() not in path.read_bytes()
    assert token.encode() not in store.load(snapshot)
    assert store.snapshots()[0].server == demo_server.url
    assert token not in repr(store.snapshots())


def test_clean_server_and_age():
    assert clean_server("https://me:secret@example.com/api/?t=1#x") == "https://example.com/api"
    noon = datetime(2025, 6, 18, 12, 0, tzinfo=UTC).astimezone().replace(hour=12).timestamp()

    def age(seconds: float) -> str:
        return Snapshot(Path("x.snap"), SERVER, PATHWAY, {}, noon - seconds, 0, 0).age(noon)

    assert age(5) == "just now"
    assert age(125) == "2 min ago"
    assert age(3 * 3600 + 5) == "3 h ago"
    assert age(5 * 86400) == "5 days ago"
