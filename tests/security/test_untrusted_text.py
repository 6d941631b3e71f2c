"""Server text full of markup is shown as the literal text everywhere, never rendered."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtGui import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from tests.security.support import MARKUP, shown
from viewer.api.activity_types import Activity
from viewer.inbox.ui.details import InboxDetails
from viewer.inbox.ui.model import InboxModel
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.ui.details import DetailsPane
from viewer.pathway.ui.matrix_model import PathwayMatrixModel
from viewer.pathway.ui.tree_model import PathwayTreeModel
from viewer.tasks import TaskRunner
from viewer.widgets.banner import Banner

DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole


def _hostile_answer(mark: str) -> bytes:
    log = {
        "firstname": mark,
        "lastname": mark,
        "email": f"{mark}@example.test",
        "groups": [mark],
        "status": {"state": mark, "complete": False, "timestamp": mark},
        "fulfilment": {"type": mark, "data": {"category": mark, "current": mark}, mark: mark},
    }
    activity = {"ID": mark, "name": mark, "type": mark, "required": True, "logs": [log]}
    return json.dumps(
        {
            "status": "success",
            "data": [{"pathway": {"ID": mark, "name": mark}, "activities": [activity]}],
        }
    ).encode()


def _walk(model, parent=QModelIndex()) -> Iterator[QModelIndex]:  # noqa: B008
    for row in range(model.rowCount(parent)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            yield index
            if column == 0 and model.rowCount(index) > 0:
                yield from _walk(model, index)


def _check_cells(model, mark: str) -> int:
    """Every tooltip shows ``mark`` literally; returns how many cells carried it."""
    carried = 0
    for index in _walk(model):
        tip = index.data(TOOLTIP)
        text = index.data(DISPLAY)
        if isinstance(tip, str) and tip:
            seen = shown(tip)
            assert "&lt;" not in seen and "&amp;" not in seen.replace(mark, ""), (tip, seen)
            carried += mark in seen
            if "<" in mark:
                assert Qt.mightBeRichText(tip), f"an escaped tooltip shown as plain: {tip!r}"
        if isinstance(text, str):
            carried += mark in text
    return carried


@pytest.mark.parametrize("mark", MARKUP)
def test_pathway_cells_and_tooltips_show_markup_literally(qapp, mark):
    data = build_pathway_data(_hostile_answer(mark))
    for model in (PathwayTreeModel(), PathwayMatrixModel()):
        model.set_pathway_data(data)
        assert _check_cells(model, mark) > 0
        for section in range(model.columnCount()):
            tip = model.headerData(section, Qt.Orientation.Horizontal, TOOLTIP)
            if isinstance(tip, str) and mark in shown(tip):
                assert "&lt;" not in shown(tip)
        model.deleteLater()


@pytest.mark.parametrize("mark", MARKUP)
def test_inbox_cells_and_tooltips_show_markup_literally(qapp, mark):
    runner = TaskRunner()
    model = InboxModel(runner, lambda: None)  # type: ignore[arg-type, return-value]
    activity = Activity(uuid="u1", title=mark, description=mark, type=mark, subtype=mark)
    model.loader.arrived.emit([activity], True)
    assert _check_cells(model, mark) > 0
    model.close()
    runner.shutdown()
    model.deleteLater()
    runner.deleteLater()


def _labels_show(widget, mark: str) -> int:
    carried = 0
    for label in widget.findChildren(QLabel):
        if mark in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
            carried += 1
    return carried


@pytest.mark.parametrize("mark", MARKUP)
def test_details_panes_show_markup_literally(qtbot, mark):
    data = build_pathway_data(_hostile_answer(mark))
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.show_log(data, data.activities[0], 0)
    assert _labels_show(pane, mark) or any(mark in text for *_, text in pane.rows())
    for _depth, key, value in pane.rows():
        assert "&lt;" not in key + value
    inbox = InboxDetails()
    qtbot.addWidget(inbox)
    inbox.show_activity(Activity(uuid="u", title=mark, description=mark, meta_data=mark), mark)
    assert _labels_show(inbox, mark) >= 2


@pytest.mark.parametrize("mark", MARKUP)
def test_banner_shows_markup_literally(qtbot, mark):
    banner = Banner()
    qtbot.addWidget(banner)
    banner.show_message(mark, f"The server said: {mark}", action="Retry")
    assert banner.title == mark and mark in banner.text
    assert _labels_show(banner, mark) == 2


def test_a_pathway_name_with_markup_is_shown_literally_in_the_error_banner(
    qtbot, connections, settings
):
    from tests.pathway.ui.conftest import fetch
    from viewer.pathway.ui.tab import PathwayTab

    tab = PathwayTab(connections, settings)
    qtbot.addWidget(tab)
    try:
        fetch(qtbot, tab, "<img src=x onerror=alert(1)>", expect_error=True)
        assert "<img src=x onerror=alert(1)>" in tab.banner.text
        assert _labels_show(tab.banner, "<img src=x onerror=alert(1)>") == 1
    finally:
        tab.shutdown()


def test_mark_all_question_shows_a_type_name_with_markup_literally(qtbot, make_inbox_tab):
    tab = make_inbox_tab()
    seen: list[tuple[Qt.TextFormat, str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.textFormat(), box.text()))
            box.reject()
        else:
            QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)
    tab.reading.confirm("Mark every “<b>x</b>” activity as read?")
    assert seen and seen[0][0] == Qt.TextFormat.PlainText
    assert "<b>x</b>" in seen[0][1]


#: Text a tooltip must show as written: no entities, no literal tags.
AWKWARD = ["O'Brien & Sons", "\nStarts with a line break", '"Quoted" <b>x</b>\nand more']


def _awkward_tooltips(mark: str) -> list[str]:
    from pathlib import Path

    from viewer.pathway.diff import Change, PathwayDiff
    from viewer.pathway.ui.changes import ChangesModel
    from viewer.snapshots import PATHWAY, Snapshot
    from viewer.window.snapshot_dialog import SnapshotListModel

    data = build_pathway_data(_hostile_answer(mark))
    tips: list[str] = []
    for model in (PathwayTreeModel(), PathwayMatrixModel()):
        model.set_pathway_data(data)
        tips += [index.data(TOOLTIP) for index in _walk(model)]
        tips += [model.headerData(s, Qt.Orientation.Horizontal, TOOLTIP) for s in range(4)]
        model.deleteLater()
    changes = ChangesModel()
    change = Change(mark, mark, mark, mark, mark, mark, "completed now", mark)
    changes.set_diff(PathwayDiff([change], 0.0, 1.0, mark))
    tips += [changes.index(0, c).data(TOOLTIP) for c in range(changes.columnCount())]
    snapshots = SnapshotListModel()
    saved = Snapshot(Path("x.json.gz"), f"http://{mark}", PATHWAY, {"pathway": mark}, 0.0, 1, 1)
    snapshots.set_snapshots([saved])
    tips += [snapshots.index(0, c).data(TOOLTIP) for c in range(snapshots.columnCount())]
    runner = TaskRunner()
    inbox = InboxModel(runner, lambda: None)  # type: ignore[arg-type, return-value]
    inbox.loader.arrived.emit([Activity(uuid="u1", title=mark, description=mark)], True)
    tips += [index.data(TOOLTIP) for index in _walk(inbox)]
    inbox.close()
    runner.shutdown()
    for model in (changes, snapshots, inbox, runner):
        model.deleteLater()
    return [tip for tip in tips if isinstance(tip, str) and tip]


@pytest.mark.parametrize("mark", AWKWARD)
def test_tooltips_show_quotes_ampersands_and_line_breaks_as_written(qapp, mark):
    flat_mark = " ".join(mark.split())  # rich text folds line breaks inside a line
    carried = 0
    for tip in _awkward_tooltips(mark):
        seen = " ".join(shown(tip).split())
        rest = seen.replace(flat_mark, "")
        assert not any(entity in seen for entity in ("&#x27;", "&amp;", "&quot;", "&lt;")), tip
        assert "<br>" not in rest and "<b>" not in rest, (tip, seen)
        carried += flat_mark in seen
    assert carried >= 4
