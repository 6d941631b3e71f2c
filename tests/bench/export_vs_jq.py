"""The headless pathway export against curl | jq: ``python tests/bench/export_vs_jq.py``.

A demo server with a 400,000-log pathway (20,000 users x 20 activities) runs as ``python -m
viewer demo-server`` in a child process and is warmed with one request, so that both sides
get the answer from its cache. Then, one after the other, best of three rounds each:

- curl fetches the pathway and jq writes the 19 base columns as CSV (``@csv``);
- ``python -m viewer export pathway`` writes the CSV with every fulfilment column too.

Both files must have the same number of rows. Printed: both times, their ratio (target:
at most 0.15, aim 0.10), the export's peak memory, and the time of the window's export of
the same answer once fetched (the worker job behind its Export dialog), run in this process.

``--profile`` runs the command's export in this process under cProfile instead and prints
where its time goes. Not collected by pytest; takes a minute or two.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import pstats
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PATHWAY = "Become A Store Owner"
TARGET, AIM = 0.15, 0.10
BASE_COLUMNS = (
    "pathway_id,pathway_name,activity_id,activity_name,activity_type,fulfilment_type,required,"
    "level,firstname,lastname,email,telephone,country,city,groups,complete,state,progress,"
    "timestamp"
)
JQ_PROGRAM = r"""
.data[0] as $d
| ("BASE" | split(",") | @csv),
  ($d.activities[] as $a | $a.logs[]
   | [$d.pathway.ID, $d.pathway.name, $a.ID, $a.name, $a.type, $a.fulfilmentType,
      $a.required, $a.level, .firstname, .lastname, .email, .telephone, .country, .city,
      ((.groups // []) | join("; ")), .status.complete, .status.state, .status.progress,
      .status.timestamp]
   | @csv)
""".replace("BASE", BASE_COLUMNS)


def _start_server(users: int, activities: int) -> tuple[subprocess.Popen[str], dict[str, str]]:
    sizes = ["--users", str(users), "--activities", str(activities), "--inbox", "10"]
    server = subprocess.Popen(
        [sys.executable, "-m", "viewer", "demo-server", *sizes],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    fields = dict(part.split("=", 1) for part in server.stdout.readline().split())
    return server, fields


def _timed(command: list[str], **options: object) -> tuple[float, int]:
    """Seconds and peak resident memory (KiB) of one child process, which must succeed."""
    started = time.perf_counter()
    child = subprocess.Popen(command, **options)  # type: ignore[call-overload]
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{shlex.join(command)} failed with status {child.returncode}")
    return seconds, usage.ru_maxrss


def _rows_and_columns(path: Path) -> tuple[int, list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return sum(1 for _ in reader), header


def _window_export(url: str, token: str, target: Path) -> float:
    """Seconds for the window's export of every log, once the tab has the data."""
    sys.path.insert(0, str(ROOT))
    from viewer.api.pathway import PathwayClient, PathwayQuery
    from viewer.export.pathway_csv import DataExport
    from viewer.export.rows import run_export
    from viewer.jobs import CancelToken
    from viewer.pathway.fetch import build_pathway_data

    with PathwayClient(url, token) as client:
        data = build_pathway_data(client.fetch_body(PathwayQuery(PATHWAY)))
    started = time.perf_counter()
    run_export(lambda _c: DataExport(data), str(target), CancelToken(), lambda *_: None)
    return time.perf_counter() - started


def _profile(url: str, token: str, target: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from viewer.export import command

    arguments = ["pathway", "--server", url, "--pathway", PATHWAY, "--output", str(target)]
    os.environ["XDG_DATA_HOME"] = str(target.parent / "data")  # its saved copy
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(command.run, arguments, environ={"VIEWER_TOKEN": token})
    print(f"export under the profiler: {time.perf_counter() - started:.2f} s")
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("tottime")
    stats.print_stats(18)
    stats.sort_stats("cumulative").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20000)
    parser.add_argument("--activities", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile the export instead")
    parser.add_argument(
        "--no-snapshot",
        action="store_true",
        help="export without keeping a saved copy and its history summary (the default keeps one)",
    )
    args = parser.parse_args()
    for tool in ("curl", "jq"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed; it is needed for the comparison.", file=sys.stderr)
            return 2
    server, fields = _start_server(args.users, args.activities)
    url, token = fields["url"], fields["pathway_token"]
    curl = ["curl", "-sf", "-X", "POST", f"{url}/v1/logs/pathway-logs"]
    curl += ["-H", f"Authorization: Basic {token}", "-d", json.dumps({"pathway": PATHWAY})]
    try:
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            size = len(subprocess.run(curl, capture_output=True, check=True).stdout)
            logs = args.users * args.activities
            print(f"answer: {size / 1e6:.1f} MB, {logs:,} logs")
            if args.profile:
                _profile(url, token, work / "profiled.csv")
                return 0
            program = work / "rows.jq"
            program.write_text(JQ_PROGRAM)
            jq_out, cli_out = work / "jq.csv", work / "cli.csv"
            pipeline = (
                f"{shlex.join(curl)} | jq -r -f {shlex.quote(str(program))} "
                f"> {shlex.quote(str(jq_out))}"
            )
            # The command keeps a saved copy each round: in this folder, not the user's.
            env = dict(os.environ, VIEWER_TOKEN=token, XDG_DATA_HOME=str(work / "data"))
            export = [sys.executable, "-m", "viewer", "export", "pathway", "--server", url]
            export += ["--pathway", PATHWAY, "--output", str(cli_out)]
            if args.no_snapshot:
                export.append("--no-snapshot")
            jq_times, cli_times, peaks = [], [], []
            for _ in range(args.rounds):
                jq_times.append(_timed(["sh", "-c", pipeline])[0])
                seconds, peak = _timed(export, cwd=ROOT, env=env)
                cli_times.append(seconds)
                peaks.append(peak)
            jq_rows, jq_header = _rows_and_columns(jq_out)
            cli_rows, cli_header = _rows_and_columns(cli_out)
            window = _window_export(url, token, work / "window.csv")
    finally:
        server.terminate()
        server.wait()

    fulfilment = [name for name in cli_header if name.startswith("fulfilment.")]
    print(f"rows: jq {jq_rows:,} ({len(jq_header)} columns), export {cli_rows:,} ", end="")
    print(f"({len(cli_header)} columns, {len(fulfilment)} of them fulfilment fields)")
    shown = ", ".join(f"{t:.2f}" for t in jq_times)
    print(f"curl | jq:       {min(jq_times):7.2f} s  (best of {shown})")
    shown = ", ".join(f"{t:.2f}" for t in cli_times)
    print(f"viewer export:   {min(cli_times):7.2f} s  (best of {shown})")
    ratio = min(cli_times) / min(jq_times)
    verdict = "aim met" if ratio <= AIM else "ok" if ratio <= TARGET else "too slow"
    print(f"ratio export/jq: {ratio:7.3f}    (target <= {TARGET}, aim {AIM}: {verdict})")
    peak = max(peaks) * 1024
    print(f"export peak RSS: {peak / 2**20:7.0f} MiB ({peak / size:.2f}x the answer)")
    print(f"window export:   {window:7.2f} s  (every log of the fetched data, in this process)")
    if jq_rows != cli_rows or not fulfilment:
        print("the files differ in rows, or the export lost its fulfilment columns")
        return 1
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
