"""File > Open snapshot…: the saved copies, newest first, to show one in its tab."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viewer.snapshots import ACTIVITY, PATHWAY, Snapshot, SnapshotStore
from viewer.widgets.table_model import AnyIndex
from viewer.widgets.tooltip import tooltip

SERVICE_NAMES = {PATHWAY: "Pathway logs", ACTIVITY: "Activity inbox"}
HEADERS = ("Service", "Pathway / query", "Server", "Saved", "Size")


def size_text(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB"
    return f"{max(1, round(count / 1000))} kB"


class SnapshotListModel(QAbstractTableModel):
    """Snapshots as rows; read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Snapshot] = []
        self._now = time.time()

    def set_snapshots(self, snapshots: list[Snapshot]) -> None:
        self.beginResetModel()
        self._rows = list(snapshots)
        self._now = time.time()
        self.endResetModel()

    def snapshot(self, row: int) -> Snapshot | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        snapshot = self.snapshot(index.row()) if index.isValid() else None
        if snapshot is None or not 0 <= index.column() < len(HEADERS):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return SERVICE_NAMES.get(snapshot.service, snapshot.service)
            if column == 1:
                return snapshot.describe()
            if column == 2:
                return snapshot.host
            if column == 3:
                return f"{snapshot.fetched_utc} ({snapshot.age(self._now)})"
            return size_text(snapshot.size)
        if role == Qt.ItemDataRole.ToolTipRole:
            query = "; ".join(f"{k}: {v}" for k, v in sorted(snapshot.query.items()))
            return tooltip(snapshot.server, query, f"{size_text(snapshot.stored)} on disk")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SnapshotDialog(QDialog):
    """Lists the store's snapshots; Open emits ``chosen`` with the selected one."""

    chosen = Signal(object)

    def __init__(self, store: SnapshotStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("snapshotDialog")
        self.setWindowTitle("Open snapshot")
        self.store = store
        self.model = SnapshotListModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("snapshotList")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        vertical = self.view.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        intro = QLabel(
            "Answers saved after each successful fetch. Open one to see it in its tab, "
            "for example when the server cannot be reached.",
            self,
        )
        intro.setWordWrap(True)
        self.empty = QLabel("No snapshots are saved yet.", self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = QPushButton("Open", self)
        self.open_button.setObjectName("openSnapshot")
        self.open_button.setDefault(True)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName("deleteSnapshot")
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.view.doubleClicked.connect(self.open_selected)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.resize(820, 380)
        self.reload()

    def reload(self) -> None:
        self.model.set_snapshots(self.store.list())
        empty = self.model.rowCount() == 0
        self.empty.setVisible(empty)
        if not empty:
            self.view.selectRow(0)
        self._update_buttons()

    def selected(self) -> Snapshot | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.snapshot(rows[0].row()) if rows else None

    @Slot()
    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.open_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    @Slot()
    def open_selected(self) -> None:
        snapshot = self.selected()
        if snapshot is not None:
            self.chosen.emit(snapshot)
            self.accept()

    @Slot()
    def delete_selected(self) -> None:
        snapshot = self.selected()
        if snapshot is not None:
            self.store.delete(snapshot)
            self.reload()
