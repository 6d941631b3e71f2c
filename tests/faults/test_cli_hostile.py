"""``python -m viewer export`` against servers that stall or send more than anyone asked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.hostile import HostileServer, gzip_bomb_answer, pathway_answer, trickle

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "python -m viewer export: "
#: Prints the peak resident memory of the command it runs (in kB), after its own output.
_MEASURED = """
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:])
print(f"peak_kb={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", file=sys.stderr)
sys.exit(result.returncode)
"""


def _export(url: str, output: Path, *extra: str, measure: bool = False):
    env = {**os.environ, "VIEWER_TOKEN": "token"}
    env.pop("QT_QPA_PLATFORM", None)
    command = [sys.executable, "-m", "viewer", "export", "pathway", "--server", url]
    command += ["--pathway", "Pathway A", "--output", str(output), *extra]
    if measure:
        command = [sys.executable, "-c", _MEASURED, *command]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_a_stalled_transfer_ends_at_the_timeout_naming_the_server_and_the_wait(tmp_path):
    output = tmp_path / "out.csv"
    behaviour = trickle(pathway_answer(), interval=0.2, headers_first=True)
    with HostileServer(behaviour) as server:
        result = _export(server.url, output, "--timeout", "2")
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(PREFIX)
    assert server.url.split("//")[1] in result.stderr
    assert "within 2 seconds" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_gzip_bomb_is_refused_at_the_cap_with_how_to_raise_it(tmp_path):
    output = tmp_path / "out.csv"
    start = b'{"status": "success", "data": [{"pathway": {"ID": "p", "name": "'
    with HostileServer(gzip_bomb_answer(400 << 20, prefix=start)) as server:
        result = _export(server.url, output, "--max-answer-mb", "16", measure=True)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(PREFIX)
    assert "larger than 16 MB" in result.stderr and "--max-answer-mb" in result.stderr
    assert list(tmp_path.iterdir()) == []
    peak_mb = int(result.stderr.rsplit("peak_kb=", 1)[1]) / 1000
    assert peak_mb < 200, f"the command peaked at {peak_mb:.0f} MB on a 16 MB cap"


def test_an_answer_within_a_raised_cap_is_written(tmp_path):
    output = tmp_path / "out.csv"
    name = "N" * 3_000_000
    answer = json.loads(pathway_answer().split(b"\r\n\r\n", 1)[1])
    answer["data"][0]["pathway"]["name"] = name
    answer["data"][0]["activities"][0]["logs"] = [{"email": "ann@example.test"}]
    body = json.dumps(answer).encode()
    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()

    def behaviour(conn, request, stop):
        conn.sendall(head + body)

    with HostileServer(behaviour) as server:
        refused = _export(server.url, output, "--max-answer-mb", "2")
        written = _export(server.url, output, "--max-answer-mb", "4")
    assert refused.returncode == 1 and "larger than 2 MB" in refused.stderr
    assert written.returncode == 0, written.stderr
    assert name in output.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    "extra",
    [["--timeout", "0"], ["--timeout", "soon"], ["--max-answer-mb", "-1"], ["--timeout", "nan"]],
)
def test_limits_that_make_no_sense_are_usage_errors(tmp_path, extra):
    result = _export("http://127.0.0.1:9", tmp_path / "out.csv", *extra)
    assert result.returncode == 2
    assert "usage:" in result.stderr
