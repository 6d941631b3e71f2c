"""The Progress view: completion over time, per activity or per group, from saved copies.

Every saved copy of a pathway leaves a small summary in the progress history
(``viewer.pathway.catalogue``); this view reads it in the background, never an old copy,
and charts one line per activity (for everyone or one group) or per group (for one
activity, by default all required ones together).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from viewer.api.errors import ApiError
from viewer.export.scopes import PROGRESS
from viewer.pathway.catalogue import (
    Catalogue,
    CatalogueError,
    ProgressRow,
    Series,
    series_by_activity,
    series_by_group,
)
from viewer.pathway.data import PathwayData
from viewer.pathway.groups import ALL_REQUIRED_ID, EVERYONE
from viewer.pathway.ui.progress_chart import ProgressChart
from viewer.snapshots import SnapshotStore
from viewer.tasks import TaskRunner

PROGRESS_SCOPE = PROGRESS
PROGRESS_KEY = "pathway-progress"
BY_ACTIVITY, BY_GROUP = "activity", "group"
EMPTY = (
    "History builds as copies are saved: every fetch of this pathway keeps a copy, and its "
    "counts are added here. Fetch again another day (or let a scheduled "
    "`python -m viewer export pathway …` do it) to see completion move."
)


class HistoryFailed(ApiError):
    title = "Progress history unavailable"


def _read(catalogue: Catalogue, server: str, data: PathwayData) -> list[ProgressRow]:
    """In the worker: every group's rows for the query ``data`` answered."""
    query = data.query
    assert query is not None
    try:
        return catalogue.progress_rows(server, query.pathway, filters=query.body(), groups=None)
    except CatalogueError as exc:
        raise HistoryFailed(str(exc)) from None


class ProgressView(QWidget):
    statusMessage = Signal(str)
    exportRequested = Signal(str)
    #: The history of the shown data was read and charted.
    ready = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathwayProgress")
        self.runner = runner
        self.data: PathwayData | None = None
        self.history: list[ProgressRow] = []
        self.mode = QComboBox(self)
        self.mode.setObjectName("progressMode")
        self.mode.setAccessibleName("Chart lines")
        self.mode.addItem("One line per activity", BY_ACTIVITY)
        self.mode.addItem("One line per group", BY_GROUP)
        self.choice = QComboBox(self)
        self.choice.setObjectName("progressChoice")
        self.choice.setMinimumContentsLength(12)
        self.choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.choice_label = QLabel(self)
        self.choice_label.setBuddy(self.choice)
        self.summary = QLabel(self)
        self.summary.setObjectName("progressSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        # The line may be cut short rather than widen the views.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.export_button = QPushButton("Export…", self)
        self.export_button.setObjectName("pathwayProgressExport")
        self.export_button.setToolTip("Write the charted history to a CSV or Excel file")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda: self.exportRequested.emit(PROGRESS_SCOPE))
        top = QHBoxLayout()
        top.addWidget(self.mode)
        top.addWidget(self.choice_label)
        top.addWidget(self.choice)
        top.addStretch(1)
        top.addWidget(self.export_button)
        self.chart = ProgressChart(self)
        self.message = QLabel(self)
        self.message.setObjectName("progressMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setMargin(24)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.chart)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.choice.currentIndexChanged.connect(self._redraw)
        self._say("Fetch a pathway to see how its completion moves over time.")
        self._fill_choices()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    # -- the history ----------------------------------------------------------------------

    def set_current(
        self, data: PathwayData | None, store: SnapshotStore | None, server: str | None
    ) -> None:
        """The shown answer; its pathway's history is read from beside ``store``."""
        self.runner.cancel(PROGRESS_KEY)
        self.data = data
        self.history = []
        self.export_button.setEnabled(False)
        self.summary.clear()
        if data is None:
            self._say("Fetch a pathway to see how its completion moves over time.")
            return
        if store is None or server is None or data.query is None:
            self._say("No copies are saved here, so there is no history to chart.")
            return
        self._say("Reading the progress history…")
        catalogue = Catalogue.beside(store)
        self.runner.run(
            lambda _cancel, _progress: _read(catalogue, server, data),
            on_success=partial(self._history_read, data),
            on_error=self._failed,
            key=PROGRESS_KEY,
        )

    def _history_read(self, data: PathwayData, rows: list[ProgressRow]) -> None:
        if data is not self.data:
            return
        self.history = rows
        self._fill_choices()
        self._redraw()
        self.ready.emit()

    def _failed(self, error: ApiError) -> None:
        self._say(f"{error.title}. {error.message}")
        self.statusMessage.emit(error.title)

    # -- what is charted ------------------------------------------------------------------

    def copies(self) -> int:
        return len({row.taken_at for row in self.history})

    @Slot()
    def _mode_changed(self) -> None:
        self._fill_choices()
        self._redraw()

    def _fill_choices(self) -> None:
        by_activity = self.mode.currentData() == BY_ACTIVITY
        self.choice_label.setText("Group:" if by_activity else "Activity:")
        keep = self.choice.currentData()
        entries: dict[str, str] = {}
        for row in self.history:
            if by_activity:
                entries.setdefault(row.group, "Everyone" if row.group == EVERYONE else row.group)
            else:
                entries.setdefault(row.activity_id, row.activity_name)
        if not entries:
            entries = {EVERYONE: "Everyone"} if by_activity else {ALL_REQUIRED_ID: "All required"}
        self.choice.blockSignals(True)
        self.choice.clear()
        for key, label in entries.items():
            self.choice.addItem(label, key)
        default = EVERYONE if by_activity else ALL_REQUIRED_ID
        at = self.choice.findData(keep if keep in entries else default)
        self.choice.setCurrentIndex(max(at, 0))
        self.choice.blockSignals(False)

    def shown_rows(self) -> list[ProgressRow]:
        """The rows behind the chart, oldest copy first."""
        key = self.choice.currentData()
        if self.mode.currentData() == BY_ACTIVITY:
            return [row for row in self.history if row.group == key]
        return [row for row in self.history if row.activity_id == key]

    @Slot()
    def _redraw(self) -> None:
        if self.data is None:
            return
        rows = self.shown_rows()
        copies = self.copies()
        self.export_button.setEnabled(bool(rows))
        if not rows:
            self.chart.set_series([])
            self._say(EMPTY)
            return
        key = self.choice.currentData()
        if self.mode.currentData() == BY_ACTIVITY:
            self.chart.set_series(series_by_activity(rows, key), ALL_REQUIRED_ID)
        else:
            lines = [
                Series(s.key, "Everyone", s.points) if s.key == EVERYONE else s
                for s in series_by_group(rows, key)
            ]
            self.chart.set_series(lines, EVERYONE)
        saved = "1 saved copy" if copies == 1 else f"{copies:,} saved copies"
        hint = ": fetch again later to see a line" if copies == 1 else ""
        self.summary.setText(f"Completion over {saved}{hint}")
        self.stack.setCurrentWidget(self.chart)
