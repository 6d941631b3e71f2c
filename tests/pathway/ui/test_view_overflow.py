"""The pathway views' tab bar never scrolls: views without room are under More."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolButton

from tests.pathway.ui.conftest import fetch
from viewer.pathway.ui.view_overflow import tabs_that_fit


def scroll_arrows_shown(views) -> bool:
    arrows = views.tabBar().findChildren(QToolButton)
    return any(arrow.isVisible() for arrow in arrows)


def test_tabs_that_fit_keep_their_order_and_the_current_one():
    widths = [100, 50, 50, 50, 50]
    assert tabs_that_fit(widths, 0, 210) == [0, 1, 2]
    assert tabs_that_fit(widths, 4, 210) == [0, 1, 4]  # the current one always shows
    assert tabs_that_fit(widths, 1, 40) == [1]  # even with no room at all


def test_a_narrow_tab_lists_the_views_without_room_under_more(qtbot, tab):
    views, overflow = tab.views, tab.views.overflow
    fetch(qtbot, tab, "Pathway A")
    tab.resize(1600, 800)
    qtbot.waitUntil(lambda: views.width() > 800)
    assert overflow.hidden_views() == [] and not overflow.button.isVisible()
    tab.resize(900, 600)
    qtbot.waitUntil(lambda: views.width() < 600)
    hidden = overflow.hidden_views()
    assert hidden and overflow.button.isVisible()
    assert overflow.button.accessibleName() == "More views"
    assert not scroll_arrows_shown(views)
    bar = views.tabBar()
    shown = [i for i in range(views.count()) if views.isTabVisible(i)]
    assert bar.tabRect(shown[-1]).right() <= bar.width()  # the last shown tab whole

    overflow._fill_menu()  # what opening the menu does
    labels = [action.text() for action in overflow.menu.actions()]
    assert labels == [views.tabText(i) for i in hidden]
    overflow.menu.actions()[-1].trigger()
    assert views.currentIndex() == hidden[-1] and views.isTabVisible(hidden[-1])
    assert not scroll_arrows_shown(views)
    assert bar.tabRect(hidden[-1]).right() <= bar.width()


def test_ctrl_tab_steps_through_every_view_under_more_too(qtbot, tab):
    views = tab.views
    fetch(qtbot, tab, "Pathway A")
    tab.resize(900, 600)
    qtbot.waitUntil(lambda: bool(views.overflow.hidden_views()))
    views.setCurrentIndex(0)
    seen = [views.currentIndex()]
    for _ in range(views.count() - 1):
        QTest.keyClick(views, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
        seen.append(views.currentIndex())
    assert seen == list(range(views.count()))
    QTest.keyClick(views, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert views.currentIndex() == 0  # round again
    QTest.keyClick(views, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert views.currentIndex() == views.count() - 1
    assert views.isTabVisible(views.count() - 1)
    # Let Ctrl go, or the application goes on believing it held (a later click would be
    # taken as a Ctrl+click by whatever test runs next).
    QTest.keyRelease(views, Qt.Key.Key_Control)
