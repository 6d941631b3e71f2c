"""Pathway rows: exact header, one row per log, flattened fulfilments, safe cells."""

from __future__ import annotations

import csv
import json

import httpx
import pytest

from tests.pathway.made_answers import answer as made_answer
from viewer.api import pathway as pathway_api
from viewer.api.errors import BadResponseError
from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.export import pathway_csv
from viewer.export.matrix_csv import MATRIX_COLUMNS, MatrixExport
from viewer.export.pathway_csv import (
    BASE_COLUMNS,
    DataExport,
    PathwayExport,
    export_pathway,
    flatten_fulfilment,
)
from viewer.pathway.counting import StateCounter
from viewer.pathway.data import STATE_LABELS
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.groups import tallies

PATHWAY = "Become A Store Owner"
HEADER = (
    "pathway_id,pathway_name,activity_id,activity_name,activity_type,fulfilment_type,required,"
    "level,firstname,lastname,email,telephone,country,city,groups,complete,state,progress,"
    "timestamp"
)


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def crafted_body() -> bytes:
    logs = [
        {
            "firstname": '=HYPERLINK("http://evil")',
            "lastname": 'Zoë, "the" boss',
            "email": "@evil.example",
            "telephone": "+27 21 555",
            "country": "日本",
            "city": "line one\nline two",
            "groups": ["-Group", "B"],
            "status": {
                "complete": True,
                "progress": 100,
                "state": "completed",
                "timestamp": "2025-01-01T00:00:00+02:00",
            },
            "fulfilment": {
                "type": "data",
                "state": "completed",
                "progress": 100,
                "data": {"category": "=cmd", "current": 5, "target": 4, "deep": {"x": [1, 2]}},
                "timestamp": "t",
            },
        },
        {
            "firstname": "Plain",
            "email": "plain@example.com",
            "status": {"complete": False, "progress": None, "state": None},
            "fulfilment": [],
        },
    ]
    body = {
        "status": "success",
        "data": [
            {
                "pathway": {"ID": "P-1", "name": "Crafted", "type": "pathway"},
                "activities": [
                    {
                        "ID": "A-1",
                        "name": "Tracking",
                        "type": "data",
                        "fulfilmentType": "tracking",
                        "required": True,
                        "level": 2,
                        "stats": {"total": 2, "completed": 1},
                        "logs": logs,
                    }
                ],
            }
        ],
    }
    return json.dumps(body).encode()


@pytest.fixture
def crafted_client():
    body = crafted_body()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    client = PathwayClient("http://127.0.0.1:9", "token", transport=transport)
    yield client
    client.close()


def test_header_and_row_count_match_the_demo_server(connections, tmp_path):
    client = connections.pathway_client()
    expected = client.fetch(PathwayQuery(PATHWAY)).log_count
    target = tmp_path / "out.csv"
    count = export_pathway(client, PathwayQuery(PATHWAY), str(target))
    rows = read(target)
    assert count == expected == len(rows) - 1 > 0
    header = rows[0]
    assert ",".join(header[: len(BASE_COLUMNS)]) == HEADER
    extra = header[len(BASE_COLUMNS) :]
    assert extra == sorted(extra) and all(name.startswith("fulfilment.") for name in extra)
    assert "fulfilment.data.current" in extra
    assert all(len(row) == len(header) for row in rows)


def test_formulas_are_neutralised_and_awkward_text_round_trips(crafted_client, tmp_path):
    target = tmp_path / "out.csv"
    assert export_pathway(crafted_client, PathwayQuery("Crafted"), str(target)) == 2
    header, first, second = read(target)
    row = dict(zip(header, first, strict=True))
    assert row["firstname"] == '\'=HYPERLINK("http://evil")'
    assert row["email"] == "'@evil.example"
    assert row["telephone"] == "'+27 21 555"
    assert row["lastname"] == 'Zoë, "the" boss'
    assert row["country"] == "日本"
    assert row["city"] == "line one\nline two"
    assert row["groups"] == "'-Group; B"
    assert row["fulfilment.data.category"] == "'=cmd"
    assert row["fulfilment.data.deep.x"] == "[1,2]"
    assert (row["required"], row["level"], row["progress"]) == ("true", "2", "100")
    assert header[len(BASE_COLUMNS) :] == [
        "fulfilment.data.category",
        "fulfilment.data.current",
        "fulfilment.data.deep.x",
        "fulfilment.data.target",
    ]
    plain = dict(zip(header, second, strict=True))
    assert (plain["complete"], plain["progress"], plain["state"]) == ("false", "", "")
    assert plain["fulfilment.data.current"] == ""


def test_a_log_of_the_wrong_shape_fails_the_export_and_leaves_no_file(tmp_path):
    # The first pass reads only fulfilments; the field of the wrong type is found by the
    # second, and the export fails as it would have failed in the first.
    body = json.loads(crafted_body())
    activity = body["data"][0]["activities"][0]
    second = {**activity, "ID": "A-2", "name": "Second", "logs": [{"firstname": 5}]}
    body["data"][0]["activities"].append(second)
    answer = json.dumps(body).encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=answer))
    target = tmp_path / "out.csv"
    with (
        PathwayClient("http://127.0.0.1:9", "token", transport=transport) as client,
        pytest.raises(BadResponseError, match="unexpected shape for activity “Second”"),
    ):
        export_pathway(client, PathwayQuery("Crafted"), str(target))
    assert list(tmp_path.iterdir()) == []


def test_states_counted_beside_the_export_are_those_of_the_full_decode(connections):
    body = connections.pathway_client().fetch_body(PathwayQuery(PATHWAY))
    counter = StateCounter()
    head = PathwayExport.read(body, counter=counter).head
    counted, full = counter.data(head), build_pathway_data(body)
    assert tallies(counted, everyone=True) == tallies(full, everyone=True)
    assert [a.user_states for a in counted.activities] == [a.user_states for a in full.activities]
    # Counting keeps each user's groups only, in one record per combination of groups.
    assert [u.groups for u in counted.users] == [u.groups for u in full.users]
    assert counted.groups == full.groups
    assert len({id(u) for u in counted.users}) == len({u.groups for u in full.users})


def test_odd_fulfilments_are_kept():
    assert flatten_fulfilment(b"[]") == {}
    assert flatten_fulfilment(b"null") == {}
    assert flatten_fulfilment(b"[1]") == {"fulfilment.value": "[1]"}
    assert flatten_fulfilment(b'{"type":"x","score":null}') == {"fulfilment.score": ""}


def test_the_tabs_data_gives_the_same_rows_as_the_api(connections, tmp_path):
    client = connections.pathway_client()
    body = client.fetch_body(PathwayQuery(PATHWAY))
    export = PathwayExport.read(body)
    data = build_pathway_data(body)
    from_data = DataExport(data)
    assert from_data.header == export.header
    assert list(from_data.rows()) == list(export.rows())
    assert from_data.log_count == data.log_count


def test_a_selection_exports_only_its_rows(connections):
    data = build_pathway_data(connections.pathway_client().fetch_body(PathwayQuery(PATHWAY)))
    first = data.activities[0]
    export = DataExport(data, [(first, [0, 2])])
    rows = list(export.rows())
    assert len(rows) == export.log_count == 2
    email = export.header.index("email")
    users = [data.users[first.users[r]] for r in (0, 2)]
    assert [row[email] for row in rows] == [u.email for u in users]


def test_matrix_has_one_row_per_user_and_a_column_per_activity(connections):
    data = build_pathway_data(connections.pathway_client().fetch_body(PathwayQuery(PATHWAY)))
    export = MatrixExport(data, None, STATE_LABELS)
    rows = list(export.rows())
    assert export.header[:4] == list(MATRIX_COLUMNS)
    assert len(export.header) == 4 + len(data.activities)
    assert len(rows) == len(data.users)
    states = {cell for row in rows for cell in row[4:]}
    assert states <= {"completed", "in progress", "not started", ""}
    assert "completed" in states


def _body_with(log: dict) -> bytes:
    activity = {"ID": "A", "name": "A", "logs": [log]}
    body = {"status": "success", "data": [{"pathway": {"ID": "P"}, "activities": [activity]}]}
    return json.dumps(body).encode()


def test_lookalike_formulas_are_neutralised_in_every_kind_of_cell(tmp_path):
    hostile = "\u00a0\uff1dHYPERLINK(1)"
    log = {
        "firstname": hostile,
        "groups": [" =g"],
        "status": {"state": "\u200b+x", "progress": 1},
        "fulfilment": {"type": "data", "data": {"category": "\uff0d1"}},
    }
    body = _body_with(log)
    for export in (PathwayExport.read(body), DataExport(build_pathway_data(body))):
        row = dict(zip(export.header, next(export.rows()), strict=True))
        assert row["firstname"] == "'" + hostile
        assert row["groups"] == "' =g"
        assert row["state"] == "'\u200b+x"
        assert row["fulfilment.data.category"] == "'\uff0d1"


def test_huge_progress_and_payload_numbers_are_written_in_short_form():
    log = {
        "status": {"progress": -1e308},
        "fulfilment": {"type": "data", "data": {"current": 1e300, "target": 159.0}},
    }
    body = _body_with(log)
    for export in (PathwayExport.read(body), DataExport(build_pathway_data(body))):
        row = dict(zip(export.header, next(export.rows()), strict=True))
        assert str(row["progress"]) == "-1e+308"
        assert str(row["fulfilment.data.current"]) == "1e+300"
        target = row["fulfilment.data.target"]
        assert target == 159 and isinstance(target, int)


def _csv_text(body: bytes, counter: StateCounter | None = None) -> str:
    export = PathwayExport.read(body, counter=counter)
    return "".join(text for _, text in export.csv_blocks())


def test_big_activities_decoded_a_part_at_a_time_give_the_same_rows_and_counts(monkeypatch):
    # Fulfilments there hold text like the place between two logs, so some cuts are wrong.
    body = made_answer(users=400, activities=3)
    whole, counted_whole = _csv_text(body), StateCounter()
    _csv_text(body, counted_whole)
    monkeypatch.setattr(pathway_csv, "_FIRST_PASS_PIECE", 1500)
    monkeypatch.setattr(pathway_api, "_BATCH_PIECE", 1500)
    monkeypatch.setattr(pathway_csv, "BATCH", 7)
    counter = StateCounter()
    assert _csv_text(body, counter) == whole
    head = PathwayExport.read(body).head
    full = build_pathway_data(body)
    counted = counter.data(head)
    assert tallies(counted, everyone=True) == tallies(full, everyone=True)
    assert [a.user_states for a in counted.activities] == [a.user_states for a in full.activities]
    assert tallies(counted_whole.data(head), everyone=True) == tallies(full, everyone=True)


def test_a_bad_log_in_a_late_part_reads_as_it_would_decoded_whole(monkeypatch):
    doc = json.loads(made_answer(users=200, activities=2))
    doc["data"][0]["activities"][1]["logs"][150]["firstname"] = 5
    body = json.dumps(doc).encode()
    with pytest.raises(BadResponseError) as whole:
        _csv_text(body)
    monkeypatch.setattr(pathway_csv, "_FIRST_PASS_PIECE", 1500)
    monkeypatch.setattr(pathway_api, "_BATCH_PIECE", 1500)
    with pytest.raises(BadResponseError) as parts:
        _csv_text(body)
    assert "unexpected shape for activity “Activity 1”" in str(parts.value)
    assert "$[150].firstname" in str(parts.value)
    assert str(parts.value) == str(whole.value)
