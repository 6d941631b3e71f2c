"""The progress history: summaries of saved copies, read back as rows over time."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from tests.pathway.answers import answer, fetch, log
from viewer.api.pathway import PathwayQuery, read_pathway_logs
from viewer.pathway.catalogue import (
    Catalogue,
    CatalogueError,
    series_by_activity,
    series_by_group,
)
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.groups import ALL_REQUIRED_ID, EVERYONE
from viewer.pathway.saved import PathwayKeeper
from viewer.snapshots import PATHWAY, SnapshotStore

SERVER = "http://127.0.0.1:9"


def save(store: SnapshotStore, body: bytes, when: float, query: dict | None = None):
    query = query or {"pathway": "Hand-made"}
    snapshot = store.save(body, server=SERVER, service=PATHWAY, query=query, fetched_at=when)
    return snapshot, build_pathway_data(body)


def copy_with(done: int) -> bytes:
    """Four users in group G; the first ``done`` completed A."""
    logs = [log(f"u{i}@x.org", "completed" if i < done else "in progress", ["G"]) for i in range(4)]
    return answer([("A", True, logs), ("B", False, logs[:1])])


def test_history_across_three_copies(store):
    catalogue = Catalogue.beside(store)
    for when, done in ((1000.0, 1), (3000.0, 4), (2000.0, 2)):
        assert catalogue.record(*save(store, copy_with(done), when))

    rows = catalogue.progress_rows(SERVER + "/", "hand-made")

    assert catalogue.path == store.directory.parent / "catalogue.sqlite3"
    a_rows = [
        (r.taken_at, r.users, r.completed, r.percent_completed)
        for r in rows
        if r.activity_id == "A"
    ]
    assert a_rows == [(1000.0, 4, 1, 25.0), (2000.0, 4, 2, 50.0), (3000.0, 4, 4, 100.0)]
    assert {r.group for r in rows} == {EVERYONE}
    assert [r.activity_id for r in rows[:3]] == ["A", "B", ALL_REQUIRED_ID]
    # By the pathway's ID as well as by what was asked for.
    assert catalogue.progress_rows(SERVER, "P-1") == rows
    per_group = catalogue.progress_rows(SERVER, "Hand-made", groups=[EVERYONE, "G"])
    only_g = catalogue.progress_rows(SERVER, "Hand-made", groups=["G"])
    assert {r.group for r in only_g} == {"G"}
    assert {r.group for r in per_group} == {EVERYONE, "G"}
    assert len(catalogue.progress_rows(SERVER, "Hand-made", groups=None)) == len(per_group)

    lines = series_by_activity(rows)
    assert [line.key for line in lines] == ["A", "B", ALL_REQUIRED_ID]
    assert lines[0].points == [(1000.0, 25.0), (2000.0, 50.0), (3000.0, 100.0)]
    by_group = series_by_group(per_group)
    assert [line.key for line in by_group] == [EVERYONE, "G"]


def test_a_copy_is_recorded_once_and_survives_its_file(store):
    catalogue = Catalogue.beside(store)
    snapshot, data = save(store, copy_with(2), 1000.0)
    assert catalogue.record(snapshot, data)
    assert not catalogue.record(snapshot, data)
    store.delete(snapshot)
    assert catalogue.copies() == 1
    assert len(catalogue.progress_rows(SERVER, "Hand-made")) == 3


def test_filtered_fetches_have_their_own_history(store):
    catalogue = Catalogue.beside(store)
    catalogue.record(*save(store, copy_with(1), 1000.0))
    catalogue.record(*save(store, copy_with(3), 2000.0, {"pathway": "Hand-made", "groups": ["G"]}))

    whole = catalogue.progress_rows(SERVER, "Hand-made")
    filtered = catalogue.progress_rows(SERVER, "Hand-made", filters={"groups": ["G"]})
    assert {r.taken_at for r in whole} == {1000.0}
    assert {r.taken_at for r in filtered} == {2000.0}
    assert catalogue.progress_rows("http://elsewhere", "Hand-made") == []


def test_a_missing_catalogue_reads_as_no_history(tmp_path):
    catalogue = Catalogue(tmp_path / "nothing" / "catalogue.sqlite3")
    assert catalogue.progress_rows(SERVER, "Hand-made") == []
    assert not catalogue.path.exists()


def test_a_damaged_catalogue_says_so_and_saving_still_works(demo_server, store):
    catalogue = Catalogue.beside(store)
    catalogue.path.parent.mkdir(parents=True, exist_ok=True)
    catalogue.path.write_bytes(b"this is not a database at all" * 100)

    with pytest.raises(CatalogueError, match=r"damaged.*Move it away or delete it"):
        catalogue.progress_rows(SERVER, "Hand-made")

    # A fetch that saves a copy keeps it, and says why its summary is missing.
    keeper = PathwayKeeper(store, demo_server.url, PathwayQuery("Pathway A"))
    body = fetch(demo_server)
    finish = keeper(body)
    finish(read_pathway_logs(body, lambda _index, _logs: None))
    keeper.record(build_pathway_data(body))
    assert keeper.snapshot is not None and keeper.snapshot.path.exists()
    assert keeper.catalogue_error is not None and "damaged" in keeper.catalogue_error


def test_a_locked_catalogue_says_it_is_busy(store, monkeypatch):
    catalogue = Catalogue.beside(store)
    catalogue.record(*save(store, copy_with(1), 1000.0))
    monkeypatch.setattr("viewer.pathway.catalogue.BUSY_TIMEOUT", 0.05)
    holder = sqlite3.connect(catalogue.path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(CatalogueError, match="in use by another program"):
            catalogue.record(*save(store, copy_with(2), 2000.0))
    finally:
        holder.rollback()
        holder.close()
    assert catalogue.record(*save(store, copy_with(2), 3000.0))  # usable again


def test_a_catalogue_from_a_newer_version_is_left_alone(store):
    catalogue = Catalogue.beside(store)
    catalogue.record(*save(store, copy_with(1), 1000.0))
    with sqlite3.connect(catalogue.path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(CatalogueError, match="newer version"):
        catalogue.progress_rows(SERVER, "Hand-made")


def test_records_from_two_threads_at_once_both_land(store):
    catalogue = Catalogue.beside(store)
    copies = [save(store, copy_with(i), 1000.0 + i) for i in range(4)]
    threads = [threading.Thread(target=catalogue.record, args=copy) for copy in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert catalogue.copies() == 4


def test_a_window_copy_is_counted_by_the_worker_and_recorded_after(demo_server, store, monkeypatch):
    keeper = PathwayKeeper(store, demo_server.url, PathwayQuery("Pathway A"), later=True)
    body = fetch(demo_server)
    decoded = keeper(body)
    assert store.snapshots() == []
    decoded(read_pathway_logs(body, lambda _index, _logs: None))
    data = build_pathway_data(body)
    keeper.count(data)

    def no_more_counting(_data):
        raise AssertionError("counted again after the tree was shown")

    monkeypatch.setattr(Catalogue, "summarise", staticmethod(no_more_counting))
    assert store.snapshots() == []  # nothing in place until saved
    keeper.save(data)
    assert keeper.snapshot is not None and store.snapshots() == [keeper.snapshot]
    assert keeper.catalogue_error is None
    rows = Catalogue.beside(store).progress_rows(keeper.snapshot.server, "Pathway A")
    assert rows and {row.taken_at for row in rows} == {keeper.snapshot.fetched_at}


def test_a_fetch_keeps_its_copy_as_it_arrives_and_a_retry_starts_it_again(demo_server, store):
    body = fetch(demo_server)
    keeper = PathwayKeeper(store, demo_server.url, PathwayQuery("Pathway A"), later=True)
    keeper.begin()
    keeper.feed(b"the start of an answer whose request failed and was sent again")
    keeper.begin()
    for start in range(0, len(body), 10_000):
        keeper.feed(body[start : start + 10_000])
    decoded = keeper(bytearray(body))
    decoded(read_pathway_logs(body, lambda _index, _logs: None))
    data = build_pathway_data(body)
    keeper.count(data)
    keeper.save(data)
    assert keeper.snapshot is not None and store.snapshots() == [keeper.snapshot]
    assert store.load(keeper.snapshot) == body
    assert len([p for p in store.directory.iterdir() if p.is_file()]) == 1  # nothing left over


def test_a_fetch_that_fails_after_its_copy_began_leaves_no_copy(demo_server, store):
    keeper = PathwayKeeper(store, demo_server.url, PathwayQuery("Pathway A"), later=True)
    keeper.begin()
    keeper.feed(b'{"status":"success","da')
    keeper.abandon()
    assert store.snapshots() == []
    assert not store.directory.exists() or list(store.directory.iterdir()) == []


def test_a_window_fetch_saves_the_answer_it_gave_back_as_it_read_it(
    demo_server, store, monkeypatch
):
    from viewer.api import pathway as pathway_api
    from viewer.api.pathway import PathwayClient
    from viewer.jobs import CancelToken
    from viewer.pathway.fetch import fetch_pathway_data

    given_back: list[int] = []
    real = pathway_api.release

    def counted(body, start, end):  # the real one, counting what it gives back
        given_back.append(real(body, start, end))
        return given_back[-1]

    monkeypatch.setattr(pathway_api, "release", counted)
    query = PathwayQuery("Pathway A")
    keeper = PathwayKeeper(store, demo_server.url, query, later=True)
    with PathwayClient(demo_server.url, demo_server.pathway_token) as client:
        data = fetch_pathway_data(client, query, CancelToken(), keep=keeper)
    keeper.count(data)
    keeper.save(data)
    assert keeper.streamed and sum(given_back) > 0
    assert keeper.snapshot is not None
    again = build_pathway_data(store.load(keeper.snapshot))
    assert [a.fulfilment for a in again.activities] == [a.fulfilment for a in data.activities]
    assert [u.email for u in again.users] == [u.email for u in data.users]
