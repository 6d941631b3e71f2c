"""A small pathway answer for the tests of rows made by several processes."""

from __future__ import annotations

import json


def parts_answer(activities: int, logs: int, broken: bool = False) -> bytes:
    """``activities`` activities, the n-th with ``logs * n`` logs; ``broken`` adds a log of
    the wrong shape to the last one."""

    def log(a: int, n: int) -> dict[str, object]:
        return {
            "firstname": f"=F{n}",
            "email": f"u{n}@example.com",
            "groups": ["G", f"g{n % 3}"],
            "status": {"state": "completed" if n % 2 else "started", "progress": n / 3},
            "fulfilment": {"type": "data", "data": {"current": n, f"k{a}": 'é, "x"'}},
        }

    items = [
        {"ID": f"A{a}", "name": f"Activity {a}", "logs": [log(a, n) for n in range(logs * a)]}
        for a in range(1, activities + 1)
    ]
    if broken:
        items[-1]["logs"].append({"firstname": 5})
    body = {"status": "success", "data": [{"pathway": {"ID": "P"}, "activities": items}]}
    return json.dumps(body).encode()
