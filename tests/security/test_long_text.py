"""Server strings of megabytes are elided before Qt lays them out; the full text on request.

Qt lays out a whole string to draw even its start: one 100 MB pathway name cost the window
4.3 GB and minutes. Views show a few hundred characters; the details panes offer the rest.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from tests.security.test_untrusted_text import _walk
from viewer.api.activity_types import Activity
from viewer.formats import SHOWN_CHARS
from viewer.inbox.ui.details import InboxDetails
from viewer.inbox.ui.model import InboxModel
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.ui.details import DetailsPane
from viewer.pathway.ui.matrix_model import PathwayMatrixModel
from viewer.pathway.ui.tree_model import PathwayTreeModel
from viewer.tasks import TaskRunner
from viewer.widgets.checklist import ChecklistModel
from viewer.widgets.full_text import FullTextDialog

DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
#: Long enough to hurt, short enough for a quick test.
LONG = 2_000_000


def _long(mark: str) -> str:
    return mark + "x" * LONG


def _answer() -> bytes:
    log = {
        "firstname": _long("F"),
        "lastname": _long("L"),
        "email": _long("E") + "@example.test",
        "groups": [_long("G")],
        "status": {"state": _long("S"), "complete": False, "timestamp": _long("T")},
        "fulfilment": {"type": "data", "data": {"category": _long("C"), "current": 1}},
    }
    activity = {"ID": _long("A"), "name": _long("N"), "type": _long("Y"), "logs": [log]}
    pathway = {"ID": _long("P"), "name": _long("Q"), "type": _long("R")}
    return json.dumps(
        {"status": "success", "data": [{"pathway": pathway, "activities": [activity]}]}
    ).encode()


@pytest.fixture(scope="module")
def data():
    return build_pathway_data(_answer())


def _longest(model, roles=(DISPLAY, TOOLTIP), parent=QModelIndex()) -> int:  # noqa: B008
    longest = 0
    for index in _walk(model, parent):
        for role in roles:
            value = index.data(role)
            if isinstance(value, str):
                longest = max(longest, len(value))
    for section in range(model.columnCount()):
        for role in roles:
            value = model.headerData(section, Qt.Orientation.Horizontal, role)
            if isinstance(value, str):
                longest = max(longest, len(value))
    return longest


@pytest.mark.parametrize("model_type", [PathwayTreeModel, PathwayMatrixModel])
def test_pathway_cells_headers_and_tooltips_are_elided(qapp, data, model_type):
    model = model_type()
    model.set_pathway_data(data)
    assert _longest(model) <= SHOWN_CHARS
    model.deleteLater()


def test_inbox_list_text_is_elided(qapp):
    runner = TaskRunner()
    model = InboxModel(runner, lambda: None)  # type: ignore[arg-type, return-value]
    activity = Activity(uuid="u1", title=_long("T"), description=_long("D"), type=_long("Y"))
    model.loader.arrived.emit([activity], True)
    assert _longest(model, roles=(DISPLAY,)) <= SHOWN_CHARS
    model.close()
    runner.shutdown()
    model.deleteLater()
    runner.deleteLater()


def test_filter_lists_show_long_names_elided(qapp):
    model = ChecklistModel()
    model.set_entries([(_long("G"), _long("G"), "g")])
    assert len(model.index(0, 0).data(DISPLAY)) <= SHOWN_CHARS
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == _long("G")  # sent as it is


def _full_text_shown(qtbot, button: QPushButton) -> FullTextDialog:
    assert button.isEnabled() and button.isVisibleTo(button.window())
    button.click()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, FullTextDialog))
    qtbot.addWidget(dialog)
    return dialog


def test_the_pathway_details_pane_elides_and_shows_the_full_text_on_request(qtbot, data):
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.show_log(data, data.activities[0], 0)
    assert len(pane.title.text()) <= 2 * SHOWN_CHARS
    assert max(len(value) for _depth, _key, value in pane.rows()) <= SHOWN_CHARS
    assert not pane.full_text_button.isEnabled()  # nothing long chosen yet
    item = next(
        pane.tree.topLevelItem(i).child(j)
        for i in range(pane.tree.topLevelItemCount())
        for j in range(pane.tree.topLevelItem(i).childCount())
        if pane.tree.topLevelItem(i).child(j).text(0) == "Email"
    )
    pane.tree.setCurrentItem(item)
    dialog = _full_text_shown(qtbot, pane.full_text_button)
    assert dialog.text == _long("E") + "@example.test"
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == dialog.text
    dialog.close()


def test_the_inbox_details_pane_elides_and_shows_the_full_text_on_request(qtbot):
    pane = InboxDetails()
    qtbot.addWidget(pane)
    title, description = _long("T"), _long("D")
    pane.show_activity(Activity(uuid="u", title=title, description=description))
    assert all(len(label.text()) <= 2000 for label in pane.findChildren(QLabel))
    dialog = _full_text_shown(qtbot, pane.full_text_button)
    assert title in dialog.text and description in dialog.text
    dialog.close()
    pane.show_activity(Activity(uuid="v", title="Short", description="Also short"))
    assert not pane.full_text_button.isVisibleTo(pane)


def test_the_full_text_dialog_lays_out_a_huge_text_in_lines_and_copies_it_whole(qtbot):
    text = "z" * 30_000_000
    dialog = FullTextDialog("Email", text)
    qtbot.addWidget(dialog)
    shown = dialog.editor.toPlainText()
    assert len(shown) < 2_000_000 and "first" in dialog.note.text()
    assert max(len(line) for line in shown.splitlines()) <= 10_000
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == text
