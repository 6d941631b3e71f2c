"""The three views of a fetched pathway: the tree, the by-user matrix and the summary chart.

They share one quick-search field (debounced; the filtering itself runs inside the models).
The tab bar (these and the views the tab adds) never scrolls: what has no room goes into
a More menu (``view_overflow``).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QByteArray,
    QModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QScrollArea,
    QTabWidget,
    QTreeView,
    QWidget,
)

from viewer.pathway.columns import PROGRESS, STATE
from viewer.pathway.data import ActivityData, PathwayData
from viewer.pathway.search import UserSearch
from viewer.pathway.ui.chart import PathwayChart
from viewer.pathway.ui.delegates import ProgressDelegate, RoomyDelegate, StateDelegate
from viewer.pathway.ui.matrix_columns import MatrixColumns
from viewer.pathway.ui.matrix_model import FIXED_COLUMNS, PathwayMatrixModel
from viewer.pathway.ui.matrix_view import ACTIVITY_WIDTH, matrix_table
from viewer.pathway.ui.tree_columns import TreeColumns
from viewer.pathway.ui.tree_model import PathwayTreeModel
from viewer.pathway.ui.view_overflow import ViewOverflow

_SEARCH_DELAY_MS = 150
_TREE, _MATRIX, _CHART = range(3)


class PathwayViews(QTabWidget):
    """Emits ``itemSelected`` with ("pathway" | "activity" | "log" | "user", activity, row)."""

    itemSelected = Signal(str, object, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathwayViews")
        self.setDocumentMode(True)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("pathwaySearch")
        self.search_edit.setPlaceholderText("Search names, e-mails, groups (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(_SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(self._search_timer.start)

        self.tree_model = PathwayTreeModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("pathwayTree")
        self.tree.setAccessibleName("Activities and logs")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setModel(self.tree_model)
        self.tree.setItemDelegate(RoomyDelegate(self.tree))
        self.tree.setItemDelegateForColumn(PROGRESS, ProgressDelegate(self.tree))
        self.tree.setItemDelegateForColumn(STATE, StateDelegate(self.tree))
        header = self.tree.header()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorClearable(True)
        header.setStretchLastSection(False)
        self.tree.setSortingEnabled(True)
        self.tree_columns = TreeColumns(self.tree)
        self.tree.selectionModel().currentChanged.connect(self._tree_current)
        # Activities the user opened, by (ID, name): kept open across fetches, and reopened
        # when a search that hid them is cleared.
        self._open_activities: set[tuple[str | None, str | None]] = set()
        self.tree.expanded.connect(self._on_expanded)
        self.tree.collapsed.connect(self._on_collapsed)
        self.tree_model.layoutChanged.connect(self._reopen_activities)
        self.tree.verticalScrollBar().valueChanged.connect(self._offer_more_logs)

        self.matrix_model = PathwayMatrixModel(self)
        self.matrix = matrix_table(self.matrix_model, self)
        self.matrix.setAccessibleName("Matrix by user")
        self.matrix.selectionModel().currentChanged.connect(self._matrix_current)
        self.matrix_columns = MatrixColumns(self.matrix, ACTIVITY_WIDTH)

        self.chart = PathwayChart(self)
        chart_area = QScrollArea(self)
        chart_area.setObjectName("pathwayChartArea")
        chart_area.setWidgetResizable(True)
        chart_area.setWidget(self.chart)

        self.addTab(self.tree, "Activities && logs")
        self.addTab(self.matrix, "By user")
        self.addTab(chart_area, "Summary")
        #: The views without room in the tab bar go into a More menu.
        self.overflow = ViewOverflow(self)

    def tabInserted(self, index: int) -> None:
        super().tabInserted(index)
        if hasattr(self, "overflow"):
            self.overflow.arrange()

    def tabRemoved(self, index: int) -> None:
        super().tabRemoved(index)
        if hasattr(self, "overflow"):
            self.overflow.arrange()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.overflow.step(event):  # Ctrl+Tab reaches the views under More too
            super().keyPressEvent(event)

    # -- data -----------------------------------------------------------------------------

    def set_pathway_data(self, data: PathwayData | None) -> None:
        first_load = self.tree_model.pathway_data is None
        self.tree_model.set_pathway_data(data)
        self.matrix_model.set_pathway_data(data)
        self.chart.set_pathway_data(data)
        self.matrix_columns.fit()
        if data is None:
            return
        self.tree_columns.set_data(data)
        root = self.tree_model.index(0, 0)
        self.tree.expand(root)
        self._reopen_activities()
        if first_load:
            self.tree.setCurrentIndex(root)

    @Slot(QModelIndex)
    def _on_expanded(self, index: QModelIndex) -> None:
        kind, activity, _row = self.tree_model.item_at(index)
        if kind == "activity" and activity is not None:
            self._open_activities.add((activity.ID, activity.name))
            self.tree_model.warm_sort_keys(index)

    @Slot(QModelIndex)
    def _on_collapsed(self, index: QModelIndex) -> None:
        kind, activity, _row = self.tree_model.item_at(index)
        if kind == "activity" and activity is not None:
            self._open_activities.discard((activity.ID, activity.name))

    @Slot()
    def _reopen_activities(self) -> None:
        for key in list(self._open_activities):
            index = self.tree_model.activity_index(*key)
            if index.isValid() and not self.tree.isExpanded(index):
                self.tree.expand(index)

    @Slot()
    def _offer_more_logs(self) -> None:
        """When the last log an activity offers scrolls into sight, offer more of them."""
        tree, model = self.tree, self.tree_model
        index = tree.indexAt(QPoint(1, 1))
        bottom = tree.viewport().height()
        while index.isValid() and tree.visualRect(index).top() < bottom:
            parent = index.parent()
            if index.row() == model.rowCount(parent) - 1 and model.has_more_logs(parent):
                model.show_more_logs(parent)
                return
            index = tree.indexBelow(index)

    # -- search ---------------------------------------------------------------------------

    @Slot()
    def apply_search(self) -> None:
        self._search_timer.stop()
        text = self.search_edit.text()
        needle = text.strip().lower()
        if needle == self.tree_model.search_needle == self.matrix_model.search_needle:
            return
        search = UserSearch(self.tree_model.pathway_data, text)  # once for both views
        self.tree_model.set_search(text, search)
        self.matrix_model.set_search(text, search)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- selection ------------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def _tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        kind, activity, row = self.tree_model.item_at(current)
        self.itemSelected.emit(kind, activity, row)

    @Slot(QModelIndex, QModelIndex)
    def _matrix_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        data = self.matrix_model.pathway_data
        if data is None or not current.isValid():
            self.itemSelected.emit("", None, -1)
            return
        uid = self.matrix_model.user_at(current.row())
        a = current.column() - len(FIXED_COLUMNS)
        activity: ActivityData | None = (
            data.activities[a] if 0 <= a < len(data.activities) else None
        )
        if activity is not None and activity.by_user[uid] >= 0:
            self.itemSelected.emit("log", activity, activity.by_user[uid])
        else:
            self.itemSelected.emit("user", None, uid)

    # -- remembered between runs ----------------------------------------------------------

    def save(self, settings: QSettings) -> None:
        header = self.tree_columns.save_state()
        if header is not None:
            settings.setValue("pathway/treeHeader", header)
        else:  # the tree fits its columns to the data and the window again
            settings.remove("pathway/treeHeader")
        widths = self.matrix_columns.saved()
        if widths is not None:
            settings.setValue("pathway/matrixWidths", widths)
        else:  # the matrix fits its first columns to the window again
            settings.remove("pathway/matrixWidths")
        settings.setValue("pathway/view", self.currentIndex())

    def restore(self, settings: QSettings) -> None:
        state = settings.value("pathway/treeHeader")
        if isinstance(state, QByteArray | bytes) and state:
            self.tree_columns.restore_state(state)
        widths = settings.value("pathway/matrixWidths")
        if (
            isinstance(widths, list)
            and len(widths) == len(FIXED_COLUMNS)
            and all(str(width).isdigit() and int(width) > 0 for width in widths)
        ):
            self.matrix_columns.restore([int(width) for width in widths])
        view = settings.value("pathway/view", 0)
        if str(view).isdigit() and int(view) < self.count():
            self.setCurrentIndex(int(view))
