"""Helpers shared by the demo server's tests."""

from __future__ import annotations

from viewer.api import RetryPolicy

PATH = "/v1/logs/pathway-logs"
NO_RETRY = RetryPolicy(attempts=1)
STATES = {"not started", "in progress", "completed"}


def post_logs(http, server, body, *, token=None, raw=None):
    headers = {"Authorization": f"Basic {token or server.pathway_token}"}
    if raw is not None:
        return http.post(PATH, content=raw, headers=headers)
    return http.post(PATH, json=body, headers=headers)


def bearer(server):
    return {"Authorization": f"Bearer {server.activity_token}"}


def logs_of(response) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success" and len(body["data"]) == 1
    return body


def emails(body) -> set[str]:
    return {log["email"] for act in body["data"][0]["activities"] for log in act["logs"]}
