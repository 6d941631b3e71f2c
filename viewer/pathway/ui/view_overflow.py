"""The pathway views' tab bar at small sizes: the views without room go into a More menu.

Seven views do not fit a tab bar beside the filter and details panes below about 1,000
pixels, and a scrolling tab bar hides views behind two small arrows. Instead the tabs that
fit stay in the bar, in their order, with the current view always among them, and a "More"
button at the bar's end lists the rest. Ctrl+Tab and Ctrl+Shift+Tab (Ctrl+Page Down and
Up) still step through every view, shown in the bar or not.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QMenu, QTabWidget, QToolButton

_NEXT = {Qt.Key.Key_Tab, Qt.Key.Key_PageDown}
_PREVIOUS = {Qt.Key.Key_Backtab, Qt.Key.Key_PageUp}


def tabs_that_fit(widths: list[int], current: int, room: int) -> list[int]:
    """Which tabs to show in ``room`` pixels: ``current`` and those before the first that
    does not fit, in order (so the bar does not reshuffle as the current view changes)."""
    used = widths[current] if 0 <= current < len(widths) else 0
    shown = {current}
    for index, width in enumerate(widths):
        if index == current:
            continue
        if used + width > room:
            break
        shown.add(index)
        used += width
    return sorted(i for i in shown if 0 <= i < len(widths))


class ViewOverflow(QObject):
    """Keeps ``tabs``'s bar from scrolling, with a More menu for the views left out."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.button = QToolButton(tabs)
        self.button.setObjectName("pathwayMoreViews")
        self.button.setText("More")
        self.button.setAccessibleName("More views")
        self.button.setToolTip("The views without room in the tab bar")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setAutoRaise(True)
        self.menu = QMenu(self.button)
        self.menu.setObjectName("pathwayMoreViewsMenu")
        self.menu.aboutToShow.connect(self._fill_menu)
        self.button.setMenu(self.menu)
        self.button.hide()
        tabs.setCornerWidget(self.button, Qt.Corner.TopRightCorner)
        tabs.currentChanged.connect(self.arrange)
        tabs.installEventFilter(self)

    def hidden_views(self) -> list[int]:
        """The tabs now listed under More, in their order."""
        return [i for i in range(self.tabs.count()) if not self.tabs.isTabVisible(i)]

    @Slot()
    def arrange(self) -> None:
        """Show the tabs that fit the bar's width now; the others go under More."""
        tabs, bar = self.tabs, self.tabs.tabBar()
        count = tabs.count()
        widths = [bar.tabSizeHint(index).width() for index in range(count)]
        if sum(widths) <= tabs.width():
            shown = list(range(count))
        else:
            room = tabs.width() - self.button.sizeHint().width()
            shown = tabs_that_fit(widths, tabs.currentIndex(), room)
        for index in range(count):
            if tabs.isTabVisible(index) != (index in shown):
                tabs.setTabVisible(index, index in shown)
        self.button.setVisible(len(shown) < count)

    def show_view(self, index: int) -> None:
        """Make view ``index`` current, in the bar even when it was under More."""
        if 0 <= index < self.tabs.count():
            self.tabs.setTabVisible(index, True)
            self.tabs.setCurrentIndex(index)
            self.arrange()

    def step(self, event: QKeyEvent) -> bool:
        """Ctrl+Tab and its kin: to the next or previous view, hidden or not."""
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False
        key = Qt.Key(event.key())
        back = key in _PREVIOUS or (
            key == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        if key not in _NEXT and key not in _PREVIOUS:
            return False
        count = self.tabs.count()
        if count:
            self.show_view((self.tabs.currentIndex() + (-1 if back else 1)) % count)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tabs and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.arrange()
        return super().eventFilter(watched, event)

    @Slot()
    def _fill_menu(self) -> None:
        self.menu.clear()
        for index in self.hidden_views():
            action = self.menu.addAction(self.tabs.tabText(index))
            action.setToolTip(self.tabs.tabToolTip(index))
            action.triggered.connect(lambda _checked=False, i=index: self.show_view(i))
