"""Pathway answers for the core tests: the demo server's, and small hand-made ones."""

from __future__ import annotations

import json

import msgspec

from viewer.api.pathway import PathwayClient, PathwayQuery


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
