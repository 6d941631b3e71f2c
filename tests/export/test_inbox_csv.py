"""Inbox rows: exact header, one row per activity on the server."""

from __future__ import annotations

import csv

from viewer.api.activity_types import Activity
from viewer.export.inbox_csv import export_inbox, inbox_row

HEADER = (
    "uuid,created_at,updated_at,type,subtype,title,description,is_read,is_push_sent,"
    "reference_uuid,gid_uuid,meta_data"
)


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


def test_unread_only_keeps_only_unread(connections, tmp_path):
    target = tmp_path / "inbox.csv"
    count = export_inbox(connections.activity_client(), str(target), unread_only=True)
    rows = read(target)
    unread = connections.activity_client().unread_count().unread
    assert count == len(rows) - 1 == unread
    assert {row[7] for row in rows[1:]} == {"false"}


def test_cells_are_safe_and_meta_data_is_json():
    activity = Activity(
        uuid="u1",
        title="=1+1",
        description='a, "b"\nc',
        is_read=True,
        meta_data={"amount": 5, "note": "ü"},
    )
    row = inbox_row(activity)
    assert row[5] == "'=1+1"
    assert row[6] == 'a, "b"\nc'
    assert row[7] == "true"
    assert row[8] == ""
    assert row[11] == '{"amount":5,"note":"ü"}'
    assert inbox_row(Activity(uuid="u2", meta_data="-raw"))[11] == "'-raw"
