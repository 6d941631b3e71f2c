"""How the pathway tree shares its width between columns.

Email, State, Progress, Last update and Result are sized to what they hold, and Name gets
the rest (never less than its longest activity name needs), again whenever the view's width
changes. Once the user sets a column's width by hand, the widths are theirs and are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from PySide6.QtCore import QByteArray, QEvent, QObject, Slot
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QTreeView

from viewer.pathway.columns import (
    COLUMNS,
    EMAIL,
    FULFILMENT,
    GROUPS,
    LEVEL,
    NAME,
    PROGRESS,
    REQUIRED,
    RESULT,
    STATE,
    TYPE,
    UPDATED,
)
from viewer.pathway.data import STATE_LABELS, PathwayData

#: Starting widths of the tree's columns, in characters of the view's font.
_WIDTHS = (38, 16, 15, 18, 17, 30, 22, 13, 14, 10, 7)
#: The columns left to right: who and where they stand, then the e-mail that tells two
#: people of one name apart (visible at the default size); the rest may need a scroll.
ORDER: tuple[int, ...] = (NAME, STATE, PROGRESS, EMAIL, UPDATED, RESULT, GROUPS)
ORDER += (TYPE, FULFILMENT, REQUIRED, LEVEL)
#: Longest the Name column and the e-mails get by their contents, in characters.
_MOST_CHARS = 40
_MOST_EMAIL_CHARS = 28
#: What the columns sized by sample text hold at their widest.
_SAMPLES = {
    STATE: tuple(STATE_LABELS.values()),
    UPDATED: ("2000-00-00 00:00",),
    RESULT: ("Not scored yet",),
}
_PROGRESS_SAMPLE = "00000 / 00000"
_EMAIL = attrgetter("email")


class TreeColumns(QObject):
    """Fits ``tree``'s columns to its data and width until the user sizes one."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree
        #: Whether the user set a column's width (then nothing is fitted any more).
        self.by_user = False
        self._fitting = False
        self._data: PathwayData | None = None
        self._fixed: dict[int, int] = {}
        self._name = 0
        header = tree.header()
        unit = tree.fontMetrics().averageCharWidth()
        for column, chars in enumerate(_WIDTHS):
            header.resizeSection(column, chars * unit)
        for position, column in enumerate(ORDER):
            header.moveSection(header.visualIndex(column), position)
        header.sectionResized.connect(self._resized)
        tree.viewport().installEventFilter(self)

    def set_data(self, data: PathwayData | None) -> None:
        """Measure what ``data`` holds (once per answer), then fit."""
        self._data = data
        if data is not None:
            self._measure(data)
        self.fit()

    def fit(self) -> None:
        if self._data is None or self.by_user:
            return
        widths = dict(self._fixed)
        room = self.tree.viewport().width() - sum(widths.values())
        widths[NAME] = max(self._name, room)
        header = self.tree.header()
        self._fitting = True
        try:
            for column, width in widths.items():
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False

    def _measure(self, data: PathwayData) -> None:
        metrics = self.tree.fontMetrics()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        strong = QFontMetrics(bold)
        unit = metrics.averageCharWidth()
        pad = 2 * unit + 8

        def widest(texts: Sequence[str], fm: QFontMetrics, most: int) -> int:
            return min(most, max((fm.horizontalAdvance(t) for t in texts), default=0))

        # No Python call a user: this runs in the GUI thread as an answer is shown.
        emails = sorted(filter(None, map(_EMAIL, data.users)), key=len)[-50:]
        labels = sorted((a.label for a in data.activities), key=len)[-20:]
        fixed = {
            column: widest(texts, metrics, _MOST_CHARS * unit) + pad
            for column, texts in _SAMPLES.items()
        }
        fixed[STATE] += max(self.tree.iconSize().width(), 16)  # the state's icon
        fixed[EMAIL] = widest(emails, metrics, _MOST_EMAIL_CHARS * unit) + pad
        fixed[PROGRESS] = strong.horizontalAdvance(_PROGRESS_SAMPLE) + pad
        self._fixed = fixed
        indent = 2 * self.tree.indentation() + 8
        self._name = widest(labels, strong, _MOST_CHARS * unit) + indent

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.tree.viewport():
            self.fit()
        return super().eventFilter(watched, event)

    @Slot(int, int, int)
    def _resized(self, _column: int, _old: int, _new: int) -> None:
        if not self._fitting:
            self.by_user = True

    def save_state(self) -> QByteArray | None:
        """The header's state when the user sized it; none while the tree fits itself."""
        return self.tree.header().saveState() if self.by_user else None

    def restore_state(self, state: QByteArray | bytes) -> None:
        self._fitting = True
        try:
            self.tree.header().restoreState(state)
        finally:
            self._fitting = False
        self.by_user = True


assert len(_WIDTHS) == len(COLUMNS)
