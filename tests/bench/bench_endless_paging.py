"""What an endless inbox costs ``python -m viewer export inbox``, server by server.

Run with ``python tests/bench/bench_endless_paging.py [--seconds S] [--max-activities N]``
(pytest does not collect it). For each kind of server whose paging never ends (the same page
for every number with a growing or a 10^12 total, new activities on every page, one new
activity per page), it runs the export in a subprocess with the default limit unless told
otherwise, and prints the requests the server received, the wall time, the exit status, the
child's peak RSS and the largest the hidden ``.partial`` file grew. A run still going after
``--seconds`` (default 120) is killed and reported as such.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.faults.endless_inbox import GROWING, HUGE, TOKEN, endless_inbox  # noqa: E402

CASES = [
    ("same page, growing total", "repeat", GROWING),
    ("same page, total 10^12", "repeat", HUGE),
    ("one new per page, total 10^12", "trickle", HUGE),
    ("new uuids forever, total 10^12", "invent", HUGE),
]


def run_case(mode: str, total, seconds: float, limit: int | None) -> dict:
    env = {**os.environ, "VIEWER_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as folder, endless_inbox(mode, total=total) as inbox:
        output = Path(folder) / "inbox.csv"
        command = [sys.executable, "-m", "viewer", "export", "inbox", "--server", inbox.url]
        command += ["--output", str(output), "--allow-insecure-http"]
        if limit is not None:
            command += ["--max-activities", str(limit)]
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        largest, killed = 0, False
        while True:  # wait4, not poll: poll would reap the child and lose its peak RSS
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            for path in Path(folder).iterdir():
                with contextlib.suppress(FileNotFoundError):
                    largest = max(largest, path.stat().st_size)
            if time.perf_counter() - started > seconds and not killed:
                process.send_signal(signal.SIGKILL)
                killed = True
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        err = process.stderr.read() if process.stderr else ""
        if output.exists():
            largest = max(largest, output.stat().st_size)
        return {
            "requests": inbox.requests,
            "seconds": elapsed,
            "status": "killed" if killed else process.returncode,
            "peak_mb": usage.ru_maxrss / 1024,
            "file_mb": largest / 1e6,
            "said": err.strip().splitlines()[-1] if err.strip() else "",
        }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--max-activities", type=int, default=None)
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for label, mode, total in CASES:
        result = run_case(mode, total, args.seconds, args.max_activities)
        print(
            f"{label:32} requests {result['requests']:>7,}  {result['seconds']:6.1f} s  "
            f"exit {result['status']!s:>6}  peak RSS {result['peak_mb']:6.0f} MB  "
            f"file {result['file_mb']:7.1f} MB"
        )
        if result["said"]:
            print(f"{'':32} {result['said'][:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
