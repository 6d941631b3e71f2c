"""Saved copies on disk: save, list, find, prune, and damaged files."""

from __future__ import annotations

import os
import struct
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
    SnapshotTooLarge,
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
    with pytest.raises(SnapshotError, match="not kept"):
        save(tiny, body)  # larger than the cap alone: not kept, and nothing else removed
    assert [s.id for s in tiny.snapshots()] == [fourth.id, third.id, second.id]


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


def _zlib_copy(path: Path, body: bytes, *, size: int | None = None) -> None:
    """A copy as the first format wrote it: zlib, head ``AVSNAP1``."""
    meta = (
        '{"format":1,"id":"' + path.stem + '","server":"' + SERVER + '","service":"pathway",'
        '"query":{"pathway":"Pathway A"},"fetched_at":"2025-01-01T00:00:00+00:00",'
        '"size":' + str(len(body) if size is None else size) + ',"title":"Old"}'
    ).encode()
    compressed = zlib.compress(body, 1)
    path.write_bytes(
        b"AVSNAP1\n"
        + compressed
        + meta
        + struct.pack(">QI8s", len(compressed), len(meta), b"AVSNAPZ\n")
    )


def test_copies_are_written_with_zstandard_and_zlib_copies_still_open(tmp_path):
    store = SnapshotStore(tmp_path)
    new = save(store)
    assert new.path.read_bytes().startswith(b"AVSNAP2\n")
    assert new.path.read_bytes()[8:12] == b"\x28\xb5\x2f\xfd"  # a Zstandard frame
    old = tmp_path / "pathway-20250101T000000000000Z-0a0b0c.avsnap"
    _zlib_copy(old, BODY)
    listed = store.snapshots()
    assert [s.title for s in listed] == ["", "Old"]
    assert store.load(listed[1]) == BODY
    _zlib_copy(old, BODY, size=len(BODY) - 1)  # says it holds less than it does
    with pytest.raises(SnapshotError, match="incomplete"):
        store.load(store.snapshots()[1])


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


# -- what one answer may cost the others --------------------------------------------------


def test_metadata_stays_small_whatever_the_server_calls_the_pathway(tmp_path):
    store = SnapshotStore(tmp_path)
    name = "N" * 5_000_000  # a name sent by the server goes into the description
    snapshot = save(store, title=name, hash="h" * 100_000, note="x" * 100_000)
    assert snapshot.stored < len(BODY) // 10 + 70_000
    assert snapshot.title.startswith("NNN") and snapshot.title.endswith("…")
    assert len(snapshot.title.encode()) <= 1024
    assert snapshot.hash is not None and len(snapshot.hash.encode()) <= 1024
    assert len(snapshot.extra["note"].encode()) <= 1024
    assert store.load(snapshot) == BODY
    assert store.snapshots() == [snapshot]


def test_a_query_too_long_to_describe_is_not_kept(tmp_path):
    store = SnapshotStore(tmp_path)
    earlier = save(store)
    with pytest.raises(SnapshotError, match="not kept"):
        save(store, pathway="P" * 5000)  # matching on a cut-short name would mix queries up
    with pytest.raises(SnapshotError, match="not kept"):
        store.save(BODY, server=SERVER, service=PATHWAY, query={"users": ["u" * 900] * 200})
    assert store.snapshots() == [earlier]
    assert list(tmp_path.iterdir()) == [earlier.path]


def test_a_description_too_long_to_read_is_skipped_and_pruned_first(tmp_path):
    """A copy written before descriptions were bounded is not read into memory."""
    store = SnapshotStore(tmp_path, max_bytes=200_000)
    good = save(store, os.urandom(30_000))
    old = tmp_path / "pathway-20200101T000000000000Z-abcdef.avsnap"
    meta = (
        '{"format":1,"id":"x","server":"s","service":"pathway","query":{},'
        '"fetched_at":"2020-01-01T00:00:00+00:00","size":0,"title":"' + "N" * 150_000 + '"}'
    ).encode()
    compressed = zlib.compress(b"")
    old.write_bytes(
        b"AVSNAP1\n"
        + compressed
        + meta
        + struct.pack(">QI8s", len(compressed), len(meta), b"AVSNAPZ\n")
    )
    assert store.snapshots() == [good]
    newer = save(store, os.urandom(30_000), pathway="Pathway B")
    assert not old.exists()  # unreadable, so no good copy of anything: removed first
    assert store.snapshots() == [newer, good]


def test_a_copy_larger_than_the_cap_is_not_kept_and_evicts_nothing(tmp_path):
    store = SnapshotStore(tmp_path, max_bytes=100_000)
    now = time.time()
    kept = [
        save(store, os.urandom(25_000), pathway=name, fetched_at=now - 300 + i)
        for i, name in enumerate(("Pathway A", "Pathway B", "Pathway C"))
    ]
    with pytest.raises(SnapshotTooLarge) as raised:
        save(store, os.urandom(300_000), pathway="Pathway D")
    message = str(raised.value)
    assert "not kept" in message and "0.1 MB" in message and "snapshots/maxMegabytes" in message
    assert store.snapshots() == kept[::-1]
    assert sorted(tmp_path.iterdir()) == sorted(s.path for s in kept)  # no temporary left


def test_a_huge_answer_stops_being_compressed_once_past_the_cap(tmp_path):
    store = SnapshotStore(tmp_path, max_bytes=1_000_000)
    pending = store.start(
        bytearray(os.urandom(40_000_000)), server=SERVER, service=PATHWAY, query={"pathway": "A"}
    )
    with pytest.raises(SnapshotTooLarge):
        pending.commit()
    assert pending.written <= 1_000_000 + (16 << 20)  # one slice past the cap at most
    assert list(tmp_path.iterdir()) == []


def test_pruning_never_removes_the_last_copy_of_a_query_for_a_new_one(tmp_path):
    store = SnapshotStore(tmp_path, max_bytes=100_000)
    now = time.time()
    a1 = save(store, os.urandom(20_000), pathway="Pathway A", fetched_at=now - 500)
    b = save(store, os.urandom(20_000), pathway="Pathway B", fetched_at=now - 400)
    a2 = save(store, os.urandom(20_000), pathway="Pathway A", fetched_at=now - 300)
    c = save(store, os.urandom(20_000), pathway="Pathway C", fetched_at=now - 200)
    # Room for the next one only by removing a1, the older copy of Pathway A.
    d = save(store, os.urandom(20_000), pathway="Pathway D", fetched_at=now - 100)
    assert store.snapshots() == [d, c, a2, b] and not a1.path.exists()
    # B, A, C and D each have one copy left: a fifth pathway is not kept, none is removed.
    with pytest.raises(SnapshotError, match="not kept") as raised:
        save(store, os.urandom(20_000), pathway="Pathway E", fetched_at=now)
    assert "Open snapshot" in str(raised.value)
    assert store.snapshots() == [d, c, a2, b]
    # A newer copy of a kept query takes the place of its own older copy.
    b2 = save(store, os.urandom(20_000), pathway="Pathway B", fetched_at=now)
    assert store.snapshots() == [b2, d, c, a2]
    assert store.total_bytes() <= 100_000


def _fed(store: SnapshotStore, pieces: list[bytes]):
    pending = store.start(None, server=SERVER, service=PATHWAY, query={"pathway": "Fed"})
    for piece in pieces:
        pending.feed(piece)
    return pending


def test_a_copy_fed_as_the_answer_arrives_loads_back_whole(tmp_path):
    store = SnapshotStore(tmp_path)
    body = os.urandom(3_000_000) + BODY * 50
    pieces = [body[i : i + 65_536] for i in range(0, len(body), 65_536)]
    snapshot = _fed(store, pieces).commit()
    assert store.load(snapshot) == body and snapshot.size == len(body)


def test_a_fed_copy_discarded_meanwhile_leaves_nothing_and_feeding_goes_on(tmp_path):
    store = SnapshotStore(tmp_path)
    pending = _fed(store, [os.urandom(1 << 20) for _ in range(3)])
    pending.discard()
    for _ in range(40):  # fed on after it stopped: nothing is written, nothing fails
        pending.feed(os.urandom(1 << 20))
    pending.fed()
    assert list(tmp_path.iterdir()) == []


def test_a_fed_copy_past_the_cap_stops_and_is_not_kept(tmp_path):
    store = SnapshotStore(tmp_path, max_bytes=1_000_000)
    pending = _fed(store, [os.urandom(1 << 20) for _ in range(80)])
    with pytest.raises(SnapshotTooLarge):
        pending.commit()
    # zstd hands its output on a few megabytes at a time: it stopped long before the end.
    assert pending.written < 40 << 20
    assert list(tmp_path.iterdir()) == []
