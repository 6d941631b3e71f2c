"""Shares forked before the first pass: the same file, the same errors, nothing left."""

from __future__ import annotations

import os
import signal

import httpx
import pytest

from tests.export.support import parts_answer
from viewer.api import pathway_slices
from viewer.api.errors import BadResponseError
from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.export import early_shares
from viewer.export.csv_parts import write_csv_parts
from viewer.export.early_shares import EarlyShares, cuts
from viewer.export.pathway_csv import PathwayExport
from viewer.export.rows import write_rows
from viewer.export.views import LOGS, PathwayJob
from viewer.snapshots import SnapshotStore


def _answer(broken: bool = False) -> bytes:
    return parts_answer(6, 30, broken)


@pytest.fixture(autouse=True)
def early_always(monkeypatch):
    monkeypatch.setattr(early_shares, "EARLY_FROM", 0)


@pytest.fixture
def forked(monkeypatch):
    pids: list[int] = []
    fork = os.fork

    def recorded() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded)
    return pids


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, signal.SIG_DFL)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("processes", [2, 3])
def test_shares_begun_before_the_first_pass_make_the_same_file(tmp_path, processes, forked):
    body = _answer()
    alone, shared = tmp_path / "alone.csv", tmp_path / "shared.csv"
    write_rows(PathwayExport.read(body), str(alone), xlsx=False)
    early = EarlyShares.begin(body, processes)
    assert early is not None and len(forked) == processes - 1
    shares = early.shares(PathwayExport.read(early.body))
    assert shares is not None
    assert write_csv_parts(shared, PathwayExport.read(body).header, shares) == 630
    early.close()
    assert shared.read_bytes() == alone.read_bytes()
    assert all(map(_gone, forked))


def test_a_copy_whose_logs_are_broken_leaves_its_share_to_the_first_pass(tmp_path, forked):
    early = EarlyShares.begin(_answer(broken=True), 2)
    assert early is not None
    export = PathwayExport.read(early.body)  # the first pass reads only the fulfilment
    shares = early.shares(export)
    assert shares is not None
    with pytest.raises(BadResponseError, match="unexpected shape for activity “Activity 6”"):
        write_csv_parts(tmp_path / "out.csv", export.header, shares)
    early.close()
    assert list(tmp_path.iterdir()) == []
    assert all(map(_gone, forked))


def test_copies_are_stopped_when_the_first_pass_finds_the_logs_elsewhere(forked):
    body = _answer()
    early = EarlyShares.begin(body, 2)
    assert early is not None
    moved = b" " * 7 + body  # the same answer, read at other offsets
    assert early.shares(PathwayExport.read(moved)) is None
    assert all(map(_gone, forked))


def test_copies_are_stopped_when_the_first_pass_fails(forked):
    early = EarlyShares.begin(_answer(), 2)
    assert early is not None
    early.close()  # what the export does when its first pass raises
    assert forked and all(map(_gone, forked))


def test_a_small_answer_is_not_forked_for(monkeypatch, forked):
    monkeypatch.setattr(early_shares, "EARLY_FROM", 10 << 20)
    assert EarlyShares.begin(_answer(), 2) is None
    assert EarlyShares.begin(_answer(), 1) is None
    assert forked == []


def test_the_share_of_the_process_that_reads_first_is_the_smaller():
    starts = list(range(0, 1000, 10))  # a hundred activities of ten bytes
    assert cuts(starts, 1000, 2, 0.25) == [0, 38, 100]
    assert cuts(starts, 1000, 2, 0.55) == [0, 22, 100]
    assert cuts(starts, 1000, 3, 0.25) == [0, 17, 58, 100]
    assert cuts(starts, 1000, 2, 2.0) == [0, 0, 100]  # only reading: the copy makes all
    assert cuts([5], 100, 2, 0.25) == [0, 1]


def test_the_command_looks_for_the_logs_arrays_once(tmp_path, monkeypatch, forked):
    body = _answer()
    alone, shared = tmp_path / "alone.csv", tmp_path / "shared.csv"
    write_rows(PathwayExport.read(body), str(alone), xlsx=False)
    scans: list[int] = []
    scan = pathway_slices.array_starts

    def counted(*args, **kwargs):
        scans.append(os.getpid())
        return scan(*args, **kwargs)

    monkeypatch.setattr(pathway_slices, "array_starts", counted)
    monkeypatch.setattr(early_shares, "array_starts", counted)
    transport = httpx.MockTransport(lambda _request: httpx.Response(200, content=body))
    job = PathwayJob(
        LOGS, str(shared), False, SnapshotStore(tmp_path / "copies"), keep=False, processes=2
    )
    with PathwayClient("http://127.0.0.1:9", "token", transport=transport) as client:
        assert job.run(client, PathwayQuery("Pathway")) == 630
    assert forked  # the rows were made in shares begun before the first pass
    assert scans == [os.getpid()]  # by the shares, and the first pass took what they found
    assert shared.read_bytes() == alone.read_bytes()
