"""How the by-user matrix shares its width between its first columns and the activities.

Name, Email, Groups and Required done have a roomy width when there is room, at least
their title's. In a narrow
window they give up width, down to a compact one, so that at least a few activity columns
show beside them without scrolling: the marks are what the matrix is for. A cut e-mail or
group list is elided, and whole in its tooltip. Once the user sets one of these columns'
width by hand, the widths are theirs and are kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Slot
from PySide6.QtWidgets import QTableView

from viewer.pathway.ui.matrix_model import FIXED_COLUMNS

#: Widths of the first columns (Name, Email, Groups, Required done) in characters of the
#: view's font: with room to spare, and the least they get before the activities scroll.
ROOMY_CHARS = (20, 24, 16, 15)
COMPACT_CHARS = (14, 12, 7, 10)
#: Activity columns kept in sight beside the first columns, when the view is wide enough.
SHOWN_ACTIVITIES = 4


def shared_widths(roomy: Sequence[int], compact: Sequence[int], room: int) -> list[int]:
    """Widths for the first columns in ``room`` pixels: each gives up the same share of
    what it has above its compact width, never going below it."""
    spare = sum(roomy) - sum(compact)
    if room >= sum(roomy) or spare <= 0:
        return list(roomy)
    share = max(0.0, (room - sum(compact)) / spare)
    return [low + int((high - low) * share) for high, low in zip(roomy, compact, strict=True)]


class MatrixColumns(QObject):
    """Fits ``table``'s first columns to its width until the user sizes one of them."""

    def __init__(self, table: QTableView, activity_width: int) -> None:
        super().__init__(table)
        self.table = table
        self.activity_width = activity_width
        #: Whether the user set a first column's width (then nothing is fitted any more).
        self.by_user = False
        self._fitting = False
        unit = table.fontMetrics().averageCharWidth()
        self.roomy = [chars * unit for chars in ROOMY_CHARS]
        self.compact = [chars * unit for chars in COMPACT_CHARS]
        self.widths = list(self.roomy)
        table.horizontalHeader().sectionResized.connect(self._resized)
        table.viewport().installEventFilter(self)

    def fit(self) -> None:
        """Size the first columns for the view's width now (or as the user left them)."""
        if not self.by_user:
            model = self.table.model()
            columns = model.columnCount() if model is not None else 0
            header = self.table.horizontalHeader()
            # With room, a column's title shows whole ("Required done", sort arrow and all);
            # without, the header elides it and its tooltip names it.
            roomy = [
                max(width, header.sectionSizeHint(column))
                for column, width in enumerate(self.roomy)
            ]
            activities = min(SHOWN_ACTIVITIES, max(0, columns - len(FIXED_COLUMNS)))
            room = self.table.viewport().width() - activities * self.activity_width
            self.widths = shared_widths(roomy, self.compact, room)
        header = self.table.horizontalHeader()
        self._fitting = True
        try:
            for column, width in enumerate(self.widths):
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.fit()
        return super().eventFilter(watched, event)

    @Slot(int, int, int)
    def _resized(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and column < len(self.widths) and new > 0:
            self.by_user = True
            self.widths[column] = new

    def saved(self) -> list[int] | None:
        """The widths to remember: the user's, or none while the matrix fits itself."""
        return list(self.widths) if self.by_user else None

    def restore(self, widths: Sequence[int]) -> None:
        """The user's widths from an earlier run (the roomy defaults count as none)."""
        if len(widths) != len(self.widths) or list(widths) == self.roomy:
            return
        self.widths = list(widths)
        self.by_user = True
        self.fit()


assert len(ROOMY_CHARS) == len(COMPACT_CHARS) == len(FIXED_COLUMNS)
