"""The demo server's activity-log API: paging, filters, read marks and persistence."""

from __future__ import annotations

import pytest

from viewer.api import (
    ActivityClient,
    ApiReportedError,
    AuthError,
    NotFoundError,
)
from viewer.demo.server import DemoServer
from viewer.demo.store import StoreMismatch

from .support import NO_RETRY, bearer

# -- activity log ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/activities"),
        ("GET", "/v1/activities/types"),
        ("GET", "/v1/acticities/types"),
        ("GET", "/v1/activities/unread-count"),
        ("POST", "/v1/activities/read"),
        ("POST", "/v1/activities/00000000-0000-0000-0000-000000000000/read"),
    ],
)
@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic {token}"])
def test_activity_auth_is_required(server, http, method, path, header):
    headers = (
        {} if header is None else {"Authorization": header.format(token=server.activity_token)}
    )
    response = http.request(method, path, headers=headers, json={"isRead": True, "read": True})
    assert response.status_code == 401
    body = response.json()
    assert body["statusCode"] == 401 and body["error_code"] == "UNAUTHORIZED"
    assert body["message"] and body["trace_id"]


def test_activity_wrong_token_through_the_client(server):
    with ActivityClient(server.url, "expired", retry=NO_RETRY) as client, pytest.raises(AuthError):
        client.page()


def test_types_under_both_spellings(server, http, inbox):
    right = http.get("/v1/activities/types", headers=bearer(server)).json()
    wrong = http.get("/v1/acticities/types", headers=bearer(server)).json()
    assert right == wrong and 4 <= len(right["data"]) <= 6
    for entry in right["data"]:
        assert entry["name"] and entry["description"] and 2 <= len(entry["subtypes"]) <= 4
        assert all(set(s) == {"id", "name", "description"} for s in entry["subtypes"])
    assert [t.name for t in inbox.types()] == [t["name"] for t in right["data"]]


def test_unknown_route_and_method(server, http):
    missing = http.get("/v1/activities/x/y/z", headers=bearer(server))
    assert missing.status_code == 404 and missing.json()["error_code"] == "NOT_FOUND"
    wrong = http.post("/v1/activities/types", headers=bearer(server))
    assert wrong.status_code == 405 and wrong.json()["statusCode"] == 405


def test_paging_to_the_end(server, inbox):
    seen, page = [], 1
    while True:
        result = inbox.page(page, 7)
        assert result.meta.per_page == 7 and result.meta.total == 150
        if not result.data:
            break
        seen += [a.uuid for a in result.data]
        page += 1
    assert len(seen) == len(set(seen)) == 150 and page == 23
    created = [a.created_at for a in inbox.walk(per_page=100)]
    assert created == sorted(created, reverse=True) and len(created) == 150
    assert inbox.page(99, 50).data == []


def test_per_page_default_and_cap(server, http):
    default = http.get("/v1/activities", headers=bearer(server)).json()
    assert (
        default["meta"] == {"page": 1, "per_page": 50, "total": 150} and len(default["data"]) == 50
    )
    capped = http.get("/v1/activities?per_page=500", headers=bearer(server)).json()
    assert capped["meta"]["per_page"] == 100 and len(capped["data"]) == 100
    for bad in ("per_page=0", "page=abc", "page=-1"):
        response = http.get(f"/v1/activities?{bad}", headers=bearer(server))
        assert response.status_code == 400 and response.json()["error_code"] == "BAD_REQUEST"


def test_activity_fields_and_untrusted_text(server, http, inbox):
    raw = http.get("/v1/activities", headers=bearer(server)).json()["data"][0]
    assert list(raw) == [
        "uuid", "title", "description", "type", "subtype", "is_push_sent", "is_read",
        "reference_uuid", "gid_uuid", "meta_data", "created_at", "updated_at",
    ]  # fmt: skip
    assert raw["meta_data"] is None or isinstance(raw["meta_data"], str)
    items = list(inbox.walk())
    metas = [a.meta() for a in items]
    assert any(v is None for v, ok in metas) and any(not ok for v, ok in metas)
    assert any(ok and isinstance(v, dict) for v, ok in metas)
    assert any("<" in f"{a.title} {a.description}" for a in items)
    assert len({a.title for a in items}) > 30
    assert 0.4 < sum(bool(a.is_read) for a in items) / len(items) < 0.8
    assert all(a.created_at.endswith("Z") and a.updated_at >= a.created_at for a in items)
    assert len({a.gid_uuid for a in items}) == 1


@pytest.mark.parametrize(
    "query",
    [
        "type=security&type=identity",
        "type[]=security&type[]=identity",
        "type=security,identity",
        "type=security&type%5B%5D=identity",
    ],
)
def test_type_filter_spellings(server, http, query):
    body = http.get(f"/v1/activities?per_page=100&{query}", headers=bearer(server)).json()
    assert {a["type"] for a in body["data"]} == {"security", "identity"}
    everything = http.get("/v1/activities?per_page=100&page=1", headers=bearer(server)).json()
    assert 0 < body["meta"]["total"] < everything["meta"]["total"]


def test_subtype_by_id_and_name(server, inbox):
    security = next(t for t in inbox.types() if t.name == "security")
    login = next(s for s in security.subtypes if s.name == "login")
    by_id = [a.uuid for a in inbox.walk(types=["security"], subtype=login.id)]
    by_name = [a.uuid for a in inbox.walk(subtype="login")]
    assert by_id and by_id == by_name
    assert all(a.subtype == login.id for a in inbox.walk(subtype="login"))
    assert list(inbox.walk(types=["identity"], subtype="login")) == []


def test_reference_uuid_filter(server, inbox):
    counts: dict[str, int] = {}
    for item in inbox.walk():
        if item.reference_uuid:
            counts[item.reference_uuid] = counts.get(item.reference_uuid, 0) + 1
    shared = max(counts, key=counts.get)
    assert counts[shared] > 1
    found = list(inbox.walk(reference_uuid=shared))
    assert len(found) == counts[shared] and {a.reference_uuid for a in found} == {shared}


def test_mark_read_and_unread(server, http, inbox):
    before = inbox.unread_count()
    unread = next(a for a in inbox.walk() if not a.is_read)
    inbox.mark_read(unread.uuid, True)
    after = inbox.unread_count()
    assert after.unread == before.unread - 1
    assert after.for_type(unread.type) == before.for_type(unread.type) - 1
    inbox.mark_read(unread.uuid, False)
    assert inbox.unread_count() == before
    path = f"/v1/activities/{unread.uuid}/read"
    for raw in (b'{"read": "yes"}', b"{read: true}", b""):
        response = http.post(path, content=raw, headers=bearer(server))
        assert response.status_code == 400 and response.json()["error_code"] == "BAD_REQUEST"
    with pytest.raises(NotFoundError):
        inbox.mark_read("00000000-0000-4000-8000-000000000000")


def test_unread_count_adds_up(server, inbox):
    counts = inbox.unread_count()
    items = list(inbox.walk())
    assert counts.unread == sum(not a.is_read for a in items)
    for type_name, entry in counts.types.items():
        assert entry.total == sum(not a.is_read and a.type == type_name for a in items)
        assert sum(entry.subtypes.values()) <= entry.total


def test_mark_all_by_type_and_subtype(server, inbox):
    inbox.mark_all_read(True, "security", "login")
    counts = inbox.unread_count()
    assert counts.for_subtype("security", "login") == 0
    assert counts.for_type("security") > 0
    security = next(t for t in inbox.types() if t.name == "security")
    new_device = next(s for s in security.subtypes if s.name == "new_device")
    inbox.mark_all_read(True, "security", new_device.id)
    assert inbox.unread_count().for_subtype("security", "new_device") == 0
    inbox.mark_all_read(True, "security")
    counts = inbox.unread_count()
    assert counts.for_type("security") == 0 and counts.for_type("identity") > 0
    inbox.mark_all_read(False)
    assert inbox.unread_count().unread == 150
    inbox.mark_all_read(True)
    assert inbox.unread_count().unread == 0
    with pytest.raises(ApiReportedError):
        inbox.request("POST", "/v1/activities/read", json={"isRead": "yes"})


def test_read_marks_persist_in_a_db_file(tmp_path):
    db = str(tmp_path / "demo.sqlite")
    with DemoServer(seed=3, users=5, inbox=40, db_path=db) as first:
        added = first.add_activities(2)
        with ActivityClient(first.url, first.activity_token) as client:
            target = next(a for a in client.walk() if not a.is_read)
            client.mark_read(target.uuid)
            unread = client.unread_count().unread
    second = DemoServer(seed=3, users=5, inbox=40, db_path=db)
    with second, ActivityClient(second.url, second.activity_token) as client:
        items = {a.uuid: a for a in client.walk()}
        assert len(items) == 42 and set(added) <= set(items)
        assert items[target.uuid].is_read is True
        assert client.unread_count().unread == unread
    with pytest.raises(StoreMismatch):
        DemoServer(seed=4, db_path=db)


def test_new_activities_shift_pages(server, inbox):
    first = inbox.page(1, 10)
    added = server.add_activities(3, type="message")
    assert len(added) == 3
    top = inbox.page(1, 10)
    assert [a.uuid for a in top.data[:3]] == added and top.meta.total == 153
    assert all(a.type == "message" and a.is_read is False for a in top.data[:3])
    second = inbox.page(2, 10)
    assert [a.uuid for a in second.data[:3]] == [a.uuid for a in first.data[-3:]]
    pager = inbox.pager(10)
    pager.next_page()
    server.add_activities(4)
    walked = [a.uuid for a in pager.next_page()]
    assert len(walked) == 6 and pager.seen_count == 16
    with pytest.raises(ValueError):
        server.add_activities(1, type="nope")
