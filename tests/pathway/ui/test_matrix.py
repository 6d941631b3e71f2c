"""The by-user matrix: Name and Email frozen, short headers, marks, sorting, navigation."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from tests.pathway.ui.conftest import fetch
from viewer.pathway.data import NO_LOG, STATE_LABELS
from viewer.pathway.ui.matrix_model import EMAIL, FIXED_COLUMNS, GROUPS, NAME, SHARE
from viewer.pathway.ui.matrix_view import ACTIVITY_WIDTH
from viewer.pathway.ui.style import STATE_ROLE, TOOLTIP

FIRST_ACTIVITY = len(FIXED_COLUMNS)


def show_matrix(qtbot, tab):
    data = fetch(qtbot, tab, "Pathway A")
    tab.views.setCurrentWidget(tab.views.matrix)
    qtbot.waitUntil(tab.views.matrix.isVisible)
    tab.resize(900, 600)  # narrow enough for the activity columns to scroll
    qtbot.waitUntil(lambda: tab.views.matrix.horizontalScrollBar().maximum() > 0)
    return data


def click_header(header, section: int) -> None:
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_name_and_email_stay_while_activities_scroll(qtbot, tab):
    show_matrix(qtbot, tab)
    matrix = tab.views.matrix
    frozen = matrix.frozen
    assert frozen.isVisible()
    assert [c for c in range(matrix.model().columnCount()) if not frozen.isColumnHidden(c)] == [
        NAME,
        EMAIL,
    ]
    assert frozen.width() == matrix.columnWidth(NAME) + matrix.columnWidth(EMAIL)
    bar = matrix.horizontalScrollBar()
    groups_at = matrix.columnViewportPosition(GROUPS)
    bar.setValue(bar.maximum())
    # The scrolled view moved its columns; the overlay did not.
    assert matrix.columnViewportPosition(GROUPS) == groups_at - bar.maximum()
    assert matrix.columnViewportPosition(NAME) < 0
    assert frozen.columnViewportPosition(NAME) == 0
    assert frozen.indexAt(QPoint(5, 5)).column() == NAME
    # Scrolling down in either view scrolls the other the same way.
    matrix.verticalScrollBar().setValue(matrix.verticalScrollBar().maximum())
    assert matrix.verticalScrollBar().value() > 0
    assert frozen.verticalScrollBar().value() == matrix.verticalScrollBar().value()
    frozen.verticalScrollBar().setValue(37)
    assert matrix.verticalScrollBar().value() == 37
    y = matrix.rowViewportPosition(10) + 2
    assert frozen.indexAt(QPoint(5, y)).row() == matrix.indexAt(QPoint(5, y)).row() == 10
    # A column made wider in the overlay's header is as wide in the main view.
    frozen.horizontalHeader().resizeSection(NAME, 211)
    assert matrix.columnWidth(NAME) == 211 and frozen.width() == 211 + matrix.columnWidth(EMAIL)


def test_headers_are_short_and_name_the_activity_on_hover(qtbot, tab):
    data = show_matrix(qtbot, tab)
    model = tab.views.matrix_model
    header = tab.views.matrix.horizontalHeader()
    for a, activity in enumerate(data.activities):
        section = FIRST_ACTIVITY + a
        assert model.headerData(section, Qt.Orientation.Horizontal) == str(a + 1)
        tip = model.headerData(section, Qt.Orientation.Horizontal, TOOLTIP)
        assert f"{a + 1}. {activity.label}" in tip
        assert ("required" if activity.required else "optional") in tip
        assert header.sectionSize(section) == ACTIVITY_WIDTH
    # One line of header, not a tall rotated one, and twenty activities in 1,200 pixels.
    assert header.height() < 2.5 * header.fontMetrics().height()
    fixed = sum(header.sectionSize(c) for c in range(FIRST_ACTIVITY))
    assert fixed + 20 * ACTIVITY_WIDTH <= 1200


def test_cells_are_marks_with_the_state_on_hover(qtbot, tab):
    data = show_matrix(qtbot, tab)
    model = tab.views.matrix_model
    activity = data.activities[0]
    for row in range(model.rowCount()):
        uid = model.user_at(row)
        index = model.index(row, FIRST_ACTIVITY)
        code = index.data(STATE_ROLE)
        assert code == activity.user_states[uid]
        tip = index.data(TOOLTIP)
        assert activity.label in tip
        assert ("no log" if code == NO_LOG else "") in tip
        if code != NO_LOG and not activity.state_text[activity.by_user[uid]]:
            assert STATE_LABELS[code] in tip


def test_headers_of_both_views_sort_and_show_one_indicator(qtbot, tab):
    data = show_matrix(qtbot, tab)
    matrix, model = tab.views.matrix, tab.views.matrix_model
    click_header(matrix.frozen.horizontalHeader(), NAME)  # the frozen part's header
    names = [model.index(r, NAME).data() for r in range(model.rowCount())]
    assert names == sorted(names, key=str.lower) and len(set(names)) > 1
    assert matrix.horizontalHeader().sortIndicatorSection() == NAME
    matrix.horizontalScrollBar().setValue(0)
    click_header(matrix.horizontalHeader(), FIRST_ACTIVITY)
    states = [model.index(r, FIRST_ACTIVITY).data(STATE_ROLE) for r in range(model.rowCount())]
    assert states == sorted(states) and len(set(states)) > 1
    assert matrix.frozen.horizontalHeader().sortIndicatorSection() == FIRST_ACTIVITY
    click_header(matrix.horizontalHeader(), FIRST_ACTIVITY)
    states = [model.index(r, FIRST_ACTIVITY).data(STATE_ROLE) for r in range(model.rowCount())]
    assert states == sorted(states, reverse=True)
    assert len(states) == len(data.users)


def test_keys_move_through_cells_never_hidden_under_name_and_email(qtbot, tab):
    data = show_matrix(qtbot, tab)
    matrix, model = tab.views.matrix, tab.views.matrix_model
    matrix.setFocus()
    last = model.columnCount() - 1
    matrix.setCurrentIndex(model.index(3, last))
    assert matrix.horizontalScrollBar().value() == matrix.horizontalScrollBar().maximum()
    for column in range(last - 1, GROUPS - 1, -1):
        QTest.keyClick(matrix, Qt.Key.Key_Left)
        current = matrix.currentIndex()
        assert (current.row(), current.column()) == (3, column)
        assert matrix.visualRect(current).left() >= matrix.frozen.width()
    QTest.keyClick(matrix, Qt.Key.Key_Left)  # into Email, which is always in view
    assert matrix.currentIndex().column() == EMAIL
    QTest.keyClick(matrix, Qt.Key.Key_End)
    assert matrix.visualRect(matrix.currentIndex()).right() <= matrix.viewport().width()
    # Details follow the current cell: a log, or the user when there is none.
    uid = model.user_at(matrix.currentIndex().row())
    kind = tab.details.title.text()
    assert data.users[uid].name in kind or data.activities[-1].label in kind


def test_a_click_on_a_frozen_name_selects_the_row_and_shows_the_user(qtbot, tab):
    data = show_matrix(qtbot, tab)
    matrix, model = tab.views.matrix, tab.views.matrix_model
    frozen = matrix.frozen
    rect = frozen.visualRect(model.index(2, NAME))
    QTest.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert matrix.currentIndex().row() == 2
    assert matrix.selectionModel().isRowSelected(2)
    assert data.users[model.user_at(2)].name in tab.details.title.text()


def test_a_narrow_matrix_narrows_its_first_columns_to_keep_activities_in_sight(
    qtbot, tab, settings
):
    show_matrix(qtbot, tab)  # at 900 px
    matrix, model = tab.views.matrix, tab.views.matrix_model
    first_activity = matrix.columnViewportPosition(FIRST_ACTIVITY)
    assert matrix.viewport().width() - first_activity >= 4 * ACTIVITY_WIDTH
    narrow = [matrix.columnWidth(c) for c in range(FIRST_ACTIVITY)]
    # An e-mail cut short is whole on hover.
    email = model.index(0, EMAIL).data()
    assert "@" in email and email in model.index(0, EMAIL).data(TOOLTIP)
    # With room again, the first columns take their roomy widths back.
    room = matrix.viewport().width()
    tab.resize(1600, 800)
    qtbot.waitUntil(lambda: matrix.viewport().width() > room + 300)
    roomy = [matrix.columnWidth(c) for c in range(FIRST_ACTIVITY)]
    assert all(wide > cut for wide, cut in zip(roomy, narrow, strict=True))
    assert tab.views.matrix_columns.saved() is None  # nothing of the user's to remember
    # Sized by hand, a column keeps its width at any size, and from run to run.
    matrix.horizontalHeader().resizeSection(EMAIL, 250)
    tab.resize(900, 600)
    qtbot.waitUntil(lambda: matrix.viewport().width() < room + 50)
    assert matrix.columnWidth(EMAIL) == 250 and matrix.frozen.columnWidth(EMAIL) == 250
    tab.save_state()
    assert [int(w) for w in settings.value("pathway/matrixWidths")][EMAIL] == 250


def test_the_first_columns_titles_show_whole_with_room_and_elided_without(qtbot, tab):
    show_matrix(qtbot, tab)  # at 900 px the first columns are narrowed
    matrix, model = tab.views.matrix, tab.views.matrix_model
    header = matrix.horizontalHeader()
    assert header.sectionSize(SHARE) < header.sectionSizeHint(SHARE)
    assert header.textElideMode() == Qt.TextElideMode.ElideRight  # "Required d…", not cut
    for column, title in enumerate(FIXED_COLUMNS):
        assert title in model.headerData(column, Qt.Orientation.Horizontal, TOOLTIP)
    room = matrix.viewport().width()
    tab.resize(1600, 800)
    qtbot.waitUntil(lambda: matrix.viewport().width() > room + 300)
    for column in range(len(FIXED_COLUMNS)):  # "Required done" and its sort arrow fit
        assert header.sectionSize(column) >= header.sectionSizeHint(column)


def test_a_search_keeps_the_current_user_and_is_worked_out_once_for_both_views(qtbot, tab):
    data = show_matrix(qtbot, tab)
    views = tab.views
    matrix, model = views.matrix, views.matrix_model
    matrix.setCurrentIndex(model.index(5, FIRST_ACTIVITY))
    uid = model.user_at(5)
    word = data.users[uid].name.split()[-1].lower()
    views.search_edit.setText(word)
    views.apply_search()
    assert views.tree_model._search is model._search  # one pass over the users
    current = matrix.currentIndex()
    assert model.user_at(current.row()) == uid and current.column() == FIRST_ACTIVITY
    model.sort(NAME, Qt.SortOrder.DescendingOrder)
    views.search_edit.setText("no such person at all")
    views.apply_search()
    assert not matrix.currentIndex().isValid() and model.rowCount() == 0
