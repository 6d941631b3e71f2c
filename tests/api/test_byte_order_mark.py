"""Answers that start with a UTF-8 byte-order mark, as some Windows servers send them."""

from __future__ import annotations

import json

import pytest

from tests.security.canned import canned_server
from viewer.api import ActivityClient, ApiError, ApiReportedError, PathwayClient, PathwayQuery
from viewer.api.http import NO_RETRY
from viewer.export.pathway_csv import export_pathway
from viewer.pathway.fetch import build_pathway_data

BOM = b"\xef\xbb\xbf"


def _with_bom(value: object) -> bytes:
    return BOM + json.dumps(value).encode()


PATHWAY = {
    "status": "success",
    "data": [
        {
            "pathway": {"ID": "P1", "name": "Zoë's pathway"},
            "activities": [{"ID": "A1", "name": "One", "logs": [{"email": "a@x.test"}] * 3}],
        }
    ],
}


def test_a_pathway_answer_with_a_bom_is_read_shown_and_exported(tmp_path):
    answers = {"/v1/logs/pathway-logs": (200, _with_bom(PATHWAY))}
    with canned_server(answers) as url, PathwayClient(url, "t", retry=NO_RETRY) as client:
        logs = client.fetch(PathwayQuery("P1"))
        assert logs.pathway.name == "Zoë's pathway" and logs.log_count == 3
        body = client.fetch_body(PathwayQuery("P1"))
        assert build_pathway_data(body).log_count == 3  # the tab, and a saved copy
        target = tmp_path / "out.csv"
        assert export_pathway(client, PathwayQuery("P1"), str(target)) == 3


def test_activity_answers_with_a_bom_are_read():
    page = {"data": [{"uuid": "u1", "title": "Hi"}], "meta": {"page": 1, "per_page": 50}}
    answers = {
        "/v1/activities": (200, _with_bom(page)),
        "/v1/activities/types": (200, _with_bom({"data": [{"name": "t"}]})),
        "/v1/activities/unread-count": (200, _with_bom({"unread": 2, "types": {}})),
    }
    with canned_server(answers) as url, ActivityClient(url, "t", retry=NO_RETRY) as client:
        assert [a.uuid for a in client.page().data] == ["u1"]
        assert [t.name for t in client.types()] == ["t"]
        assert client.unread_count().unread == 2


@pytest.mark.parametrize(
    ("status", "said"), [(200, "reported an error: "), (400, r"\(HTTP 400\): ")]
)
def test_an_error_answer_with_a_bom_still_gives_the_servers_message(status, said):
    error = {"status": "error", "message": "No such pathway here"}
    answers = {"/v1/logs/pathway-logs": (status, _with_bom(error))}
    with (
        canned_server(answers) as url,
        PathwayClient(url, "t", retry=NO_RETRY) as client,
        pytest.raises(ApiReportedError, match=said + r"No such pathway here\.$"),
    ):
        client.fetch(PathwayQuery("P1"))


def test_a_server_message_ending_in_a_full_stop_gets_no_second_one():
    error = {"status": "error", "message": "Pathway “P1” was not found."}
    answers = {"/v1/logs/pathway-logs": (404, _with_bom(error))}
    with (
        canned_server(answers) as url,
        PathwayClient(url, "t", retry=NO_RETRY) as client,
        pytest.raises(ApiError) as raised,
    ):
        client.fetch(PathwayQuery("P1"))
    assert "was not found. Check" in raised.value.message
    assert ".." not in raised.value.message
