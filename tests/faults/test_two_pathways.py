"""An answer with two pathways for a request that names one is refused, never mislabelled."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.security.canned import canned_server
from viewer.api import BadResponseError, CancelToken, PathwayClient, PathwayQuery
from viewer.api.http import NO_RETRY
from viewer.pathway.fetch import build_pathway_data, fetch_pathway_data


def _pathway(pid: str, name: str, users: int) -> dict:
    logs = [{"email": f"{pid}-{n}@example.test"} for n in range(users)]
    return {
        "pathway": {"ID": pid, "name": name},
        "activities": [{"ID": f"{pid}-A", "name": f"{name} activity", "logs": logs}],
    }


def _answer(*pathways: dict) -> bytes:
    return json.dumps({"status": "success", "data": list(pathways)}).encode()


TWO = _answer(_pathway("P-1", "Onboarding", 2), _pathway("P-2", "Onboarding", 3))
EXPORT = (sys.executable, "-m", "viewer", "export", "pathway", "--server")
MESSAGE = r"2 pathways.*“Onboarding” \(ID P-1\).*“Onboarding” \(ID P-2\).*by its ID"


def test_the_command_line_refuses_two_pathways_and_writes_nothing(tmp_path):
    target = tmp_path / "out.csv"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["VIEWER_TOKEN"] = "t"
    with canned_server({"/v1/logs/pathway-logs": (200, TWO)}) as url:
        done = subprocess.run(
            [*EXPORT, url, "--pathway", "Onboarding", "--output", str(target)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert re.search(MESSAGE, done.stderr, re.S), done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_tab_gets_an_error_rather_than_one_pathway_holding_both():
    with pytest.raises(BadResponseError, match=MESSAGE):
        build_pathway_data(TWO)
    with (
        canned_server({"/v1/logs/pathway-logs": (200, TWO)}) as url,
        PathwayClient(url, "t", retry=NO_RETRY) as client,
        pytest.raises(BadResponseError, match=MESSAGE),
    ):
        fetch_pathway_data(client, PathwayQuery("Onboarding"), CancelToken())


def test_many_pathways_are_listed_briefly():
    many = _answer(*(_pathway(f"P-{n}", "x" * 500, 1) for n in range(40)))
    with pytest.raises(BadResponseError) as caught:
        build_pathway_data(many)
    assert "40 pathways" in caught.value.message and "and 37 more" in caught.value.message
    assert len(caught.value.message) < 600


def test_one_pathway_is_still_read():
    data = build_pathway_data(_answer(_pathway("P-1", "Onboarding", 2)))
    assert data.pathway.ID == "P-1" and data.log_count == 2
