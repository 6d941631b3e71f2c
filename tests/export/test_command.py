"""``python -m viewer export`` as a user runs it: exit codes, files, standard output."""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys

import pytest

from viewer.api.pathway import PathwayQuery
from viewer.credentials import CredentialStore
from viewer.export import command

PATHWAY = "Become A Store Owner"


def run_cli(*args: str, token: str | None, timeout: float = 60, env: dict | None = None):
    env = {**{k: v for k, v in os.environ.items() if k != "VIEWER_TOKEN"}, **(env or {})}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if token is not None:
        env["VIEWER_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "viewer", "export", *args],
        capture_output=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def rows_of(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_pathway_export_writes_every_log(connections, demo_server, tmp_path):
    target = tmp_path / "out.csv"
    done = run_cli(
        "pathway",
        "--server",
        demo_server.url,
        "--pathway",
        PATHWAY,
        "--output",
        str(target),
        token=demo_server.pathway_token,
    )
    assert done.returncode == 0, done.stderr
    expected = connections.pathway_client().fetch(PathwayQuery(PATHWAY)).log_count
    assert len(rows_of(target)) - 1 == expected
    assert done.stdout == b""
    assert done.stderr == b""  # progress only on a terminal


def test_filters_are_passed_to_the_server(connections, demo_server, tmp_path):
    target = tmp_path / "out.csv"
    done = run_cli(
        "pathway",
        "--server",
        demo_server.url,
        "--pathway",
        PATHWAY,
        "--group",
        "Group A",
        "--output",
        str(target),
        token=demo_server.pathway_token,
    )
    assert done.returncode == 0, done.stderr
    query = PathwayQuery(PATHWAY, groups=("Group A",))
    expected = connections.pathway_client().fetch(query).log_count
    rows = rows_of(target)
    assert len(rows) - 1 == expected
    groups = rows[0].index("groups")
    assert all("Group A" in row[groups] for row in rows[1:])


def test_inbox_to_standard_output(demo_server):
    done = run_cli(
        "inbox", "--server", demo_server.url, "--output", "-", token=demo_server.activity_token
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert rows[0][:3] == ["uuid", "created_at", "updated_at"]
    assert len(rows) - 1 == 230


def test_wrong_token_fails_with_1_and_no_file(demo_server, tmp_path):
    target = tmp_path / "out.csv"
    done = run_cli(
        "pathway",
        "--server",
        demo_server.url,
        "--pathway",
        PATHWAY,
        "--output",
        str(target),
        token="wrong",
    )
    assert done.returncode == 1
    assert b"401" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_server_down_fails_with_1_and_no_file(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = tmp_path / "out.csv"
    done = run_cli(
        "inbox", "--server", f"http://127.0.0.1:{port}", "--output", str(target), token="t"
    )
    assert done.returncode == 1
    assert done.stderr.strip()
    assert list(tmp_path.iterdir()) == []


def test_unknown_pathway_fails_with_1(demo_server, tmp_path):
    done = run_cli(
        "pathway",
        "--server",
        demo_server.url,
        "--pathway",
        "No Such Pathway",
        "--output",
        str(tmp_path / "out.csv"),
        token=demo_server.pathway_token,
    )
    assert done.returncode == 1
    assert list(tmp_path.iterdir()) == []


def test_missing_token_exits_2(demo_server, tmp_path):
    done = run_cli(
        "inbox", "--server", demo_server.url, "--output", str(tmp_path / "o.csv"), token=None
    )
    assert done.returncode == 2
    assert b"VIEWER_TOKEN" in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("pathway", "--server", "http://127.0.0.1:1", "--output", "x.csv"),  # no --pathway
        ("inbox", "--server", "http://127.0.0.1:1"),  # no --output
        ("nothing",),
    ],
)
def test_bad_usage_exits_2_with_usage(args, tmp_path):
    done = run_cli(*args, token="t")
    assert done.returncode == 2
    assert b"usage:" in done.stderr


def test_plain_http_to_another_host_is_refused_unless_allowed(tmp_path):
    out = io.StringIO()
    err = io.StringIO()
    code = command.run(
        ["inbox", "--server", "http://example.invalid", "--output", str(tmp_path / "o.csv")],
        environ={"VIEWER_TOKEN": "t"},
        stdout=out,
        stderr=err,
    )
    assert code == 2
    assert "https" in err.getvalue()


def test_token_from_the_keyring(demo_server, tmp_path):
    store = CredentialStore()
    store.set("activity-log", demo_server.url, demo_server.activity_token)
    err = io.StringIO()
    target = tmp_path / "o.csv"
    code = command.run(
        ["inbox", "--server", demo_server.url, "--output", str(target)],
        environ={},
        store=store,
        stderr=err,
    )
    assert code == 0, err.getvalue()
    assert len(rows_of(target)) == 231


def test_a_failure_while_writing_leaves_no_file(demo_server, tmp_path):
    folder = tmp_path / "missing"
    err = io.StringIO()
    code = command.run(
        ["inbox", "--server", demo_server.url, "--output", str(folder / "o.csv")],
        environ={"VIEWER_TOKEN": demo_server.activity_token},
        stderr=err,
    )
    assert code == 1
    assert "does not exist" in err.getvalue()
    assert list(tmp_path.iterdir()) == []


EXPORT_PATHWAY = (sys.executable, "-m", "viewer", "export", "pathway", "--server")


@pytest.mark.parametrize("token", ["tökén", "abc\u201cdef\u201d", "two\nlines"])
def test_a_token_that_cannot_be_sent_exits_2_with_a_message(demo_server, tmp_path, token):
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["VIEWER_TOKEN"] = token
    target = tmp_path / "out.csv"
    done = subprocess.run(
        [*EXPORT_PATHWAY, demo_server.url, "--pathway", PATHWAY, "--output", str(target)],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert "cannot be sent" in stderr and "not plain ASCII" in stderr
    assert token.strip() not in stderr
    assert list(tmp_path.iterdir()) == []
    assert demo_server.request_log == []  # refused before any request


def test_a_reader_that_stops_early_ends_the_export_quietly():
    from viewer.demo.server import DemoServer

    with DemoServer(seed=3, users=600, activities=8) as server:
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env["VIEWER_TOKEN"] = server.pathway_token
        process = subprocess.Popen(
            [*EXPORT_PATHWAY, server.url, "--pathway", PATHWAY, "--output", "-"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()  # what `| head -1` reads, before it goes away
        process.stdout.close()
        stderr = process.stderr.read().decode("utf-8")
        process.stderr.close()
        code = process.wait(timeout=60)
    assert first.startswith(b"pathway_id,")
    assert stderr == ""
    assert code == command.BROKEN_PIPE == 141
