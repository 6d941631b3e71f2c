"""Rows made by forked processes at once: the same file, the same errors, nothing left."""

from __future__ import annotations

import io
import os
import signal
import time

import pytest

from tests.export.support import parts_answer
from viewer.api.errors import BadResponseError
from viewer.export import csv_parts
from viewer.export.csv_parts import write_csv_parts
from viewer.export.pathway_csv import PathwayExport
from viewer.export.rows import write_rows


def _answer(broken: bool = False) -> bytes:
    return parts_answer(5, 40, broken)


@pytest.fixture(autouse=True)
def parallel_always(monkeypatch):
    monkeypatch.setattr(csv_parts, "PARALLEL_FROM", 0)


@pytest.mark.parametrize("processes", [2, 3, 9])
def test_rows_made_in_several_processes_are_the_file_made_in_one(tmp_path, processes):
    body = _answer()
    alone, shared = tmp_path / "alone.csv", tmp_path / "shared.csv"
    assert write_rows(PathwayExport.read(body), str(alone), xlsx=False) == 600
    export = PathwayExport.read(body)
    assert 1 < len(export.csv_shares(processes)) <= min(processes, 5)
    assert write_rows(export, str(shared), xlsx=False, processes=processes) == 600
    assert shared.read_bytes() == alone.read_bytes()


def test_standard_output_gets_the_same_text_from_several_processes():
    body = _answer()
    alone, shared = io.StringIO(), io.StringIO()
    write_rows(PathwayExport.read(body), "-", xlsx=False, stdout=alone)
    write_rows(PathwayExport.read(body), "-", xlsx=False, stdout=shared, processes=2)
    assert shared.getvalue() == alone.getvalue()
    assert "é" in shared.getvalue()


def test_a_share_that_fails_in_its_process_fails_as_before_and_leaves_no_file(tmp_path):
    export = PathwayExport.read(_answer(broken=True))
    with pytest.raises(BadResponseError, match="unexpected shape for activity “Activity 5”"):
        write_rows(export, str(tmp_path / "out.csv"), xlsx=False, processes=2)
    assert list(tmp_path.iterdir()) == []


def test_a_process_still_making_its_share_is_stopped_when_the_export_stops(tmp_path, monkeypatch):
    forked: list[int] = []
    fork = os.fork

    def recorded_fork() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded_fork)

    def forever():
        while True:
            time.sleep(1)  # in the forked process only: waits to be killed
        yield 0, ""

    def interrupted():
        raise KeyboardInterrupt
        yield 0, ""

    with pytest.raises(KeyboardInterrupt):
        write_csv_parts(tmp_path / "out.csv", ["a"], [interrupted, forever])
    assert list(tmp_path.iterdir()) == []
    assert len(forked) == 1
    with pytest.raises(ProcessLookupError):  # killed and waited for: not even a zombie
        os.kill(forked[0], signal.SIG_DFL)
