"""The details pane, and server text kept as plain text everywhere."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from tests.inbox.ui.conftest import WAIT_MS
from viewer.formats import exact_time, parse_time
from viewer.inbox.rows import Column, humanize


def row_where(tab, predicate) -> int:
    model = tab.model
    for _ in range(5):
        for row in range(model.rowCount()):
            if predicate(model.activity(row)):
                return row
        model.fetchMore()
        tab.qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    raise AssertionError("no such activity in the demo data")


def is_json(text) -> bool:
    try:
        json.loads(text)
    except (TypeError, ValueError):
        return False
    return True


def show(tab, row: int) -> None:
    tab.view.selectRow(row)
    assert tab.details.current_uuid == tab.model.activity(row).uuid


def test_details_pretty_print_json_metadata(qtbot, loaded_tab):
    tab = loaded_tab
    tab.qtbot = qtbot
    row = row_where(tab, lambda a: a.meta_data and is_json(a.meta_data))
    show(tab, row)
    activity = tab.model.activity(row)
    expected = json.dumps(json.loads(activity.meta_data), indent=2, ensure_ascii=False)
    assert tab.details.meta.toPlainText() == expected
    assert "\n  " in tab.details.meta.toPlainText()
    assert tab.details.meta_heading.text() == "Metadata"
    assert tab.details.title.text() == activity.title
    assert tab.details.description.text() == activity.description
    assert tab.details.reference.text() == (activity.reference_uuid or "—")
    assert tab.details.identity.text() == activity.gid_uuid
    assert tab.details.created.text() == exact_time(parse_time(activity.created_at))
    assert tab.details.updated.text() == exact_time(parse_time(activity.updated_at))


def test_details_show_metadata_that_is_not_json_as_received(qtbot, loaded_tab):
    tab = loaded_tab
    tab.qtbot = qtbot
    row = row_where(tab, lambda a: a.meta_data and not is_json(a.meta_data))
    show(tab, row)
    assert tab.details.meta.toPlainText() == tab.model.activity(row).meta_data
    assert "not JSON" in tab.details.meta_heading.text()


def test_details_say_when_there_is_no_metadata(qtbot, loaded_tab):
    tab = loaded_tab
    tab.qtbot = qtbot
    show(tab, row_where(tab, lambda a: a.meta_data is None))
    assert tab.details.meta_heading.text() == "No metadata"
    assert not tab.details.meta.isVisibleTo(tab.details)


def test_server_text_is_never_rendered_as_html(qtbot, loaded_tab):
    tab = loaded_tab
    tab.qtbot = qtbot
    row = row_where(tab, lambda a: "<" in (a.title or "") + (a.description or ""))
    show(tab, row)
    activity = tab.model.activity(row)
    for label in tab.details.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert tab.details.title.text() == activity.title
    assert tab.details.description.text() == activity.description
    tooltip = tab.model.index(row, Column.TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;" in tooltip
    assert "<b>" not in tooltip.replace("<p style='white-space:pre-wrap'>", "")
    assert "<script>" not in tooltip


def test_when_column_is_relative_with_the_exact_time_in_the_tooltip(loaded_tab):
    tab = loaded_tab
    activity = tab.model.activity(0)
    index = tab.model.index(0, Column.WHEN)
    exact = exact_time(parse_time(activity.created_at))
    assert exact in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data() and index.data() != exact


def test_subtype_column_shows_the_subtype_name_not_its_id(loaded_tab):
    tab = loaded_tab
    names = {s.id: s.name for t in tab.filters.types() for s in t.subtypes or []}
    row = next(r for r in range(tab.model.rowCount()) if tab.model.activity(r).subtype in names)
    index = tab.model.index(row, Column.SUBTYPE)
    name = names[tab.model.activity(row).subtype]
    assert index.data() == humanize(name) != name  # in words; the name as sent in the tooltip
    assert name in index.data(Qt.ItemDataRole.ToolTipRole)


def test_a_cut_uuid_keeps_both_ends_shows_whole_on_hover_and_copies_whole(qtbot, loaded_tab):
    tab = loaded_tab
    tab.qtbot = qtbot
    row = row_where(tab, lambda a: a.reference_uuid)
    show(tab, row)
    details = tab.details
    tab.splitter.setSizes([tab.width() - 260, 260])  # a narrow pane: the UUIDs must give way
    qtbot.waitUntil(lambda: details.width() <= 280)
    activity = tab.model.activity(row)
    for label, value in (
        (details.reference, activity.reference_uuid),
        (details.uuid, activity.uuid),
    ):
        shown = QLabel.text(label)
        assert label.text() == value and shown != value and "…" in shown
        assert shown.startswith(value[:3]) and shown.endswith(value[-3:])  # cut in the middle
        assert value in label.toolTip()
        label.copy_action.trigger()
        assert QGuiApplication.clipboard().text() == value
        QGuiApplication.clipboard().clear()
        QTest.keySequence(label, QKeySequence.StandardKey.Copy)  # Ctrl+C too copies it whole
        assert QGuiApplication.clipboard().text() == value
    # The field names beside them are never the ones cut.
    for name in details.page.findChildren(QLabel):
        if name.text().endswith(":") and name.isVisible():
            assert name.width() >= name.sizeHint().width(), name.text()
