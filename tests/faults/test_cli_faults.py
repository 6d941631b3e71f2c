"""``python -m viewer export`` against failing servers: status 1, the reason, no file."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.faults.cells import RESPONSE_CELLS, Cell, _fault
from tests.faults.support import UNRESOLVABLE, closed_port_url

_SKIPPED = {
    # The command line keeps the app's per-step timeouts (10 s to connect, 60 s to read);
    # --timeout bounds the whole request instead (test_cli_hostile). The GUI matrix covers
    # both step timeouts.
    "read-timeout",
    # Retry-After up to 10 s is waited for; 60 s is not (the next cell).
    "429-retry-after",
}
CLI_CELLS = [
    Cell("refused", lambda *a: None, "", ("refused the connection",)),
    Cell("dns-failure", lambda *a: None, "", ("could not be found",)),
    Cell(
        "429-retry-after-60",
        _fault(status=429, retry_after="60"),
        "",
        ("HTTP 429", "60 seconds"),
    ),
    *(c for c in RESPONSE_CELLS if c.id not in _SKIPPED),
]
#: The inbox shares the HTTP core with the pathway; a few cells show its own decoding.
INBOX_CELLS = {"refused", "truncated-json", "html-200", "401", "503", "reported-error"}


NO_DNS = Path(__file__).parent / "no_dns"


def _run(kind: str, server_url: str, token: str, output: str, extra: list[str]):
    env = {**os.environ, "VIEWER_TOKEN": token}
    # .invalid names fail inside the subprocess too, without a DNS query (no_dns/).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NO_DNS), env.get("PYTHONPATH")]))
    env.pop("QT_QPA_PLATFORM", None)
    command = [sys.executable, "-m", "viewer", "export", kind, "--server", server_url]
    command += ["--output", output, "--allow-insecure-http", *extra]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.parametrize(
    ("kind", "cell"),
    [("pathway", c) for c in CLI_CELLS] + [("inbox", c) for c in CLI_CELLS if c.id in INBOX_CELLS],
    ids=lambda v: v if isinstance(v, str) else repr(v),
)
def test_export_fails_with_status_1_a_reason_and_no_file(
    tmp_path, demo_server, other_origin, kind: str, cell: Cell
):
    output = tmp_path / "out.csv"
    url = {"refused": closed_port_url(), "dns-failure": UNRESOLVABLE}.get(cell.id, demo_server.url)
    service = "pathway-logs" if kind == "pathway" else "activity-log"
    token = demo_server.pathway_token if kind == "pathway" else demo_server.activity_token
    extra = ["--pathway", "Pathway A"] if kind == "pathway" else []
    with ExitStack() as stack:
        cell.arrange(demo_server, None, service, other_origin, stack)
        result = _run(kind, url, token, str(output), extra)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("python -m viewer export: ")
    for word in cell.words:
        assert word.lower() in result.stderr.lower(), result.stderr
    assert token not in result.stderr and "Traceback" not in result.stderr
    assert not output.exists() and list(tmp_path.iterdir()) == []
    if cell.id == "redirect-other-origin":
        assert other_origin.requests == [], "the redirect to plain http elsewhere was followed"
    demo_server.faults.reset()
    result = _run(kind, demo_server.url, token, str(output), extra)
    assert result.returncode == 0, result.stderr
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")
