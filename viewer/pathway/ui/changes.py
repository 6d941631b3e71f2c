"""The pathway tab's "Changes" view: who completed or started what since an earlier fetch.

The comparison (``viewer.pathway.diff``) runs in the tab's ``TaskRunner`` against a saved
copy chosen in the list; the current answer is only read there. Sorting happens inside the
model. The table exports to CSV with ``export_changes``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viewer.api.errors import ApiError
from viewer.export.scopes import safe_file_name
from viewer.formats import elided, plural
from viewer.jobs import CancelToken, Progress
from viewer.pathway.data import PathwayData
from viewer.pathway.diff import CHANGE_ORDER, Change, PathwayDiff
from viewer.pathway.saved import compare_with_saved
from viewer.pathway.ui.colours import change_color
from viewer.snapshots import PATHWAY, Snapshot, SnapshotStore
from viewer.tasks import TaskRunner
from viewer.widgets.elided_label import ElidedLabel
from viewer.widgets.table_model import AnyIndex, RowTableModel
from viewer.widgets.table_view import one_line_rows
from viewer.widgets.tooltip import tooltip

COMPARE_KEY = "pathway-changes"
EXPORT_KEY = "pathway-changes-export"

#: (title, attribute of ``Change``)
COLUMNS = (
    ("Name", "name"),
    ("Email", "email"),
    ("Activity", "activity_name"),
    ("Before", "before"),
    ("After", "after"),
    ("Change", "change"),
    ("Last update", "timestamp"),
)
CHANGE_COLUMN = 5
_RANK = {kind: rank for rank, kind in enumerate(CHANGE_ORDER)}
#: The kind of change (``COMPLETED_NOW``…) of a row, asked of its Change cell: the
#: delegate colours that cell by it, in the colours of the view's palette.
KIND_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class ChangeKindDelegate(QStyledItemDelegate):
    """Colours the Change column by kind, reading the view's palette when it paints, so a
    palette changed while the app runs (a dark theme turned on) is followed."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        kind = index.data(KIND_ROLE)
        colour = change_color(kind, option.palette) if isinstance(kind, str) else None
        if colour is not None:
            option.palette.setColor(QPalette.ColorRole.Text, colour)


class ChangesModel(RowTableModel[Change]):
    """The changes of one ``PathwayDiff``, one row each."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([title for title, _attribute in COLUMNS], parent)
        self.diff: PathwayDiff | None = None

    def set_diff(self, diff: PathwayDiff | None) -> None:
        self.diff = diff
        self.set_rows(diff.changes if diff is not None else [])

    def cell(self, item: Change, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return elided(getattr(item, COLUMNS[column][1]))
        if role == Qt.ItemDataRole.ToolTipRole:
            text = f"{item.name} <{item.email}>" if item.email else item.name
            return tooltip(text, elided(f"{item.activity_name}: {item.before} → {item.after}"))
        if role == KIND_ROLE and column == CHANGE_COLUMN:
            return item.change
        return None

    def sort_key(self, column: int) -> Callable[[Change], Any]:
        attribute = COLUMNS[column][1]
        if attribute == "change":
            return lambda c: (_RANK.get(c.change, len(_RANK)), c.name.lower(), c.activity_name)
        return lambda c: (getattr(c, attribute).lower(), c.name.lower(), c.activity_name)


class ChangesPanel(QWidget):
    """Compares the shown answer with an earlier saved copy of the same query."""

    statusMessage = Signal(str)
    #: A comparison finished (with its diff) or failed (with ``None``).
    compared = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathwayChanges")
        self.runner = runner
        self.store: SnapshotStore | None = None
        self.current: PathwayData | None = None
        self._dirty = False
        self.base_choice = QComboBox(self)
        self.base_choice.setObjectName("changesBase")
        self.base_choice.setToolTip("The earlier saved copy to compare the shown answer with")
        # Sized by a fixed number of characters, not by its entries, so that filling it in
        # never widens the panel (and so never moves the tab's splitter).
        self.base_choice.setMinimumContentsLength(22)
        self.base_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.summary = ElidedLabel("", self)
        self.summary.setObjectName("changesSummary")
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setObjectName("changesExport")
        self.export_button.setEnabled(False)
        label = QLabel("Compared with:", self)
        label.setBuddy(self.base_choice)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.base_choice)
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)

        self.model = ChangesModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("changesView")
        self.view.setAccessibleName("Changes")
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(CHANGE_COLUMN, ChangeKindDelegate(self.view))
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        one_line_rows(self.view)
        header = self.view.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorClearable(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        for column, sample in enumerate(
            (
                "Siobhán Murphy",
                "name.surname@example.com",
                "Sales Targets Workshop",
                "Not started",
                "Not started",
                "log removed",
            )
        ):
            self.view.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        self.message = QLabel(self)
        self.message.setObjectName("changesMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self._say("Fetch a pathway twice to see what changed between the two fetches.")

        self.base_choice.activated.connect(self._base_chosen)
        self.export_button.clicked.connect(self._export_clicked)

    # -- what to compare ------------------------------------------------------------------

    def set_current(
        self,
        data: PathwayData | None,
        store: SnapshotStore | None,
        server: str | None,
        current: Snapshot | None,
    ) -> None:
        """The shown answer, and the saved copies it may be compared with."""
        self.runner.cancel(COMPARE_KEY)
        self.current = data
        self.store = store
        self.model.set_diff(None)
        self.export_button.setEnabled(False)
        self.summary.setText("")
        self.base_choice.clear()
        if data is None or store is None or server is None or data.query is None:
            self._say(
                "Nothing to compare: changes are shown between saved copies of a fetch."
                if data is not None
                else "Fetch a pathway to see what changed since an earlier fetch."
            )
            return
        skip = current.id if current is not None else None
        earlier = [
            s
            for s in store.for_query(server, data.query.body(), PATHWAY)
            if s.id != skip and s.fetched_at <= data.fetched_at
        ]
        now = time.time()
        for snapshot in earlier:
            self.base_choice.addItem(f"{snapshot.fetched_utc} ({snapshot.age(now)})", snapshot)
        if not earlier:
            self._say(
                "No earlier copy of this pathway and these filters is saved yet. Fetch again "
                "later to see who completed or started what in between."
            )
            return
        self.base_choice.setCurrentIndex(0)
        self._dirty = True
        if self.isVisible():
            self.compare()

    def earlier(self) -> Snapshot | None:
        snapshot = self.base_choice.currentData()
        return snapshot if isinstance(snapshot, Snapshot) else None

    @Slot(int)
    def _base_chosen(self, _index: int) -> None:
        self.compare()

    def compare(self) -> None:
        """Compare the shown answer with the chosen copy, in the background."""
        earlier, store, current = self.earlier(), self.store, self.current
        self._dirty = False
        if earlier is None or store is None or current is None:
            return
        self._say(f"Comparing with the copy from {earlier.fetched_utc}…")

        def job(cancel: CancelToken, _progress: Progress) -> PathwayDiff:
            return compare_with_saved(store, earlier, current, cancel)

        self.runner.run(job, on_success=self._compared, on_error=self._failed, key=COMPARE_KEY)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.compare()

    def _compared(self, diff: PathwayDiff) -> None:
        self.model.set_diff(diff)
        self.export_button.setEnabled(bool(diff.changes))
        self.summary.setText(diff.summary())
        if diff.changes:
            self.stack.setCurrentWidget(self.view)
        else:
            self._say("Nobody's state changed between the two copies.")
        self.compared.emit(diff)

    def _failed(self, error: ApiError) -> None:
        self._say(f"{error.title}: {error.message}")
        self.compared.emit(None)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    # -- export ---------------------------------------------------------------------------

    @Slot()
    def _export_clicked(self) -> None:
        diff = self.model.diff
        if diff is None:
            return
        name = safe_file_name(diff.pathway or "pathway", "-changes.csv")
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export changes", name, "CSV files (*.csv)"
        )
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        """Write the changes to ``path`` in the background; the status bar says how it went."""
        diff = self.model.diff
        if diff is None:
            return
        from viewer.export.changes_csv import export_changes  # loads at the first export

        self.runner.run(
            lambda _cancel, _progress: export_changes(diff, path),
            on_success=lambda count: self.statusMessage.emit(
                f"Exported {plural(count, 'change')} to {Path(path).name}"
            ),
            on_error=lambda error: self.statusMessage.emit(f"{error.title}: {error.message}"),
            key=EXPORT_KEY,
        )
