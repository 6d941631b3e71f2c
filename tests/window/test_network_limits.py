"""The answer cap and the request deadline, from the settings to a tab's banner."""

from __future__ import annotations

import json

import pytest

from tests.faults.hostile import HostileServer, head, sends
from tests.pathway.ui.conftest import fetch
from viewer.api.http import DEFAULT_DEADLINE, DEFAULT_MAX_ANSWER_BYTES
from viewer.connections import PATHWAY_SERVICE, ServiceConfig
from viewer.credentials import CredentialStore
from viewer.pathway.ui.tab import PathwayTab
from viewer.window.connection_settings import (
    MAX_ANSWER_KEY,
    TIMEOUT_KEY,
    load_connections,
    network_limits,
    write_service,
)


def _answer_of(megabytes: float) -> bytes:
    name = "N" * int(megabytes * 1_000_000)
    body = json.dumps(
        {"status": "success", "data": [{"pathway": {"ID": "p", "name": name}, "activities": []}]}
    ).encode()
    return head(200, "OK", Content_Length=str(len(body))) + body


@pytest.fixture
def tab_on(qtbot, settings):
    made = []

    def make(url: str) -> PathwayTab:
        store = CredentialStore()
        write_service(settings, PATHWAY_SERVICE, ServiceConfig(url))
        store.set(PATHWAY_SERVICE, url, "token", session_only=True)
        connections, problems = load_connections(settings, store)
        assert problems == []
        tab = PathwayTab(connections, settings)
        qtbot.addWidget(tab)
        made.append((tab, connections))
        return tab

    yield make
    for tab, connections in made:
        tab.shutdown()
        connections.close()


def test_an_answer_past_the_set_cap_is_refused_saying_which_setting_raises_it(
    qtbot, settings, tab_on
):
    settings.setValue(MAX_ANSWER_KEY, 1)
    with HostileServer(sends(_answer_of(1.5))) as server:
        tab = tab_on(server.url)
        fetch(qtbot, tab, "Pathway A", expect_error=True)
    assert tab.banner.title == "Answer too large"
    assert "larger than 1 MB" in tab.banner.text
    assert MAX_ANSWER_KEY in tab.banner.text and settings.fileName() in tab.banner.text


def test_a_raised_cap_lets_the_answer_through(qtbot, settings, tab_on):
    settings.setValue(MAX_ANSWER_KEY, 2)
    with HostileServer(sends(_answer_of(1.5))) as server:
        tab = tab_on(server.url)
        data = fetch(qtbot, tab, "Pathway A")
    assert data is not None and len(data.pathway.name) == 1_500_000


@pytest.mark.parametrize("value", ["", "lots", "0", "-3", "inf", "nan"])
def test_a_limit_that_makes_no_sense_counts_as_unset(settings, value):
    settings.setValue(MAX_ANSWER_KEY, value)
    settings.setValue(TIMEOUT_KEY, value)
    limits = network_limits(settings)
    assert limits["max_answer_bytes"] == DEFAULT_MAX_ANSWER_BYTES
    assert limits["deadline"] == DEFAULT_DEADLINE


def test_the_request_deadline_is_read_from_the_settings(settings):
    settings.setValue(TIMEOUT_KEY, "42.5")
    assert network_limits(settings)["deadline"] == 42.5
