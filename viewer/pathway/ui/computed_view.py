"""The base of the pathway views whose rows are worked out from the data in the background.

The groups and follow-up views count over every user and activity: 80-200 ms at 400,000
logs, too long for the GUI thread. Each hands ``compute`` to the tab's ``TaskRunner`` when
data arrives and the view is shown (or once it is shown: views nobody opens cost nothing);
a newer answer cancels the older count and drops its late rows. Until the rows are there
the view says so in place of its table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viewer.api.errors import ApiError
from viewer.pathway.data import PathwayData
from viewer.tasks import TaskRunner
from viewer.widgets.table_model import RowTableModel
from viewer.widgets.table_view import one_line_rows

Row = TypeVar("Row")


class ComputedView(QWidget, Generic[Row]):
    """A summary line, buttons, and a sortable table of rows computed off the GUI thread."""

    statusMessage = Signal(str)
    #: The rows for the shown data are in the table.
    ready = Signal()
    #: Export… was pressed: the tab's export dialog opens on this view's scope.
    exportRequested = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        model: RowTableModel[Row],
        *,
        name: str,
        scope: str,
        waiting: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.runner = runner
        self.data: PathwayData | None = None
        self.model = model
        self.scope = scope
        self._key = f"{name}-rows"
        self._waiting = waiting
        #: The rows are to be counted when the view is next shown.
        self._stale = False
        self.summary = QLabel(self)
        self.summary.setObjectName(f"{name}Summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.export_button = QPushButton("Export…", self)
        self.export_button.setObjectName(f"{name}Export")
        self.export_button.setToolTip("Write this list to a CSV or Excel file (Ctrl+E)")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda: self.exportRequested.emit(self.scope))
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.export_button)

        self.table = QTableView(self)
        self.table.setObjectName(f"{name}Table")
        self.table.setModel(model)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        one_line_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorClearable(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)  # the text column stretches (``fit_columns``)
        #: The column that takes the view's spare width, and the least each column gets.
        self.stretch = model.columnCount() - 1
        self._least: dict[int, int] = {}
        #: Whether the user set a column's width (then nothing is fitted any more).
        self.sized_by_user = False
        self._fitting = False
        header.sectionResized.connect(self._section_resized)
        self.table.viewport().installEventFilter(self)
        self.table.setSortingEnabled(True)  # after the indicator: unsorted until asked
        self.message = QLabel(self)
        self.message.setObjectName(f"{name}Message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        self.say("Fetch a pathway to see this view.")

    def set_widths(self, samples: Sequence[str], *, stretch: int | None = None) -> None:
        """Column widths that fit ``samples`` (one text per column, a title or longer).

        ``stretch`` (the last column unless said) is a text column: it takes the view's
        spare width, so a long activity name shows whole while the counts keep the width
        they need (a stretched last number column would only push the text into "…").
        """
        metrics = self.fontMetrics()
        if stretch is not None:
            self.stretch = stretch
        for column, sample in enumerate(samples):
            least = metrics.horizontalAdvance(sample) + 16
            self._least[column] = least
            self._set_width(column, least)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Give the stretch column what the others leave of the view (never less than its
        sample), until the user sizes a column by hand."""
        if self.sized_by_user:
            return
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(header.count()) if c != self.stretch)
        room = self.table.viewport().width() - others
        self._set_width(self.stretch, max(self._least.get(self.stretch, 0), room))

    def _set_width(self, column: int, width: int) -> None:
        self._fitting = True
        try:
            self.table.setColumnWidth(column, width)
        finally:
            self._fitting = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.fit_columns()
        return super().eventFilter(watched, event)

    @Slot(int, int, int)
    def _section_resized(self, _column: int, _old: int, _new: int) -> None:
        if not self._fitting:
            self.sized_by_user = True

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    # -- the rows -------------------------------------------------------------------------

    def compute(self, data: PathwayData) -> Callable[[], list[Row]]:
        """What the worker runs to make the rows of ``data`` (it must touch no widget)."""
        raise NotImplementedError

    def describe(self, rows: list[Row]) -> str:
        """The summary line over the table."""
        raise NotImplementedError

    def set_pathway_data(self, data: PathwayData | None) -> None:
        self.data = data
        self.runner.cancel(self._key)
        self.model.set_rows([])
        self.export_button.setEnabled(False)
        self.summary.clear()
        if data is None:
            self.say("Fetch a pathway to see this view.")
            return
        self.say(self._waiting)
        self.recompute()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.recompute()

    def recompute(self) -> None:
        """Count again, now if the view is shown, else once it is (no work for unseen views)."""
        data = self.data
        self._stale = data is not None and not self.isVisible()
        if data is None or self._stale:
            return
        work = self.compute(data)
        self.runner.run(
            lambda _cancel, _progress: work(),
            on_success=partial(self._rows_ready, data),
            on_error=self._failed,
            key=self._key,
        )

    def _rows_ready(self, data: PathwayData, rows: list[Any]) -> None:
        if data is not self.data:
            return
        self.model.set_rows(rows)
        self.summary.setText(self.describe(rows))
        self.export_button.setEnabled(bool(rows))
        self.stack.setCurrentWidget(self.table)
        self.rows_shown(rows)
        self.ready.emit()

    def rows_shown(self, rows: list[Row]) -> None:
        """Called once the rows are in the table (a view may enable its buttons)."""

    def _failed(self, error: ApiError) -> None:
        self.say(f"{error.title}: {error.message}")
        self.statusMessage.emit(error.title)

    def rows(self) -> list[Row]:
        """The rows in the order shown."""
        return [row for r in range(self.model.rowCount()) if (row := self.model.row_at(r))]
