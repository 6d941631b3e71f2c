"""Paging that never ends: the client and the export command stop, and say why."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys

import pytest

from tests.faults.endless_inbox import GROWING, HUGE, PER_PAGE, TOKEN, endless_inbox
from tests.faults.support import TIMEOUT
from viewer.api.activity import (
    DEFAULT_MAX_ACTIVITIES,
    END,
    LIMIT,
    STALLED,
    TOTAL,
    ActivityClient,
    EndlessPagingError,
)
from viewer.export.command import build_parser, run


def client_of(inbox) -> ActivityClient:
    return ActivityClient(inbox.url, TOKEN, timeout=TIMEOUT)


def walk_pages(pager) -> list:
    """Every activity the pager hands on, page by page, as the inbox tab asks for them."""
    got = []
    while not pager.exhausted:
        got += pager.next_page()
    return got


@pytest.mark.parametrize("total", [GROWING, HUGE], ids=["growing-total", "total-1e12"])
@pytest.mark.parametrize("mode", ["repeat", "trickle"])
def test_pages_bringing_nothing_new_end_the_walk_after_three(mode, total):
    with endless_inbox(mode, total=total) as inbox, client_of(inbox) as client:
        pager = client.pager(PER_PAGE)
        assert pager.stopped is None
        got = walk_pages(pager)
        assert pager.stopped == STALLED and pager.exhausted
        assert inbox.requests == 4  # the first page, then three with (almost) nothing new
        assert len(got) == len({a.uuid for a in got}) == pager.seen_count
        assert "nothing new" in pager.stop_message()
        with pytest.raises(EndlessPagingError, match="nothing new") as raised:
            list(client.walk())
        assert inbox.url.removeprefix("http://") in raised.value.message
        assert inbox.requests == 8


@pytest.mark.parametrize("per_page", [None, 0, -5, 10**12])
def test_a_page_size_that_makes_no_sense_does_not_keep_the_walk_going(per_page):
    with endless_inbox("repeat", total=HUGE, per_page=per_page) as inbox, client_of(inbox) as c:
        pager = c.pager(PER_PAGE)
        walk_pages(pager)
        assert pager.stopped in (STALLED, END) and inbox.requests <= 4


def test_new_activities_forever_stop_at_the_limit():
    with endless_inbox("invent", total=HUGE) as inbox, client_of(inbox) as client:
        pager = client.pager(PER_PAGE, max_activities=250)
        got = walk_pages(pager)
        assert len(got) == 250 and pager.stopped == LIMIT
        assert inbox.requests == 3
        assert "250" in pager.stop_message()
        assert len(list(client.walk(max_activities=120))) == 120  # the limit is no error
    assert DEFAULT_MAX_ACTIVITIES == 1_000_000
    assert client.pager().max_activities == DEFAULT_MAX_ACTIVITIES


def test_the_servers_own_total_ends_the_walk():
    with endless_inbox("invent", total=250) as inbox, client_of(inbox) as client:
        pager = client.pager(PER_PAGE)
        walk_pages(pager)
        assert pager.stopped == TOTAL and inbox.requests == 3


def test_an_honest_list_ends_with_its_short_page():
    with endless_inbox("honest", total=250) as inbox, client_of(inbox) as client:
        pager = client.pager(PER_PAGE)
        assert len(walk_pages(pager)) == 250
        assert pager.stopped == END and inbox.requests == 3


# -- the export command -------------------------------------------------------------------


def export(inbox, output, *extra: str) -> tuple[int, str]:
    err = io.StringIO()
    args = ["inbox", "--server", inbox.url, "--output", str(output), "--allow-insecure-http"]
    status = run([*args, *extra], environ={"VIEWER_TOKEN": TOKEN}, stderr=err)
    return status, err.getvalue()


@pytest.mark.parametrize("total", [GROWING, HUGE], ids=["growing-total", "total-1e12"])
def test_export_from_a_looping_server_exits_1_with_the_reason_and_no_file(tmp_path, total):
    with endless_inbox("repeat", total=total) as inbox:
        status, err = export(inbox, tmp_path / "inbox.csv")
    assert status == 1
    assert err.startswith("python -m viewer export: ") and "nothing new" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
    assert inbox.requests == 1 + 4  # the list of types (refused here), then the pages


def test_export_stops_at_max_activities_saying_so(tmp_path):
    output = tmp_path / "inbox.csv"
    with endless_inbox("invent", total=HUGE) as inbox:
        status, err = export(inbox, output, "--max-activities", "250")
    assert status == 0
    assert "stopped after 250 activities" in err and "--max-activities" in err
    rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1 + 250
    assert inbox.requests == 1 + 3  # the list of types, then the pages
    assert [p.name for p in tmp_path.iterdir()] == ["inbox.csv"]


def test_a_complete_export_says_nothing_more(tmp_path):
    with endless_inbox("honest", total=250) as inbox:
        status, err = export(inbox, tmp_path / "inbox.csv")
    assert status == 0
    assert err.startswith("Wrote 250 rows (") and err.count("\n") == 1  # the summary only


def test_max_activities_has_a_default_and_must_be_positive(capsys):
    assert build_parser().parse_args(["inbox", "--server", "x", "-o", "-"]).max_activities == (
        DEFAULT_MAX_ACTIVITIES
    )
    for bad in ("0", "-3", "many"):
        args = ["inbox", "--server", "x", "-o", "-", "--max-activities", bad]
        with pytest.raises(SystemExit) as raised:
            build_parser().parse_args(args)
        assert raised.value.code == 2
    assert "--max-activities" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("sent", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"]
)
def test_a_signal_during_a_stalled_export_leaves_no_partial_file(tmp_path, sent, status):
    folder = tmp_path / "out"
    folder.mkdir()
    env = {**os.environ, "VIEWER_TOKEN": TOKEN}
    env.pop("QT_QPA_PLATFORM", None)
    with endless_inbox("stall") as inbox:
        command = [sys.executable, "-m", "viewer", "export", "inbox", "--server", inbox.url]
        command += ["--output", str(folder / "inbox.csv"), "--allow-insecure-http"]
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            assert inbox.stalled.wait(30), "the export never asked for the second page"
            assert [p.suffix for p in folder.iterdir()] == [".partial"]  # being written
            process.send_signal(sent)
            _out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert list(folder.iterdir()) == []
    assert process.returncode == status, err
    assert "nothing was written" in err and "Traceback" not in err
