"""A table whose first columns stay in place while the others scroll sideways.

Qt's own answer to frozen columns: a second table view over the first columns of the
main one, on the same model and the same selection model, kept in step with it (section
widths, row heights, vertical scrolling, the sort indicator). The main view keeps the
focus, so keyboard navigation, the current index and every signal stay its own; clicks on
the overlay reach the shared selection model and so the main view's current index too.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView, QWidget

_Index = QModelIndex | QPersistentModelIndex
_VISIBLE = QAbstractItemView.ScrollHint.EnsureVisible


class FrozenColumnsTable(QTableView):
    """A ``QTableView`` whose first ``frozen`` columns do not scroll horizontally.

    ``self.frozen`` is the overlay; give it the same delegates for those columns as the
    main view. Sorting enabled on the main view is enabled on the overlay too.
    """

    def __init__(self, frozen: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = frozen
        self._syncing = False
        self.frozen = QTableView(self)
        overlay = self.frozen
        overlay.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        overlay.setFrameShape(QFrame.Shape.NoFrame)
        overlay.verticalHeader().hide()
        overlay.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        overlay.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The same pixel offsets in both views, so rows line up whatever the scroll step.
        for view in (self, overlay):
            view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
            view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.viewport().stackUnder(overlay)
        # A line where the scrolling columns pass under the frozen ones.
        overlay.setStyleSheet("QTableView { border: none; border-right: 1px solid palette(mid); }")
        overlay.horizontalHeader().setSectionsClickable(True)
        self.horizontalHeader().sectionResized.connect(self._main_resized)
        overlay.horizontalHeader().sectionResized.connect(self._overlay_resized)
        self.verticalHeader().sectionResized.connect(self._row_resized)
        self.verticalScrollBar().valueChanged.connect(overlay.verticalScrollBar().setValue)
        overlay.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.horizontalHeader().sortIndicatorChanged.connect(self._main_sorted)
        overlay.horizontalHeader().sortIndicatorChanged.connect(self._overlay_sorted)
        overlay.show()

    @property
    def frozen_count(self) -> int:
        return self._count

    def frozen_width(self) -> int:
        """How wide the overlay is: the frozen columns of the main view."""
        return sum(
            self.columnWidth(column)
            for column in range(self._count)
            if not self.isColumnHidden(column)
        )

    # -- kept in step -------------------------------------------------------------------

    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self.model()
        if old is not None:
            for signal in (old.modelReset, old.layoutChanged, old.columnsInserted):
                signal.disconnect(self._columns_changed)
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        if model is not None:
            model.modelReset.connect(self._columns_changed)
            model.layoutChanged.connect(self._columns_changed)
            model.columnsInserted.connect(self._columns_changed)
        self._columns_changed()

    def setSortingEnabled(self, enable: bool) -> None:
        super().setSortingEnabled(enable)
        self.frozen.setSortingEnabled(enable)

    def sync_rows(self) -> None:
        """Give the overlay the main view's row layout (call after changing it)."""
        main, overlay = self.verticalHeader(), self.frozen.verticalHeader()
        overlay.setSectionResizeMode(
            main.sectionResizeMode(0) if main.count() else QHeaderView.ResizeMode.Fixed
        )
        overlay.setDefaultSectionSize(main.defaultSectionSize())
        overlay.setMinimumSectionSize(main.minimumSectionSize())
        self.frozen.setWordWrap(self.wordWrap())
        self.frozen.setShowGrid(self.showGrid())
        self.frozen.setSelectionBehavior(self.selectionBehavior())
        self.frozen.setSelectionMode(self.selectionMode())
        self.frozen.setAlternatingRowColors(self.alternatingRowColors())

    @Slot()
    def _columns_changed(self) -> None:
        model = self.model()
        columns = model.columnCount() if model is not None else 0
        header = self.frozen.horizontalHeader()
        for column in range(columns):
            self.frozen.setColumnHidden(column, column >= self._count)
        self._syncing = True
        for column in range(min(self._count, columns)):
            header.resizeSection(column, self.columnWidth(column))
        self._syncing = False
        main = self.horizontalHeader()
        if header.sortIndicatorSection() != main.sortIndicatorSection():
            self._overlay_sorted(main.sortIndicatorSection(), main.sortIndicatorOrder())
        self._place_overlay()

    @Slot(int, int, int)
    def _main_resized(self, column: int, _old: int, new: int) -> None:
        if column < self._count and not self._syncing:
            self._syncing = True
            self.frozen.setColumnWidth(column, new)
            self._syncing = False
        self._place_overlay()

    @Slot(int, int, int)
    def _overlay_resized(self, column: int, _old: int, new: int) -> None:
        # Dragging a divider of the overlay's header resizes the main view's column.
        if column < self._count and not self._syncing:
            self._syncing = True
            self.setColumnWidth(column, new)
            self._syncing = False
            self._place_overlay()

    @Slot(int, int, int)
    def _row_resized(self, row: int, _old: int, new: int) -> None:
        self.frozen.setRowHeight(row, new)

    @Slot(int, Qt.SortOrder)
    def _main_sorted(self, column: int, order: Qt.SortOrder) -> None:
        self._mirror_sort(self.frozen.horizontalHeader(), column, order)

    @Slot(int, Qt.SortOrder)
    def _overlay_sorted(self, column: int, order: Qt.SortOrder) -> None:
        self._mirror_sort(self.horizontalHeader(), column, order)

    def _mirror_sort(self, header: QHeaderView, column: int, order: Qt.SortOrder) -> None:
        if self._syncing:
            return
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (column, order):
            return
        self._syncing = True
        try:
            header.setSortIndicator(column, order)
        finally:
            self._syncing = False

    def _place_overlay(self) -> None:
        frame = self.frameWidth()
        vertical = self.verticalHeader()
        left = frame + (vertical.width() if not vertical.isHidden() else 0)
        header = self.horizontalHeader()
        self.frozen.horizontalHeader().setFixedHeight(header.height())
        self.frozen.setGeometry(
            left, frame, self.frozen_width(), self.viewport().height() + header.height()
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_overlay()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self._place_overlay()

    # -- the current cell never hides under the overlay ---------------------------------

    def scrollTo(
        self,
        index: _Index,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        bar = self.horizontalScrollBar()
        if index.column() < self._count:
            # A frozen cell is always in view sideways: scroll only to its row.
            keep = bar.value()
            super().scrollTo(index, hint)
            bar.setValue(keep)
            return
        super().scrollTo(index, hint)
        hidden = self.frozen_width() - self.visualRect(index).left()
        if hidden > 0:
            bar.setValue(bar.value() - hidden)
