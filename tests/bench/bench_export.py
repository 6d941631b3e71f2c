"""Headless pathway export against curl | jq: ``python tests/bench/bench_export.py``.

A demo server (20,000 users x 20 activities by default) runs as ``python -m viewer
demo-server`` in a child process and is warmed with one request. Then, in the same run:

- curl fetches the pathway and jq turns it into the same CSV rows (``@csv``);
- ``python -m viewer export pathway`` writes the CSV, with ``VIEWER_TOKEN`` set.

Both must give the same number of rows. Printed: both times, their ratio (target: the CLI
takes at most a fifth of jq's time) and the CLI's peak memory. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PATHWAY = "Become A Store Owner"
TARGET_RATIO = 0.2

# The same rows as the CLI: fixed columns, then the fulfilment payloads flattened through
# nested objects into sorted "fulfilment.a.b" columns (lists as JSON text), formulas quoted.
JQ_PROGRAM = r"""
def flat($prefix): to_entries[] | .key as $k
  | if (.value | type) == "object" then (.value | flat($prefix + $k + "."))
    else {key: ($prefix + $k), value: (.value | if type == "array" then tojson else . end)} end;
def safe: if type == "string" and test("^[=+\\-@\t\r\n]") then "'" + . else . end;
def payload: if type == "object" then del(.type, .state, .progress, .timestamp)
  | [flat("fulfilment.")] | from_entries else {} end;
.data[0] as $d
| ([$d.activities[].logs[].fulfilment | payload | keys_unsorted[]] | unique) as $cols
| (["pathway_id","pathway_name","activity_id","activity_name","activity_type",
    "fulfilment_type","required","level","firstname","lastname","email","telephone",
    "country","city","groups","complete","state","progress","timestamp"] + $cols | @csv),
  ($d.activities[] as $a | $a.logs[] | (.fulfilment | payload) as $f
   | [$d.pathway.ID, $d.pathway.name, $a.ID, $a.name, $a.type, $a.fulfilmentType,
      $a.required, $a.level, .firstname, .lastname, .email, .telephone, .country, .city,
      ((.groups // []) | join("; ")), .status.complete, .status.state, .status.progress,
      .status.timestamp] + [$cols[] as $c | $f[$c]]
   | map(safe) | @csv)
"""


def _start_server(users: int, activities: int) -> tuple[subprocess.Popen, dict[str, str]]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "viewer",
            "demo-server",
            "--users",
            str(users),
            "--activities",
            str(activities),
            "--inbox",
            "10",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    fields = dict(part.split("=", 1) for part in line.split())
    return server, fields


def _count_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _peak_kb(report: str) -> int | None:
    for line in report.splitlines():
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1])
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20000)
    parser.add_argument("--activities", type=int, default=20)
    args = parser.parse_args()
    for tool in ("curl", "jq"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed; it is needed for the comparison.", file=sys.stderr)
            return 2
    server, fields = _start_server(args.users, args.activities)
    url, token = fields["url"], fields["pathway_token"]
    body = json.dumps({"pathway": PATHWAY})
    curl = [
        "curl",
        "-s",
        "-X",
        "POST",
        f"{url}/v1/logs/pathway-logs",
        "-H",
        f"Authorization: Basic {token}",
        "-d",
        body,
    ]
    try:
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            program = work / "rows.jq"
            program.write_text(JQ_PROGRAM)
            warm = subprocess.run(curl, capture_output=True, check=True)
            size = len(warm.stdout)
            print(
                f"answer: {size / 1e6:.1f} MB ({args.users:,} users x {args.activities} activities)"
            )

            jq_out = work / "jq.csv"
            started = time.perf_counter()
            subprocess.run(
                f"{' '.join(map(_quote, curl))} | jq -r -f {_quote(str(program))} "
                f"> {_quote(str(jq_out))}",
                shell=True,
                check=True,
            )
            jq_time = time.perf_counter() - started

            cli_out = work / "cli.csv"
            env = dict(os.environ, VIEWER_TOKEN=token, QT_QPA_PLATFORM="offscreen")
            env["XDG_DATA_HOME"] = str(work / "data")  # its saved copy: not in the user's
            command = [
                sys.executable,
                "-m",
                "viewer",
                "export",
                "pathway",
                "--server",
                url,
                "--pathway",
                PATHWAY,
                "--output",
                str(cli_out),
            ]
            timer = shutil.which("time") or (
                "/usr/bin/time" if Path("/usr/bin/time").exists() else None
            )
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            started = time.perf_counter()
            if timer:
                done = subprocess.run(
                    [timer, "-v", *command], cwd=ROOT, env=env, capture_output=True, text=True
                )
            else:
                done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
            cli_time = time.perf_counter() - started
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
            peak = _peak_kb(done.stderr) if timer else None
            if peak is None:
                after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                peak = after if after > before else None

            jq_rows, cli_rows = _count_rows(jq_out), _count_rows(cli_out)
            print(f"rows: jq {jq_rows:,}, CLI {cli_rows:,}")
            print(f"curl | jq:        {jq_time:7.2f} s")
            print(f"viewer export:    {cli_time:7.2f} s")
            ratio = cli_time / jq_time
            verdict = "ok" if ratio <= TARGET_RATIO else "too slow"
            print(f"ratio CLI / jq:   {ratio:7.3f} (target <= {TARGET_RATIO}: {verdict})")
            if peak is not None:
                print(
                    f"CLI peak memory:  {peak / 1024:7.0f} MB "
                    f"({peak * 1024 / size:.2f}x the answer)"
                )
            if jq_rows != cli_rows:
                print("row counts differ", file=sys.stderr)
                return 1
            return 0 if ratio <= TARGET_RATIO else 1
    finally:
        server.terminate()
        server.wait()


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


if __name__ == "__main__":
    sys.exit(main())
