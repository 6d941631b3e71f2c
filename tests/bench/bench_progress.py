"""Acting on progress at scale: ``python tests/bench/bench_progress.py``.

A demo server (20,000 users x 20 activities, 400,000 logs, by default) runs in a child
process. Printed, each with its target:

- groups and follow-up rows built from the prepared data (best and median of 5);
- ``export pathway`` of every log as CSV and as .xlsx (``--no-snapshot``, so both do the
  same fetch and nothing else), wall time and peak RSS of each, as commands;
- the same .xlsx export keeping its copy and recording it in the history (the default);
- recording one copy in the history, and the progress query over 100 recorded copies.

Figures taken on a busy machine vary a lot: rerun on a quiet one. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_pathway import PATHWAY, _serve  # noqa: E402  (after the path is set)

TARGETS = {"groups_ms": 200.0, "follow_up_ms": 200.0, "xlsx_ratio": 3.0, "rss_ratio": 2.0}
TARGETS["progress_ms"] = 100.0


def _timed(function, repeat: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def _command(url: str, token: str, output: Path, *extra: str) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one ``export pathway`` in a child process."""
    env = dict(os.environ, VIEWER_TOKEN=token, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "viewer", "export", "pathway", "--server", url]
    command += ["--pathway", PATHWAY, "--output", str(output), *extra]
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return elapsed, int(done.stderr.strip().splitlines()[-1]) / 1024


def _verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "over"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--activities", type=int, default=20)
    parser.add_argument("--copies", type=int, default=100)
    args = parser.parse_args()

    from viewer.api.pathway import PathwayClient, PathwayQuery
    from viewer.pathway.catalogue import Catalogue
    from viewer.pathway.fetch import build_pathway_data
    from viewer.pathway.follow_up import follow_up_rows
    from viewer.pathway.groups import group_rows
    from viewer.snapshots import PATHWAY as SERVICE
    from viewer.snapshots import Snapshot

    parent, child = mp.Pipe()
    server = mp.Process(target=_serve, args=(child, args.users, args.activities))
    server.start()
    try:
        url, token, size = parent.recv()
        with PathwayClient(url, token) as client:
            body = client.fetch_body(PathwayQuery(PATHWAY))
        data = build_pathway_data(body)
        del body
        print(f"answer: {size / 1e6:.1f} MB, {data.log_count:,} logs, {len(data.users):,} users")

        best, median = _timed(lambda: group_rows(data))
        print(
            f"groups rows:      best {best:6.1f} ms, median {median:6.1f} ms "
            f"(target <= {TARGETS['groups_ms']:g}: {_verdict(median, TARGETS['groups_ms'])})"
        )
        best, median = _timed(lambda: follow_up_rows(data))
        print(
            f"follow-up rows:   best {best:6.1f} ms, median {median:6.1f} ms "
            f"(target <= {TARGETS['follow_up_ms']:g}: {_verdict(median, TARGETS['follow_up_ms'])})"
        )

        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            os.environ["XDG_DATA_HOME"] = str(work / "data")  # the commands' saved copies
            csv_time, csv_rss = _command(url, token, work / "logs.csv", "--no-snapshot")
            xlsx_time, xlsx_rss = _command(url, token, work / "logs.xlsx", "--no-snapshot")
            kept_time, kept_rss = _command(url, token, work / "kept.xlsx")
            ratio = xlsx_time / csv_time
            print(
                f"CSV export:       {csv_time:6.2f} s, peak {csv_rss:5.0f} MB "
                f"({csv_rss * 2**20 / size:.2f}x the answer)"
            )
            print(
                f"xlsx export:      {xlsx_time:6.2f} s, peak {xlsx_rss:5.0f} MB "
                f"({xlsx_rss * 2**20 / size:.2f}x the answer; "
                f"target <= {TARGETS['rss_ratio']:g}x: "
                f"{_verdict(xlsx_rss * 2**20 / size, TARGETS['rss_ratio'])})"
            )
            print(
                f"xlsx / CSV time:  {ratio:6.2f} (target <= {TARGETS['xlsx_ratio']:g}: "
                f"{_verdict(ratio, TARGETS['xlsx_ratio'])})"
            )
            print(
                f"xlsx, copy kept:  {kept_time:6.2f} s, peak {kept_rss:5.0f} MB "
                f"({(work / 'kept.xlsx').stat().st_size / 1e6:.1f} MB file)"
            )

            catalogue = Catalogue(work / "catalogue.sqlite3")
            started = time.perf_counter()
            for number in range(args.copies):
                snapshot = Snapshot(
                    path=work / f"copy-{number}.avsnap",
                    server=url,
                    service=SERVICE,
                    query={"pathway": PATHWAY},
                    fetched_at=1.7e9 + number * 86_400,
                    size=size,
                    stored=0,
                )
                catalogue.record(snapshot, data)
            record_ms = (time.perf_counter() - started) * 1000 / args.copies
            print(f"record one copy:  {record_ms:6.1f} ms")
            rows = catalogue.progress_rows(url, PATHWAY)
            best, median = _timed(lambda: catalogue.progress_rows(url, PATHWAY))
            print(
                f"progress query:   best {best:6.1f} ms, median {median:6.1f} ms over "
                f"{args.copies} copies, {len(rows):,} rows (target <= "
                f"{TARGETS['progress_ms']:g}: {_verdict(median, TARGETS['progress_ms'])})"
            )
            best, median = _timed(lambda: catalogue.progress_rows(url, PATHWAY, groups=None))
            print(f"  every group:    best {best:6.1f} ms, median {median:6.1f} ms")
    finally:
        parent.send("stop")
        server.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
