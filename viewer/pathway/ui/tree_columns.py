"""How the pathway tree shares its width between columns.

State, Progress, Result, Email and Last update are sized to what they hold, and Name gets
the rest (never less than its longest activity name needs), again whenever the view's width
changes. When the view is too narrow for all six, the e-mails give up width first (their
start, which tells people apart, stays in sight; whole in their tooltip), then Name and
Result share the loss, down to a compact width each; below that Email and Last update go
off to the right, so that Name, State, Progress and Result still show. Once the user sets
a column's width by hand, the widths are theirs and are kept.
"""

from __future__ import annotations

from collections.abc import Sequence

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
from viewer.pathway.data import STATE_LABELS, PathwayData, longest_emails
from viewer.pathway.ui.matrix_columns import shared_widths

#: Starting widths of the tree's columns, in characters of the view's font.
_WIDTHS = (38, 16, 15, 18, 17, 30, 22, 13, 14, 10, 7)
#: The columns left to right: who and where they stand (kept in sight in a narrow window),
#: then the e-mail that tells two people of one name apart and the time (visible at the
#: default size); the rest may need a scroll.
ORDER: tuple[int, ...] = (NAME, STATE, PROGRESS, RESULT, EMAIL, UPDATED, GROUPS)
ORDER += (TYPE, FULFILMENT, REQUIRED, LEVEL)
#: The columns fitted to the view's width, and those of them kept in sight at any width.
FITTED = ORDER[:6]
ESSENTIAL = ORDER[:4]
#: Longest the Name column and the e-mails get by their contents, in characters.
_MOST_CHARS = 40
_MOST_EMAIL_CHARS = 28
#: The least a column is given before it goes off to the right, in characters.
_LEAST_CHARS = {NAME: 22, EMAIL: 16, RESULT: 10}
#: Who gives up width when there is too little, in turn: each group down to its least.
_GIVING_UP = ((EMAIL,), (NAME, RESULT))
#: What the columns sized by sample text hold at their widest.
_SAMPLES = {
    STATE: tuple(STATE_LABELS.values()),
    UPDATED: ("2000-00-00 00:00",),
    RESULT: ("Not scored yet",),
}


def fitted_widths(natural: dict[int, int], least: dict[int, int], room: int) -> dict[int, int]:
    """Widths for the fitted columns in ``room`` pixels.

    With room to spare Name takes it; short of room the columns of ``_GIVING_UP`` give up
    width in turn, each group sharing its loss, down to their ``least`` widths; with less
    room still, the essential columns share what there is and the others stay at their
    least (off to the right, reached by scrolling).
    """
    widths = dict(natural)
    spare = room - sum(widths.values())
    if spare >= 0:
        widths[NAME] += spare
        return widths
    for group in _GIVING_UP:
        high = [widths[c] for c in group]
        low = [min(least.get(c, widths[c]), widths[c]) for c in group]
        target = sum(high) + spare  # what the group may keep
        shared = shared_widths(high, low, max(target, sum(low)))
        spare += sum(high) - sum(shared)
        widths.update(zip(group, shared, strict=True))
        if spare >= 0:
            return widths
    essential = [c for c in ESSENTIAL if c in widths]
    high = [natural[c] for c in essential]
    low = [widths[c] for c in essential]
    squeezed = shared_widths(high, low, room) if room >= sum(low) else low
    widths.update(zip(essential, squeezed, strict=True))
    return widths


class TreeColumns(QObject):
    """Fits ``tree``'s columns to its data and width until the user sizes one."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree
        #: Whether the user set a column's width (then nothing is fitted any more).
        self.by_user = False
        self._fitting = False
        self._data: PathwayData | None = None
        #: Each fitted column's width by what it holds, and the least it is given.
        self._natural: dict[int, int] = {}
        self._least: dict[int, int] = {}
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
        widths = fitted_widths(self._natural, self._least, self.tree.viewport().width())
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
        pad = unit + 6  # the cell's margins, and a little air

        def widest(texts: Sequence[str], fm: QFontMetrics, most: int) -> int:
            return min(most, max((fm.horizontalAdvance(t) for t in texts), default=0))

        # Worked out in the worker, for most answers: this runs as an answer is shown.
        emails = longest_emails(data.users) if data.long_emails is None else data.long_emails
        labels = sorted((a.label for a in data.activities), key=len)[-20:]
        fixed = {
            column: widest(texts, metrics, _MOST_CHARS * unit) + pad
            for column, texts in _SAMPLES.items()
        }
        fixed[STATE] += max(self.tree.iconSize().width(), 16)  # the state's icon
        fixed[EMAIL] = widest(emails, metrics, _MOST_EMAIL_CHARS * unit) + pad
        # The pathway's row is the widest: "completed / logs", in bold.
        digits = "0" * len(f"{max(data.log_count, 100):,}")
        fixed[PROGRESS] = strong.horizontalAdvance(f"{digits} / {digits}") + pad
        indent = 2 * self.tree.indentation() + 8
        fixed[NAME] = widest(labels, strong, _MOST_CHARS * unit) + indent
        self._natural = fixed
        self._least = {column: chars * unit for column, chars in _LEAST_CHARS.items()}

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
