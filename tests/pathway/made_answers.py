"""Pathway answers made up for tests of decoding, sorting and long activities."""

from __future__ import annotations

import json
import random


def log(user: int, rng: random.Random, *, email: bool = True) -> dict:
    state = rng.choice(["completed", "in progress", "not started", None, "Waived"])
    zone = rng.choice(["Z", "+02:00", "-05:30"])
    stamp = (
        None if state == "not started" else f"2025-0{rng.randint(1, 9)}-1{user % 10}T08:00:00{zone}"
    )
    fulfilment: object = []
    if state == "completed":
        # Text that looks like the place between two logs, and values nested in lists.
        fulfilment = {
            "type": "story",
            "story": {"score": rng.randint(0, 100), "notes": '"},{"x":1'},
            "data": [{"a": 1}, {"b": [2, {"c": 3}]}],
        }
    elif state == "in progress":
        fulfilment = {"type": "data", "data": {"category": "Steps", "current": user, "target": 500}}
    return {
        "firstname": f"First{user}",
        "lastname": "Same" if user % 7 == 0 else f"Last{user}",
        "email": f"user{user}@example.com" if email else None,
        "telephone": None,
        "country": "ZA",
        "city": "Cape Town",
        "groups": [f"group {user % 3}"],
        "status": {
            "complete": state == "completed",
            "progress": None if state is None else rng.choice([0, 50, 100]),
            "state": state,
            "timestamp": stamp,
        },
        "fulfilment": fulfilment,
    }


def answer(users: int = 3000, activities: int = 3, *, seed: int = 5) -> bytes:
    """Every user in every activity, users in a new order each time; the last activity also
    has people met nowhere before, with and without an e-mail."""
    rng = random.Random(seed)
    items = []
    for a in range(activities):
        people = list(range(users))
        if a:
            rng.shuffle(people)
        logs = [log(user, rng) for user in people]
        if a == activities - 1:
            logs += [log(users + 1, rng), log(users + 2, rng, email=False)]
        items.append(
            {
                "ID": f"act-{a}",
                "name": f"Activity {a}",
                "type": "story",
                "required": a != 1,
                "level": a,
                "logs": logs,
            }
        )
    body = {
        "status": "success",
        "data": [{"pathway": {"ID": "p1", "name": "Long"}, "activities": items}],
    }
    return json.dumps(body).encode()
