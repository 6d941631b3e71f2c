"""The filter bar: types and subtypes from the server, and what each choice asks for."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from tests.inbox.ui.conftest import WAIT_MS, page_requests, wait_loaded
from viewer.inbox.counts import count_split, gap_note
from viewer.inbox.rows import humanize
from viewer.inbox.ui.count_combo import elide_keeping_count


def combo_keys(combo: QComboBox) -> list[str]:
    return [combo.itemData(i, Qt.ItemDataRole.UserRole) for i in range(combo.count())]


def combo_texts(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def last_page_query(demo_server) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page_requests(demo_server)[-1]).query)


def wait_page(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: not tab.model.loading and tab.model.total is not None, timeout=WAIT_MS)


def test_type_filter_lists_the_servers_types_with_unread_counts(loaded_tab, server_client):
    types = server_client.types()
    counts = server_client.unread_count()
    combo = loaded_tab.findChild(QComboBox, "typeFilter")
    assert combo_keys(combo) == ["", *(t.name for t in types)]
    assert combo.itemText(0) == f"All types ({counts.unread:,} unread)"
    for index, t in enumerate(types, start=1):
        count = counts.for_type(t.name)
        assert combo.itemText(index) == f"{humanize(t.name)} ({count:,} unread)"
        assert t.name in combo.itemData(index, Qt.ItemDataRole.ToolTipRole)  # the name as sent


def test_subtypes_follow_the_chosen_type(qtbot, loaded_tab, server_client):
    tab = loaded_tab
    counts = server_client.unread_count()
    assert not tab.filters.subtype_combo.isEnabled()
    for t in server_client.types():
        tab.filters.select_type(t.name)
        subs = t.subtypes or []
        assert combo_keys(tab.filters.subtype_combo) == ["", *(s.key for s in subs)]
        texts = combo_texts(tab.filters.subtype_combo)
        assert texts[0] == f"All subtypes ({counts.for_type(t.name):,} unread)"
        for text, sub in zip(texts[1:], subs, strict=True):
            count = counts.for_subtype(t.name, sub.label)  # a subtype at zero keeps "(0 …)"
            assert text == f"{humanize(sub.label)} ({count:,} unread)"


def test_choosing_a_type_asks_the_server_for_that_type(qtbot, loaded_tab, demo_server):
    tab = loaded_tab
    tab.filters.select_type("security")
    wait_page(qtbot, tab)
    assert last_page_query(demo_server)["type"] == ["security"]
    assert tab.model.rowCount() > 0
    assert {tab.model.activity(r).type for r in range(tab.model.rowCount())} == {"security"}


def test_choosing_a_subtype_asks_for_its_id_and_shows_its_name(qtbot, loaded_tab, demo_server):
    tab = loaded_tab
    tab.filters.select_type("security")
    wait_page(qtbot, tab)
    security = next(t for t in tab.filters.types() if t.name == "security")
    login = next(s for s in security.subtypes if s.name == "login")
    tab.filters.select_subtype(login.key)
    wait_page(qtbot, tab)
    query = last_page_query(demo_server)
    assert query["type"] == ["security"] and query["subtype"] == [login.id]
    labels = {tab.model.index(r, 2).data() for r in range(tab.model.rowCount())}
    assert labels == {"Login"}
    tips = {tab.model.index(r, 2).data(Qt.ItemDataRole.ToolTipRole) for r in range(5)}
    assert all("login" in tip and login.id in tip for tip in tips)


def test_reference_filter_asks_for_that_reference(qtbot, loaded_tab, demo_server):
    tab = loaded_tab
    reference = next(
        a.reference_uuid
        for a in map(tab.model.activity, range(tab.model.rowCount()))
        if a.reference_uuid
    )
    tab.filters.reference_edit.setText(reference)
    qtbot.waitUntil(
        lambda: last_page_query(demo_server).get("reference_uuid") == [reference], timeout=WAIT_MS
    )
    wait_page(qtbot, tab)
    assert tab.model.rowCount() >= 1
    assert all(
        tab.model.activity(r).reference_uuid == reference for r in range(tab.model.rowCount())
    )


def test_filters_and_layout_are_remembered_between_runs(qtbot, make_tab, demo_server, settings):
    tab = make_tab()
    wait_loaded(qtbot, tab)
    tab.filters.select_type("payment")
    tab.filters.unread_check.setChecked(True)
    tab.view.horizontalHeader().resizeSection(1, 211)
    tab.splitter.setSizes([900, 300])
    sizes = tab.splitter.sizes()
    tab.shutdown()

    demo_server.clear_request_log()
    again = make_tab(qsettings=settings)
    wait_page(qtbot, again)
    assert again.filters.type_name() == "payment"
    assert again.filters.unread_only() and again.model.unread_only
    assert again.view.horizontalHeader().sectionSize(1) == 211
    assert again.splitter.sizes() == sizes
    # The very first request already carries the remembered filter.
    assert parse_qs(urlsplit(page_requests(demo_server)[0]).query)["type"] == ["payment"]


def test_a_narrow_count_combo_elides_the_name_and_keeps_the_count_whole(loaded_tab):
    combo = loaded_tab.filters.type_combo
    text = combo.itemText(0)
    assert text.endswith(" unread)")
    metrics = combo.fontMetrics()
    narrow = elide_keeping_count(text, metrics, metrics.horizontalAdvance(text) - 25)
    head, count = count_split(text)
    assert narrow.endswith(count) and narrow.startswith(head[:2]) and "…" in narrow
    assert elide_keeping_count(text, metrics, 10_000) == text
    assert combo.minimumSizeHint().width() < combo.sizeHint().width()
    shortest = metrics.horizontalAdvance(head[:3] + "…" + count)
    assert combo.minimumSizeHint().width() > shortest  # room for the count, always


def test_a_note_says_when_unread_without_a_subtype_make_the_sums_differ(
    qtbot, loaded_tab, server_client
):
    tab = loaded_tab
    counts = server_client.unread_count()
    short = [
        name for name, entry in counts.types.items() if entry.total > sum(entry.subtypes.values())
    ]
    assert short  # the demo has activities without a subtype
    tab.filters.select_type(short[0])
    note = tab.filters.note
    assert not note.isHidden()
    assert note.text() == gap_note(tab.counts, short[0], humanize(short[0]))
    assert "no subtype" in note.text()
    even = [name for name in counts.types if name not in short]
    if even:
        tab.filters.select_type(even[0])
        assert note.isHidden()
