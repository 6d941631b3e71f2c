"""The widgets of the inbox tab and where they sit; ``InboxTab`` makes them work.

Two rows above the list: the server's filters with Refresh and Mark all read, then the
search and "unread only", which filter what is loaded. Under the list, the note on counts
that do not add up. The status line with Look further is the tab's ``status_widget``: the
window shows it in its status bar, so there is one status line, not two.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from viewer.inbox.ui.details import InboxDetails
from viewer.inbox.ui.filters import InboxFilters
from viewer.inbox.ui.search import InboxSearch
from viewer.inbox.ui.settings import refresh_seconds
from viewer.inbox.ui.view import InboxView
from viewer.widgets.banner import Banner
from viewer.widgets.elided_label import ElidedLabel
from viewer.widgets.empty_state import EmptyState
from viewer.widgets.saved_copy import SavedCopyOffer
from viewer.widgets.service_tab import ServiceTab

#: Pages loaded within this time are saved together.
SAVE_DELAY_MS = 1500


class InboxLayout(ServiceTab):
    """The tab's widgets, made by ``_build`` once the tab's model and runner exist."""

    def _build(self) -> None:
        self.banner = Banner(self)
        self.notice = Banner(self)
        self.filters = InboxFilters(self)
        self.search = InboxSearch(self)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setToolTip("Load the newest activities again (F5)")
        self.mark_all_button = QPushButton("Mark all read…", self)
        self.mark_all_button.setObjectName("markAllRead")
        self.mark_all_button.setToolTip("Mark every activity of the chosen type as read")

        self.view = InboxView(self)
        self.list_empty = EmptyState("No activities", "", self)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.view)
        self.list_stack.addWidget(self.list_empty)
        self.details = InboxDetails(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("inboxSplitter")
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.details)
        # The list (its Title column above all) gets most of the width; details grow slowly,
        # and can be dragged shut.
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        #: Whether the panes have their first sizes (from the settings, or for the width).
        self.splitter_placed = False
        self.status_row = QWidget(self)
        self.status_row.setObjectName("inboxStatusRow")
        self.status_label = ElidedLabel("", self.status_row)
        self.status_label.setObjectName("inboxStatus")
        # The list asks for only a few pages unasked; when those showed nothing, an empty
        # view cannot be scrolled to ask for more, so this asks instead.
        self.more_button = QPushButton("Look further", self.status_row)
        self.more_button.setObjectName("inboxLookFurther")
        self.more_button.setToolTip("Load the next pages of the list")
        keep_place = self.more_button.sizePolicy()
        # Showing it must not resize the list: a resized empty view asks for more itself.
        keep_place.setRetainSizeWhenHidden(True)
        self.more_button.setSizePolicy(keep_place)
        self.more_button.hide()

        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.filters, 1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.mark_all_button)
        layout.addLayout(bar)
        quick = QHBoxLayout()
        quick.addWidget(self.search.edit, 1)
        quick.addWidget(self.filters.unread_check)
        layout.addLayout(quick)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.filters.note)
        status_bar = QHBoxLayout(self.status_row)
        status_bar.setContentsMargins(0, 0, 0, 0)
        status_bar.addWidget(self.status_label, 1)
        status_bar.addWidget(self.more_button)
        self.unconfigured = EmptyState(
            "Activity inbox",
            "No activity-log server is set up. Add one in File > Connections… (Ctrl+,), "
            "or open the demo data.",
            self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(content)
        self.stack.addWidget(self.unconfigured)
        outer = QVBoxLayout(self)
        outer.addWidget(self.banner)
        outer.addWidget(self.notice)
        outer.addWidget(self.stack, 1)
        # Until a window takes it into its status bar, the status line sits under the tab.
        outer.addWidget(self.status_row)

        self.refresh_action = QAction("Refresh", self)
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Refresh)
        f5 = QKeySequence("F5")
        self.refresh_action.setShortcuts(keys if f5 in keys else [f5, *keys])
        self.refresh_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.refresh_action)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(refresh_seconds(self.settings) * 1000)
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_DELAY_MS)
        self.saved_copy = SavedCopyOffer(self.banner, "Show the list saved for these filters")
        self.saved_copy_button = self.saved_copy.button

    def status_widget(self) -> QWidget:
        return self.status_row

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.splitter_placed and self.isVisible() and self.splitter.width() > 0:
            self.splitter_placed = True
            width = self.splitter.width()
            # An empty details pane is of no use; the list's Title column needs the room
            # more, most of all at small sizes.
            details = details_width(width)
            self.splitter.setSizes([width - details, details])


def details_width(width: int) -> int:
    """The details pane's first width in a splitter ``width`` wide: it grows slowly."""
    return min(width // 3, 60 + width * 15 // 100)
