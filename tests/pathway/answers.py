"""Pathway answers for the core tests: the demo server's, and small hand-made ones."""

from __future__ import annotations

import json
from collections import defaultdict

import msgspec

from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.pathway.groups import ALL_REQUIRED_ID, NO_GROUP


def fetch(demo_server, pathway: str = "Pathway A") -> bytes:
    with PathwayClient(demo_server.url, demo_server.pathway_token) as client:
        return bytes(client.fetch_body(PathwayQuery(pathway)))


def decoded(body: bytes) -> dict:
    """The answer's pathway entry, read straight from the JSON."""
    return msgspec.json.decode(body)["data"][0]


def log(email: str, state: str | None, groups: list[str] | None = None) -> dict:
    return {
        "firstname": email.split("@")[0].title(),
        "lastname": "Tester",
        "email": email,
        "groups": groups,
        "status": {"complete": state == "completed", "progress": 0, "state": state},
        "fulfilment": [],
    }


def answer(activities: list[tuple[str, bool, list[dict]]], name: str = "Hand-made") -> bytes:
    """An answer with one activity per (ID, required, logs)."""
    body = {
        "status": "success",
        "data": [
            {
                "pathway": {"ID": "P-1", "name": name},
                "activities": [
                    {"ID": ident, "name": f"Activity {ident}", "required": required, "logs": logs}
                    for ident, required, logs in activities
                ],
            }
        ],
    }
    return json.dumps(body).encode()


def expected_counts(body: bytes) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """(group, activity ID) -> (users, completed, in progress, not started), from the JSON."""
    entry = decoded(body)
    people: dict[str, list[str]] = {}
    state: dict[tuple[str, str], str] = {}
    required = [a["ID"] for a in entry["activities"] if a["required"]]
    for activity in entry["activities"]:
        for item in activity["logs"]:
            people[item["email"].lower()] = item["groups"] or [NO_GROUP]
            state[(item["email"].lower(), activity["ID"])] = item["status"]["state"]
    members = defaultdict(list)
    for email, groups in people.items():
        for group in groups:
            members[group].append(email)
    found = {}
    for group, emails in members.items():
        for activity in entry["activities"]:
            ident = activity["ID"]
            seen = [state.get((e, ident)) for e in emails]
            done = sum(s == "completed" for s in seen)
            waiting = sum(s in (None, "not started") for s in seen)
            found[(group, ident)] = (len(emails), done, len(emails) - done - waiting, waiting)
        if required:
            every = sum(all(state.get((e, a)) == "completed" for a in required) for e in emails)
            untouched = sum(
                all(state.get((e, a)) in (None, "not started") for a in required) for e in emails
            )
            found[(group, ALL_REQUIRED_ID)] = (
                len(emails),
                every,
                len(emails) - every - untouched,
                untouched,
            )
    return found
