"""Inbox rows: exact header, one row per activity on the server, subtypes named."""

from __future__ import annotations

import csv

from viewer.api.activity_types import Activity, ActivityType, Subtype
from viewer.export.inbox_csv import INBOX_COLUMNS, export_inbox, inbox_row, subtype_index

HEADER = (
    "uuid,created_at,updated_at,type,subtype,subtype_id,title,description,is_read,"
    "is_push_sent,reference_uuid,gid_uuid,meta_data"
)
COLUMN = {name: number for number, name in enumerate(INBOX_COLUMNS)}


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_every_activity_on_the_server_is_one_row(connections, demo_server, tmp_path):
    target = tmp_path / "inbox.csv"
    count = export_inbox(connections.activity_client(), str(target))
    rows = read(target)
    assert ",".join(rows[0]) == HEADER
    total = connections.activity_client().page(1, 1).meta.total
    assert count == len(rows) - 1 == total == 230
    assert len({row[0] for row in rows[1:]}) == 230


def test_subtype_is_the_name_the_window_shows_and_subtype_id_its_id(connections, tmp_path):
    client = connections.activity_client()
    names = {s.id: s.name for t in client.types() for s in t.subtypes or []}
    by_uuid = {a.uuid: a for a in client.walk()}
    target = tmp_path / "inbox.csv"
    export_inbox(client, str(target))
    rows = read(target)[1:]
    with_subtype = [r for r in rows if by_uuid[r[0]].subtype]
    assert with_subtype and len(with_subtype) < len(rows)  # some come without one
    for row in with_subtype:
        subtype_id = by_uuid[row[0]].subtype
        assert (row[COLUMN["subtype"]], row[COLUMN["subtype_id"]]) == (
            names[subtype_id],
            subtype_id,
        )
    for row in rows:
        if not by_uuid[row[0]].subtype:
            assert row[COLUMN["subtype"]] == row[COLUMN["subtype_id"]] == ""


def test_unread_only_keeps_only_unread(connections, tmp_path):
    target = tmp_path / "inbox.csv"
    count = export_inbox(connections.activity_client(), str(target), unread_only=True)
    rows = read(target)
    unread = connections.activity_client().unread_count().unread
    assert count == len(rows) - 1 == unread
    assert {row[COLUMN["is_read"]] for row in rows[1:]} == {"false"}


def test_cells_are_safe_and_meta_data_is_json():
    activity = Activity(
        uuid="u1",
        title="=1+1",
        description='a, "b"\nc',
        is_read=True,
        meta_data={"amount": 5, "note": "ü"},
    )
    row = dict(zip(INBOX_COLUMNS, inbox_row(activity), strict=True))
    assert row["title"] == "'=1+1"
    assert row["description"] == 'a, "b"\nc'
    assert row["is_read"] == "true"
    assert row["is_push_sent"] == ""
    assert row["meta_data"] == '{"amount":5,"note":"ü"}'
    raw = dict(zip(INBOX_COLUMNS, inbox_row(Activity(uuid="u2", meta_data="-raw")), strict=True))
    assert raw["meta_data"] == "'-raw"


def test_a_subtype_found_by_id_or_name_gives_both_and_an_unknown_one_keeps_its_text():
    types = [ActivityType("security", subtypes=[Subtype(id="id-1", name="login")])]
    index = subtype_index(types)
    cells = [
        inbox_row(Activity(uuid="u", subtype=value), index)[COLUMN["subtype"] :][:2]
        for value in ("id-1", "login", "other", None)
    ]
    assert cells == [["login", "id-1"], ["login", "id-1"], ["other", ""], ["", ""]]
