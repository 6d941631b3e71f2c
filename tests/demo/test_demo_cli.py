"""``python -m viewer.demo.cli``: the one-line handshake, real requests, clean exit."""

from __future__ import annotations

import argparse
import contextlib
import os
import selectors
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from viewer.demo import cli

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["--users", "12", "--inbox", "30", "--activities", "5"]


@contextlib.contextmanager
def demo_process(*args: str):
    """The running CLI and the fields of its first line."""
    command = [sys.executable, "-m", "viewer.demo.cli", *args]
    with subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as proc:
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(proc.stdout, selectors.EVENT_READ)
                if not selector.select(timeout=30):
                    raise AssertionError("the demo server printed nothing within 30 s")
            line = proc.stdout.readline().decode()
            assert line.endswith("\n"), (line, proc.stderr.read().decode())
            fields = dict(item.split("=", 1) for item in line.split())
            assert list(fields) == [
                "url",
                "pathway_token",
                "activity_token",
                "client_id",
                "client_secret",
            ]
            yield proc, fields
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> int:
    proc.send_signal(sig)
    code = proc.wait(timeout=30)
    assert proc.stderr.read() == b""
    return code


def test_arguments_and_defaults():
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    args = parser.parse_args([])
    assert (args.host, args.port, args.seed, args.users, args.inbox, args.activities, args.db) == (
        "127.0.0.1",
        0,
        1,
        200,
        500,
        12,
        None,
    )
    assert args.token_ttl == 28799.0
    assert parser.parse_args(["--token-ttl", "2.5"]).token_ttl == 2.5
    args = parser.parse_args(["--port", "8080", "--seed", "5", "--db", "x.sqlite"])
    assert (args.port, args.seed, args.db) == (8080, 5, "x.sqlite")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serves_until_signalled(sig):
    with demo_process(*SMALL, "--seed", "9") as (proc, fields):
        assert fields["url"].startswith("http://127.0.0.1:")
        with httpx.Client(base_url=fields["url"], timeout=10) as client:
            response = client.post(
                "/v1/logs/pathway-logs",
                json={"pathway": "Pathway A", "users": ["joe.soap@example.com"]},
                headers={"Authorization": f"Basic {fields['pathway_token']}"},
            )
            assert response.status_code == 200
            assert response.json()["data"][0]["activities"][0]["logs"][0]["lastname"] == "Soap"
            page = client.get(
                "/v1/activities",
                headers={"Authorization": f"Bearer {fields['activity_token']}"},
            )
            assert page.json()["meta"]["total"] == 30
        assert stop(proc, sig) == 0


def test_faults_switched_from_outside():
    with demo_process(*SMALL) as (proc, fields):
        headers = {"Authorization": f"Bearer {fields['activity_token']}"}
        with httpx.Client(base_url=fields["url"], timeout=10) as client:
            switched = client.post(
                "/_demo/faults", json={"status": 503, "retry_after": "2", "times": 1}
            )
            assert switched.status_code == 200
            failed = client.get("/v1/activities/types", headers=headers)
            assert failed.status_code == 503 and failed.headers["Retry-After"] == "2"
            assert client.get("/v1/activities/types", headers=headers).status_code == 200
            added = client.post("/_demo/add-activities", json={"count": 2}).json()["uuids"]
            top = client.get("/v1/activities?per_page=2", headers=headers).json()["data"]
            assert [item["uuid"] for item in top] == added
        assert stop(proc) == 0


def test_db_file_keeps_marks_and_refuses_another_seed(tmp_path):
    db = str(tmp_path / "inbox.sqlite")
    with demo_process(*SMALL, "--db", db) as (proc, fields):
        headers = {"Authorization": f"Bearer {fields['activity_token']}"}
        with httpx.Client(base_url=fields["url"], timeout=10) as client:
            marked = client.post("/v1/activities/read", json={"isRead": True}, headers=headers)
            assert marked.status_code == 204
        assert stop(proc) == 0
    with demo_process(*SMALL, "--db", db) as (proc, fields):
        headers = {"Authorization": f"Bearer {fields['activity_token']}"}
        with httpx.Client(base_url=fields["url"], timeout=10) as client:
            counts = client.get("/v1/activities/unread-count", headers=headers).json()
            assert counts["unread"] == 0
        assert stop(proc) == 0
    refused = subprocess.run(
        [sys.executable, "-m", "viewer.demo.cli", *SMALL, "--seed", "2", "--db", db],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 2 and b"seed 1" in refused.stderr and refused.stdout == b""
