"""File > Open snapshot…: the saved copies, newest first, to show one in its tab."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
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
from viewer.widgets.table_model import RowTableModel
from viewer.widgets.table_view import one_line_rows
from viewer.widgets.tooltip import tooltip

SERVICE_NAMES = {PATHWAY: "Pathway logs", ACTIVITY: "Activity inbox"}
HEADERS = ("Service", "Pathway / query", "Server", "Saved", "Size")


def size_text(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB"
    return f"{max(1, round(count / 1000))} kB"


class SnapshotListModel(RowTableModel[Snapshot]):
    """Snapshots as rows; read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(HEADERS, parent)
        self._now = time.time()

    def set_snapshots(self, snapshots: list[Snapshot]) -> None:
        self._now = time.time()
        self.set_rows(snapshots)

    def cell(self, item: Snapshot, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return SERVICE_NAMES.get(item.service, item.service)
            if column == 1:
                return item.describe()
            if column == 2:
                return item.host
            if column == 3:
                return f"{item.fetched_utc} ({item.age(self._now)})"
            return size_text(item.size)
        if role == Qt.ItemDataRole.ToolTipRole:
            query = "; ".join(f"{k}: {v}" for k, v in sorted(item.query.items()))
            return tooltip(item.server, query, f"{size_text(item.stored)} on disk")
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
        one_line_rows(self.view)
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
        self.model.set_snapshots(self.store.snapshots())
        empty = self.model.rowCount() == 0
        self.empty.setVisible(empty)
        if not empty:
            self.view.selectRow(0)
        self._update_buttons()

    def selected(self) -> Snapshot | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

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
