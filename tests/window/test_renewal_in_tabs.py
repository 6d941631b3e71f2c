"""The inbox tab with app credentials whose tokens live two seconds: paging goes on."""

from __future__ import annotations

import pytest

from tests.inbox.ui.conftest import WAIT_MS, page_requests, wait_idle, wait_loaded
from viewer.auth.settings import APP, OAuthSettings
from viewer.connections import ACTIVITY_SERVICE, Connections, ServiceConfig
from viewer.demo.server import DemoServer
from viewer.inbox.ui.tab import InboxTab


@pytest.fixture
def short_lived():
    with DemoServer(seed=9, users=5, inbox=450, activities=2, token_ttl=2) as server:
        yield server


@pytest.fixture
def tab(qtbot, short_lived, settings):
    oauth = OAuthSettings(APP, short_lived.client_id, short_lived.client_secret)
    connections = Connections(None, ServiceConfig(short_lived.url, oauth=oauth))
    widget = InboxTab(connections, settings)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    wait_loaded(qtbot, widget)
    yield widget
    widget.shutdown()
    connections.close()


def uuids(tab) -> list[str]:
    return [tab.model.activity(r).uuid for r in range(tab.model.rowCount())]


def test_paging_after_the_token_expired_fetches_a_new_one_and_keeps_the_list(
    qtbot, tab, short_lived
):
    shown = uuids(tab)
    first = tab.connections.config(ACTIVITY_SERVICE).access
    assert first is not None and len(shown) == 100
    qtbot.waitUntil(
        lambda: short_lived.sign_in.token_state_of(first.value) == "expired", timeout=WAIT_MS
    )
    with qtbot.assertNotEmitted(tab.credentialsRequested):
        tab.model.fetchMore()
        qtbot.waitUntil(lambda: tab.model.rowCount() == 200, timeout=WAIT_MS)
        wait_idle(qtbot, tab)
    assert uuids(tab)[:100] == shown
    assert not tab.banner.isVisible()
    assert tab.connections.config(ACTIVITY_SERVICE).access.value != first.value


def test_a_401_in_the_middle_of_paging_renews_once_and_loads_the_page(qtbot, tab, short_lived):
    shown = uuids(tab)
    wait_idle(qtbot, tab)
    issued = short_lived.sign_in.issued
    short_lived.clear_request_log()
    short_lived.sign_in.revoke_all()
    with qtbot.assertNotEmitted(tab.credentialsRequested):
        tab.model.fetchMore()
        qtbot.waitUntil(lambda: tab.model.rowCount() == 200, timeout=WAIT_MS)
        wait_idle(qtbot, tab)
    assert uuids(tab)[:100] == shown
    assert not tab.banner.isVisible()
    assert short_lived.sign_in.issued == issued + 1
    pages = page_requests(short_lived)
    assert pages[0] == pages[1]  # refused once, then repeated with the new token
