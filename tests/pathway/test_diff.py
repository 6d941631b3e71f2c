"""What changed between two answers of the same pathway."""

from __future__ import annotations

import msgspec

from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.pathway.data import (
    COMPLETED,
    IN_PROGRESS,
    NO_LOG,
    NOT_STARTED,
    OTHER,
    STATE_LABELS,
)
from viewer.pathway.diff import (
    COMPLETED_NOW,
    LOG_REMOVED,
    NEW_LOG,
    STARTED,
    WENT_BACK,
    diff_pathways,
    kind_of,
)
from viewer.pathway.fetch import build_pathway_data


def fetch(demo_server, pathway: str = "Pathway A") -> bytes:
    with PathwayClient(demo_server.url, demo_server.pathway_token) as client:
        return bytes(client.fetch_body(PathwayQuery(pathway)))


def states(body: bytes) -> dict[tuple[str, str], str]:
    """(e-mail, activity ID) -> state label, read straight from the JSON."""
    answer = msgspec.json.decode(body)
    found = {}
    for activity in answer["data"][0]["activities"]:
        for log in activity["logs"]:
            code = {"not started": NOT_STARTED, "in progress": IN_PROGRESS}.get(
                log["status"]["state"], COMPLETED
            )
            found[(log["email"], activity["ID"])] = STATE_LABELS[code]
    return found


def test_diff_lists_exactly_the_logs_the_server_moved(demo_server):
    before_body = fetch(demo_server)
    assert demo_server.advance_pathway("Pathway A", 10) == 10
    after_body = fetch(demo_server)
    old, new = states(before_body), states(after_body)
    expected = {key: (old[key], new[key]) for key in new if old.get(key) != new[key]}
    assert len(expected) == 10

    diff = diff_pathways(build_pathway_data(before_body), build_pathway_data(after_body))

    got = {(c.email, c.activity_id): (c.before, c.after) for c in diff.changes}
    assert got == expected
    for change in diff.changes:
        assert change.change == (COMPLETED_NOW if change.after == "Completed" else STARTED)
        assert change.timestamp  # the newer log's time
    assert sum(diff.counts.values()) == 10
    assert "completed" in diff.summary() or "started" in diff.summary()


def test_no_changes_between_equal_answers(demo_server):
    body = fetch(demo_server)
    diff = diff_pathways(build_pathway_data(body), build_pathway_data(body))
    assert diff.changes == []
    assert diff.summary() == "No changes"


def test_users_are_matched_by_email_whatever_their_order(demo_server):
    body = fetch(demo_server)
    answer = msgspec.json.decode(body)
    activity = answer["data"][0]["activities"][0]
    first, second = activity["logs"][0], activity["logs"][1]
    gone = activity["logs"].pop(2)  # one log fewer...
    activity["logs"].reverse()  # ...in another order of people
    first["status"] = {"complete": True, "progress": 1, "state": "completed", "timestamp": "t1"}
    second["status"] = {"complete": False, "progress": 0, "state": "not started"}
    changed = msgspec.json.encode(answer)
    old = states(body)
    key = activity["ID"]

    diff = diff_pathways(build_pathway_data(body), build_pathway_data(changed))

    got = {c.email: c for c in diff.changes}
    expected = {gone["email"]}
    if old[(first["email"], key)] != "Completed":
        expected.add(first["email"])
        assert got[first["email"]].change == COMPLETED_NOW
        assert got[first["email"]].timestamp == "t1"
    if old[(second["email"], key)] != "Not started":
        expected.add(second["email"])
        assert got[second["email"]].change == WENT_BACK
    assert set(got) == expected
    assert {c.activity_id for c in diff.changes} == {key}
    removed = got[gone["email"]]
    assert removed.change == LOG_REMOVED and removed.after == "No log"
    assert removed.before == old[(gone["email"], key)]


def test_kinds_of_change():
    assert kind_of(NOT_STARTED, IN_PROGRESS) == STARTED
    assert kind_of(IN_PROGRESS, COMPLETED) == COMPLETED_NOW
    assert kind_of(NOT_STARTED, COMPLETED) == COMPLETED_NOW
    assert kind_of(COMPLETED, IN_PROGRESS) == WENT_BACK
    assert kind_of(IN_PROGRESS, NOT_STARTED) == WENT_BACK
    assert kind_of(NO_LOG, NOT_STARTED) == NEW_LOG
    assert kind_of(COMPLETED, NO_LOG) == LOG_REMOVED
    assert kind_of(OTHER, IN_PROGRESS) == "changed"
