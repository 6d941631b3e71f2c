"""The inbox list: a table without a grid, with mail-client keys and a context menu.

A QTableView, not a QTreeView: Qt 6's tree view asks the model to fetch more on every item
layout until the viewport is filled and beyond, which would page through the whole log; the
table view fetches only when its last row comes into sight.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QPoint, Qt, Slot
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from viewer.inbox.rows import Column
from viewer.inbox.ui.model import InboxModel

#: Type and Subtype widths in characters of the bold font: room for "Connection", and for
#: most subtypes; a longer one is elided, whole in its tooltip. Title gets what is left.
_CHARS = {Column.TYPE: 11, Column.SUBTYPE: 17}
_STATE_WIDTH = 48
#: The widest texts of the When column (``viewer.formats.date_time``).
_LONGEST_WHENS = ("Yesterday 00:00", "28 Sep 2025 00:00")


class InboxView(QTableView):
    """Rows of activities. ``mark_read_action`` and friends act on the selected rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inboxView")
        self.setAccessibleName("Activities")
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setTabKeyNavigation(False)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setHighlightSections(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)

        self.mark_read_action = self._action("Mark as &read", "R")
        self.mark_unread_action = self._action("Mark as &unread", "U")
        self.toggle_read_action = self._action("&Toggle read", "M")
        self.next_action = self._action("&Next", "J")
        self.previous_action = self._action("&Previous", "K")
        self.next_action.triggered.connect(lambda: self.move_current(1))
        self.previous_action.triggered.connect(lambda: self.move_current(-1))

    def _action(self, text: str, key: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def inbox_model(self) -> InboxModel | None:
        model = self.model()
        return model if isinstance(model, InboxModel) else None

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        # Room for the longest date and time, in bold (unread rows).
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        unit = metrics.averageCharWidth()
        widths = {column: chars * unit + 16 for column, chars in _CHARS.items()}
        widths[Column.STATE] = _STATE_WIDTH
        widths[Column.WHEN] = max(map(metrics.horizontalAdvance, _LONGEST_WHENS)) + 16
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)

    # -- selection ----------------------------------------------------------------------

    def selected_uuids(self) -> list[str]:
        """The selected activities top to bottom, or the current one when none is selected."""
        model = self.inbox_model()
        if model is None:
            return []
        rows = sorted(index.row() for index in self.selectionModel().selectedRows())
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        return [a.uuid for a in map(model.activity, rows) if a is not None]

    def current_uuid(self) -> str | None:
        model = self.inbox_model()
        index = self.currentIndex()
        activity = model.activity(index.row()) if model and index.isValid() else None
        return activity.uuid if activity else None

    def select_uuids(self, uuids: list[str], current: str | None) -> None:
        """Select the rows of ``uuids`` that are loaded; make ``current`` the current row."""
        model = self.inbox_model()
        if model is None:
            return
        selection = self.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for uuid in uuids:
            row = model.row_of(uuid)
            if row >= 0 and uuid != current:
                selection.select(model.index(row, 0), flags)
        row = model.row_of(current) if current else -1
        if row >= 0:
            index = model.index(row, 0)
            selection.setCurrentIndex(index, flags)
            self.scrollTo(index)

    @Slot(int)
    def move_current(self, step: int) -> None:
        """Make the row ``step`` away current and the only one selected (j and k)."""
        model = self.inbox_model()
        if model is None or model.rowCount() == 0:
            return
        current = self.currentIndex()
        row = current.row() + step if current.isValid() else 0
        if row >= model.rowCount():
            if model.has_more:
                model.fetchMore()
            return
        index = model.index(max(0, row), 0)
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)

    @Slot(QPoint)
    def _show_menu(self, position: QPoint) -> None:
        index = self.indexAt(position)
        if not index.isValid():
            return
        if not self.selectionModel().isRowSelected(index.row(), index.parent()):
            self.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        menu = QMenu(self)
        menu.addAction(self.mark_read_action)
        menu.addAction(self.mark_unread_action)
        menu.addAction(self.toggle_read_action)
        menu.exec(self.viewport().mapToGlobal(position))
        menu.deleteLater()
