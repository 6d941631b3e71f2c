"""Pathway exports are byte for byte what they were: each file is checked against a digest.

The files come from the ways a person exports: the command line (in this process, and once
as ``python -m viewer export`` to standard output), the worker job behind the window's
export dialog, and the pathway tab itself. The data is the demo server's (two sizes, one
answer filtered by the server) and a hand-made answer of awkward values: formulas, unicode,
huge and tiny floats, missing fields, booleans, nested and clashing fulfilment keys.

A digest changes only when a column contract changes on purpose (a column added, a cell
written differently), never as a side effect of making the export faster. To record new
digests after such a change, run this file with ``UPDATE_EXPORT_DIGESTS=1`` and say in the
commit which contract changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.security.canned import canned_server
from viewer.api.pathway import PathwayQuery
from viewer.connections import Connections, ServiceConfig
from viewer.demo.server import DemoServer
from viewer.export import command
from viewer.export.pathway_csv import DataExport
from viewer.export.rows import EVERYTHING, run_export
from viewer.jobs import CancelToken
from viewer.pathway.fetch import build_pathway_data

DIGESTS = Path(__file__).with_name("export_digests.json")
UPDATE = os.environ.get("UPDATE_EXPORT_DIGESTS") == "1"
STORE_OWNER = "Become A Store Owner"
LARGE = "Customer Care Essentials"
WAIT_MS = 30000


def _expected() -> dict[str, str]:
    return json.loads(DIGESTS.read_text(encoding="utf-8")) if DIGESTS.exists() else {}


_recorded: dict[str, str] = {}


def check(name: str, data: bytes) -> None:
    """``data`` hashes to the digest recorded as ``name`` (or is recorded, when updating)."""
    digest = hashlib.sha256(data).hexdigest()
    if UPDATE:
        _recorded[name] = digest
        DIGESTS.write_text(
            json.dumps({**_expected(), **_recorded}, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        return
    lines = data.count(b"\r\n")
    head = data.split(b"\r\n", 1)[0][:300]
    assert digest == _expected().get(name), (
        f"the {name!r} export changed ({lines} lines; header {head!r}). If a column contract "
        "changed on purpose, record new digests with UPDATE_EXPORT_DIGESTS=1."
    )


# -- the data --------------------------------------------------------------------------------


def _log(**fields: object) -> dict[str, object]:
    return fields


def odd_answer() -> bytes:
    """An answer no demo server sends: every kind of value a cell can be made from."""
    same_person = {"email": "Twice@Example.com", "firstname": "First", "lastname": "Seen"}
    logs_a = [
        _log(
            firstname='=HYPERLINK("http://evil")',
            lastname='Zoë, "the" boss',
            email="@evil.example",
            telephone="+27 21 555 0000",
            country="日本",
            city="line one\r\nline two",
            groups=["-Group", "B; C", "\uff1dfull"],
            status={
                "complete": True,
                "progress": 100.0,
                "state": "completed",
                "timestamp": "2025-01-01T00:00:00+02:00",
            },
            fulfilment={
                "type": "data",
                "state": "completed",
                "progress": 100,
                "timestamp": "t",
                "data": {
                    "category": "=cmd|' /C calc'!A0",
                    "current": 1e300,
                    "target": 159.0,
                    "tiny": 5e-324,
                    "small": 1.5e-7,
                    "negative_zero": -0.0,
                    "big_int": 123456789012345678901234567890,
                    "beyond_exact": 9007199254740993.0,
                    "ok": True,
                    "not_ok": False,
                    "nothing": None,
                    "list": [1, "=x", {"a": None}],
                    "empty": {},
                    "deep": {"er": {"est": "\u00a0+1"}},
                },
                "data.current": "clash: a dotted key names the same column",
                "checkin": {"virtual": False, "distance": -1},
            },
        ),
        _log(),  # nothing at all
        _log(email="no-status@example.com", fulfilment=None),
        _log(
            firstname="\u200b=zero width",
            lastname="\u202eRTL override",
            email="emoji@example.com",
            city="😀 Ünïcödé ﷽",
            groups=[],
            status={"complete": False, "progress": 12.5, "state": "in progress"},
            fulfilment="just a string",
        ),
        _log(
            firstname="\ttab",
            email="numbers@example.com",
            groups=None,
            status={"complete": None, "progress": -1e308, "state": "\r=cr", "timestamp": "@t"},
            fulfilment=42,
        ),
        _log(
            firstname="List",
            email="list@example.com",
            status={"progress": 1e16},
            fulfilment=[1, {"a": 2}],
        ),
        _log(
            firstname="True",
            email="true@example.com",
            status={"progress": 9007199254740991.0},
            fulfilment=True,
        ),
        _log(firstname="Empty", email="empty@example.com", fulfilment={}),
        _log(
            firstname="Common only",
            email="common@example.com",
            fulfilment={"type": "x", "state": "y", "progress": 5, "timestamp": "z"},
        ),
        _log(
            firstname="No email",
            lastname="Person",
            telephone="-555",
            status={"progress": 1e-9},
            fulfilment={"story": {"ID": "S", "score": None}},
        ),
        {**same_person, "status": {"progress": 0}, "fulfilment": []},
    ]
    logs_d = [
        {**same_person, "firstname": "Later", "lastname": "Different", "city": "Elsewhere"},
        _log(email="twice@example.com", firstname="Lower", fulfilment={"upload": {"size": 1.0}}),
        _log(
            firstname="No email",
            lastname="Person",
            telephone="-555",
            fulfilment={"upload": {"filename": "Résumé.pdf", "reviewed": True}},
        ),
    ]
    answer = {
        "status": "success",
        "data": [
            {
                "pathway": {"ID": "=P-1", "name": "Odd pathway ✓", "type": "pathway"},
                "activities": [
                    {
                        "ID": "A-1",
                        "name": "+Tracking",
                        "type": "data",
                        "fulfilmentType": "tracking",
                        "required": True,
                        "level": 2,
                        "stats": {"total": len(logs_a), "completed": 1},
                        "logs": logs_a,
                    },
                    {"ID": "A-2", "name": "No logs key", "required": None, "level": None},
                    {"ID": "A-3", "name": "Empty logs", "required": False, "logs": []},
                    {
                        "ID": "Ä-4",
                        "name": "Seen again",
                        "type": "upload",
                        "fulfilmentType": "upload",
                        "required": False,
                        "level": 0,
                        "logs": logs_d,
                    },
                ],
            }
        ],
    }
    return json.dumps(answer, ensure_ascii=False).encode()


@pytest.fixture(scope="module")
def large_server() -> Iterator[DemoServer]:
    """Enough logs (18,000) that rows are made and written in several batches."""
    server = DemoServer(seed=3, users=1500, inbox=10, activities=12).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def odd_server() -> Iterator[str]:
    with canned_server({"/v1/logs/pathway-logs": (200, odd_answer())}) as url:
        yield url


# -- the ways of exporting ---------------------------------------------------------------------


def cli_file(url: str, token: str, pathway: str, path: Path, *options: str) -> bytes:
    arguments = ["pathway", "--server", url, "--pathway", pathway, "--output", str(path)]
    code = command.run([*arguments, *options], environ={"VIEWER_TOKEN": token})
    assert code == command.OK
    return path.read_bytes()


def worker_file(url: str, token: str, pathway: str, path: Path, selection=None) -> bytes:
    """What the window's export dialog runs in its worker, on data fetched as the tab does."""
    connections = Connections(ServiceConfig(url, token))
    try:
        body = connections.pathway_client().fetch_body(PathwayQuery(pathway))
    finally:
        connections.close()
    data = build_pathway_data(body)
    chosen = None if selection is None else selection(data)
    count = run_export(lambda _c: DataExport(data, chosen), str(path), CancelToken(), _ignore)
    assert count == (data.log_count if chosen is None else sum(len(r) for _, r in chosen))
    return path.read_bytes()


def _ignore(_done: int, _total: int | None) -> None:
    pass


# -- the digests -------------------------------------------------------------------------------


def test_cli_export_of_the_demo_pathway(demo_server, tmp_path):
    data = cli_file(demo_server.url, demo_server.pathway_token, STORE_OWNER, tmp_path / "o.csv")
    check("demo-store-owner", data)


def test_cli_export_of_a_filtered_answer(demo_server, tmp_path):
    data = cli_file(
        demo_server.url,
        demo_server.pathway_token,
        "Pathway A",
        tmp_path / "o.csv",
        "--group",
        "Group B",
        "--type",
        "story",
        "--type",
        "data",
    )
    check("demo-pathway-a-filtered", data)


def test_cli_export_of_a_large_pathway(large_server, tmp_path):
    data = cli_file(large_server.url, large_server.pathway_token, LARGE, tmp_path / "o.csv")
    check("demo-large", data)


def test_cli_export_of_odd_values(odd_server, tmp_path):
    check("odd-cli", cli_file(odd_server, "t", "Odd", tmp_path / "o.csv"))


def test_cli_export_to_standard_output(demo_server):
    env = {k: v for k, v in os.environ.items() if k != "VIEWER_TOKEN"}
    env.update(VIEWER_TOKEN=demo_server.pathway_token, QT_QPA_PLATFORM="offscreen")
    arguments = ["--server", demo_server.url, "--pathway", STORE_OWNER, "--output", "-"]
    done = subprocess.run(
        [sys.executable, "-m", "viewer", "export", "pathway", *arguments],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    check("demo-store-owner-stdout", done.stdout)


def test_window_export_of_the_demo_pathway(demo_server, tmp_path):
    data = worker_file(demo_server.url, demo_server.pathway_token, STORE_OWNER, tmp_path / "o.csv")
    check("demo-store-owner", data)  # the same file as the command line's


def test_window_export_of_a_large_pathway(large_server, tmp_path):
    data = worker_file(large_server.url, large_server.pathway_token, LARGE, tmp_path / "o.csv")
    check("demo-large", data)


def test_window_export_of_odd_values(odd_server, tmp_path):
    # A person is kept once in the tab's data, as first seen: the rows of "Seen again" show
    # that first record where the command line shows each log's own.
    check("odd-window", worker_file(odd_server, "t", "Odd", tmp_path / "o.csv"))


def test_window_export_of_a_selection(large_server, tmp_path):
    def some(data):
        first, second, *rest = data.activities
        return [(first, list(range(0, len(first), 7))), (second, [3, 1, 2]), (rest[-1], [])]

    path = tmp_path / "o.csv"
    data = worker_file(large_server.url, large_server.pathway_token, LARGE, path, some)
    check("demo-large-selection", data)


def test_export_from_the_pathway_tab(qtbot, connections, settings, tmp_path):
    from viewer.pathway.ui.tab import FETCH_KEY, PathwayTab

    tab = PathwayTab(connections, settings)
    qtbot.addWidget(tab)
    tab.show()
    try:
        tab.pathway_input.setEditText(STORE_OWNER)
        tab.fetch_button.click()
        qtbot.waitUntil(
            lambda: tab.data is not None and not tab.runner.is_running(FETCH_KEY),
            timeout=WAIT_MS,
        )
        target = tmp_path / "tab.csv"
        with qtbot.waitSignal(tab.exporter.finished, timeout=WAIT_MS) as blocker:
            assert tab.exporter.export_to(str(target), EVERYTHING) is not None
        assert blocker.args[0] is True, blocker.args
    finally:
        tab.shutdown()
    check("demo-store-owner", target.read_bytes())
