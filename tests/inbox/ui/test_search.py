"""The search box: it filters the loaded activities by title and description, Ctrl+F
reaches it, Esc clears it, and when nothing loaded matches it offers to look further."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.inbox.ui.conftest import WAIT_MS, page_requests, wait_idle
from viewer.connections import Connections
from viewer.demo.server import DemoServer


def text_of(activity) -> str:
    return f"{activity.title or ''}\n{activity.description or ''}".casefold()


def search(qtbot, tab, words: str) -> None:
    tab.search.edit.clear()
    qtbot.keyClicks(tab.search.edit, words)
    qtbot.waitUntil(lambda: tab.search.text() == words.strip(), timeout=WAIT_MS)


def shown(tab) -> list:
    return [tab.model.activity(r) for r in range(tab.model.rowCount())]


def test_search_keeps_the_loaded_matches_and_esc_brings_every_row_back(qtbot, loaded_tab):
    tab = loaded_tab
    loaded = tab.model.loaded_count
    word = tab.model.activity(0).title.split()[0]
    expected = [a.uuid for a in shown(tab) if word.casefold() in text_of(a)]
    assert 0 < len(expected) < loaded
    search(qtbot, tab, word.upper())
    assert [a.uuid for a in shown(tab)] == expected
    assert tab.status_label.text().startswith(f"{len(expected)} match")
    assert tab.model.loaded_count == loaded  # searched locally: nothing fetched for it
    # Qt asks for more whenever the rows shown fit in the view: nothing to give it then.
    assert tab.model.has_more and not tab.model.canFetchMore()
    qtbot.keyClick(tab.search.edit, Qt.Key.Key_Escape)
    assert tab.search.edit.text() == "" and tab.search.text() == ""
    assert tab.model.rowCount() == loaded


def test_ctrl_f_reaches_the_search_from_the_list(qtbot, loaded_tab):
    tab = loaded_tab
    tab.activateWindow()
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(tab.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.search.edit.hasFocus()
    assert "Ctrl+F" in tab.search.edit.placeholderText()
    assert "loaded" in tab.search.edit.placeholderText()


def test_search_combines_with_the_server_filters(qtbot, loaded_tab):
    tab = loaded_tab
    tab.filters.select_type("security")
    qtbot.waitUntil(lambda: not tab.model.loading and tab.model.rowCount() > 0, timeout=WAIT_MS)
    search(qtbot, tab, "signed")
    rows = shown(tab)
    assert rows and all(a.type == "security" and "signed" in text_of(a) for a in rows)


def test_a_match_further_down_the_server_is_found_by_paging_on(qtbot, loaded_tab, server_client):
    tab = loaded_tab
    loaded = {a.uuid for a in shown(tab)}
    seen = " ".join(text_of(a) for a in shown(tab))
    later = [a for a in server_client.walk() if a.uuid not in loaded]
    word = next(w for a in later for w in text_of(a).split() if len(w) > 4 and w not in seen)
    search(qtbot, tab, word)

    def found() -> bool:
        if tab.more_button.isVisible():
            tab.more_button.click()  # the list asks a few pages itself, then offers more
        return tab.model.rowCount() > 0

    qtbot.waitUntil(found, timeout=WAIT_MS)
    assert all(word in text_of(a) for a in shown(tab))
    assert tab.list_stack.currentWidget() is tab.view


def test_when_nothing_loaded_matches_it_asks_a_few_pages_then_offers_to_look_further(
    qtbot, make_tab
):
    server = DemoServer(seed=3, inbox=2000).start()
    connections = Connections.to_demo_server(server)
    try:
        tab = make_tab(connections)
        qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and not tab.model.loading, timeout=WAIT_MS)
        before = len(page_requests(server))
        search(qtbot, tab, "nowhere-to-be-found")
        qtbot.waitUntil(tab.more_button.isVisible, timeout=WAIT_MS)
        wait_idle(qtbot, tab)
        asked = len(page_requests(server)) - before
        assert asked == 0  # a search looks at what is loaded; Look further asks for more
        assert tab.model.rowCount() == 0 and tab.model.has_more
        assert tab.list_stack.currentWidget() is tab.list_empty
        assert tab.list_empty.title.text() == "No activity matches “nowhere-to-be-found”"
        assert "Look further" in tab.list_empty.text.text()
        assert "loaded activities" in tab.list_empty.text.text()
        loaded = tab.model.loaded_count
        tab.more_button.click()
        qtbot.waitUntil(lambda: tab.model.loaded_count > loaded, timeout=WAIT_MS)
        wait_idle(qtbot, tab)
        assert tab.model.rowCount() == 0
    finally:
        tab.shutdown()
        connections.close()
        server.stop()


def test_the_search_is_not_remembered_between_runs(qtbot, make_tab, settings):
    tab = make_tab()
    qtbot.keyClicks(tab.search.edit, "payment")
    qtbot.waitUntil(lambda: tab.search.text() == "payment", timeout=WAIT_MS)
    tab.shutdown()
    again = make_tab(qsettings=settings)
    assert again.search.edit.text() == "" and not again.model.searching
