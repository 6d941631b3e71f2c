"""``export pathway --view …``: the groups, follow-up and progress views, as CSV and Excel,
against the real demo server; every export keeps a copy for the progress history."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from tests.export.test_command import run_cli
from tests.pathway.answers import decoded, expected_counts, fetch
from viewer.data_folder import app_data_folder
from viewer.export import command
from viewer.pathway.catalogue import Catalogue
from viewer.snapshots import SnapshotStore

PATHWAY = "Become A Store Owner"


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    """A data folder of this test's own, so its history starts empty."""
    home = tmp_path / "data-home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return app_data_folder()


def export(demo_server, *args: str, output: str = "-"):
    out, err = io.StringIO(), io.StringIO()
    code = command.run(
        ["pathway", "--server", demo_server.url, "--pathway", PATHWAY, "--output", output, *args],
        environ={"VIEWER_TOKEN": demo_server.pathway_token},
        stdout=out,
        stderr=err,
    )
    return code, out.getvalue(), err.getvalue()


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_groups_view_counts_match_the_answer(demo_server, data_home):
    code, out, err = export(demo_server, "--view", "groups")
    assert code == 0, err

    header, *rows = table(out)
    assert header == [
        "group",
        "activity_id",
        "activity_name",
        "users",
        "completed",
        "in_progress",
        "not_started",
        "percent_completed",
    ]
    got = {(r[0], r[1]): tuple(int(v) for v in r[3:7]) for r in rows}
    assert got == expected_counts(fetch(demo_server, PATHWAY))
    for row in rows:
        users, completed = int(row[3]), int(row[4])
        assert float(row[7]) == round(100 * completed / users, 1)
        if row[1] == "*":
            assert row[2] == "All required"


def test_follow_up_view_lists_who_misses_what(demo_server, data_home):
    entry = decoded(fetch(demo_server, PATHWAY))
    required = [a for a in entry["activities"] if a["required"]]
    everyone = {log["email"] for a in entry["activities"] for log in a["logs"]}
    done = {
        a["name"]: {log["email"] for log in a["logs"] if log["status"]["state"] == "completed"}
        for a in required
    }
    missing = {e: [a["name"] for a in required if e not in done[a["name"]]] for e in everyone}
    expected = {e: names for e, names in missing.items() if names}

    code, out, err = export(demo_server, "--view", "follow-up")
    assert code == 0, err
    header, *rows = table(out)
    assert header == [
        "firstname",
        "lastname",
        "email",
        "groups",
        "required_completed",
        "required_total",
        "missing",
    ]
    assert {r[2]: r[6].split("; ") for r in rows} == expected
    assert all(int(r[5]) == len(required) for r in rows)

    # --activity narrows what counts: the named activity, required or not.
    optional = next(a for a in entry["activities"] if not a["required"])
    code, out, err = export(demo_server, "--view", "follow-up", "--activity", optional["ID"])
    assert code == 0, err
    _, *narrowed = table(out)
    undone = {log["email"] for log in optional["logs"] if log["status"]["state"] != "completed"}
    assert {r[2] for r in narrowed} == undone
    assert {r[6] for r in narrowed} <= {optional["name"]}


def test_three_nightly_exports_build_the_progress_history(demo_server, data_home, tmp_path):
    expected = []  # per copy: activity ID -> users who completed it, from the JSON
    for _ in range(3):
        entry = decoded(fetch(demo_server, PATHWAY))
        expected.append(
            {
                a["ID"]: sum(log["status"]["state"] == "completed" for log in a["logs"])
                for a in entry["activities"]
            }
        )
        code, _out, err = export(demo_server, output=str(tmp_path / "logs.csv"))
        assert code == 0, err
        demo_server.advance_pathway(PATHWAY, 120)

    code, out, err = export(demo_server, "--view", "progress", "--no-snapshot")
    assert code == 0, err
    header, *rows = table(out)
    assert header == [
        "taken_at",
        "activity_id",
        "activity_name",
        "group",
        "users",
        "completed",
        "percent_completed",
    ]
    stores = SnapshotStore(data_home / "snapshots").snapshots()
    assert len(stores) == 3  # --no-snapshot kept no fourth copy
    assert Catalogue(data_home / "catalogue.sqlite3").copies() == 3
    activities = len(decoded(fetch(demo_server, PATHWAY))["activities"])
    assert len(rows) == 3 * (activities + 1)  # each copy: every activity and the total
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)  # oldest first
    assert {r[3] for r in rows} == {"*"}
    size = activities + 1
    copies = [rows[i : i + size] for i in range(0, len(rows), size)]
    got = [{r[1]: int(r[5]) for r in copy if r[1] != "*"} for copy in copies]
    assert got == expected
    assert sum(expected[0].values()) < sum(expected[2].values())  # the history moved

    # A --group adds that group's rows; a fetch then adds a fourth copy.
    group = decoded(fetch(demo_server, PATHWAY))["activities"][0]["logs"][0]["groups"][0]
    code, out, err = export(demo_server, "--view", "progress", "--group", group)
    assert code == 0, err
    _, *rows = table(out)
    assert {r[3] for r in rows} == {"*", group}
    assert len(rows) == 4 * 2 * (activities + 1)


def test_views_as_excel_keep_their_types(demo_server, data_home, tmp_path):
    target = tmp_path / "groups.xlsx"
    code, _out, err = export(demo_server, "--view", "groups", output=str(target))
    assert code == 0, err
    ws = openpyxl.load_workbook(target).active
    assert ws.freeze_panes == "A2"
    first = [c.value for c in ws[2]]
    assert isinstance(first[0], str) and isinstance(first[3], int)
    assert 0 <= first[7] <= 1 and ws.cell(2, 8).number_format == "0.0%"

    logs = tmp_path / "logs.xlsx"
    code, _out, err = export(demo_server, output=str(logs))
    assert code == 0, err
    sheet = openpyxl.load_workbook(logs).active
    header = [c.value for c in sheet[1]]
    assert sheet.max_row - 1 == sum(
        len(a["logs"]) for a in decoded(fetch(demo_server, PATHWAY))["activities"]
    )
    values = next(sheet.iter_rows(min_row=2, values_only=True))
    row = dict(zip(header, values, strict=True))
    assert isinstance(row["required"], bool) and isinstance(row["complete"], bool)
    for cells in sheet.iter_rows(min_row=2):
        for c in cells:
            assert c.data_type != "f"


def test_the_format_option_overrides_the_extension_and_excel_to_stdout_is_refused(
    demo_server, data_home, tmp_path
):
    target = tmp_path / "groups.data"
    code, _out, err = export(
        demo_server, "--view", "groups", "--format", "xlsx", output=str(target)
    )
    assert code == 0, err
    assert target.read_bytes()[:2] == b"PK"

    code, out, err = export(demo_server, "--view", "groups", "--format", "xlsx")
    assert code == 2
    assert "standard output" in err and out == ""


def test_a_damaged_history_is_said_and_the_export_still_succeeds(demo_server, data_home, tmp_path):
    data_home.mkdir(parents=True)
    (data_home / "catalogue.sqlite3").write_bytes(b"not a database" * 50)
    target = tmp_path / "groups.csv"
    code, _out, err = export(demo_server, "--view", "groups", output=str(target))
    assert code == 0
    assert "damaged" in err and "history" in err
    assert target.exists()
    assert len(SnapshotStore(data_home / "snapshots").snapshots()) == 1


def test_the_command_line_keeps_its_copy_where_the_window_finds_it(demo_server, tmp_path):
    home = tmp_path / "home-data"
    done = run_cli(
        "pathway",
        "--server",
        demo_server.url,
        "--pathway",
        PATHWAY,
        "--view",
        "groups",
        "--output",
        str(tmp_path / "g.xlsx"),
        token=demo_server.pathway_token,
        env={"XDG_DATA_HOME": str(home)},
    )
    assert done.returncode == 0, done.stderr
    folder = home / "ActivityViewer" / "Activity Viewer"
    assert len(SnapshotStore(folder / "snapshots").snapshots()) == 1
    rows = Catalogue(folder / "catalogue.sqlite3").progress_rows(demo_server.url, PATHWAY)
    assert rows and {r.group for r in rows} == {"*"}
