"""What the cells of the pathway tree show, worked out a whole row at a time.

A paint asks seven or more roles of every cell, and each question is a call from Qt into
Python; answered one by one, a log cell's texts (a formatted time, a joined group list, a
percentage) were made again for every role and every repaint. The tree model instead asks
``log_cells``, ``activity_cells`` or ``pathway_cells`` once for a row, keeps the answer for
the rows in sight, and answers each role by looking it up (``SLOT``).

Tooltips are worked out only when asked for (a hover), and a bar's colour is kept as its
state code, so a palette changed while the app runs still gives the right colour.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont

from viewer.formats import elided, fraction, local_time, percent
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
from viewer.pathway.data import COMPLETED, OTHER, STATE_LABELS, ActivityData, PathwayData
from viewer.pathway.ui.style import (
    ALIGN_CENTER,
    ALIGN_RIGHT,
    ALIGNMENT,
    DECORATION,
    DISPLAY,
    FONT,
    PROGRESS_ROLE,
    STATE_ROLE,
    state_icon,
    tooltip,
)

#: Where a cell keeps each role a paint asks for.
SLOT = {DISPLAY: 0, DECORATION: 1, STATE_ROLE: 2, FONT: 3, ALIGNMENT: 4, PROGRESS_ROLE: 5}
#: Where a cell keeps the state code its bar is coloured by (``None``: no colour of its own).
BAR_CODE = 6
#: One cell: the values of ``SLOT``, then ``BAR_CODE``.
Cell = tuple[Any, ...]
#: One row: a cell per column.
Row = tuple[Cell, ...]
_BLANK: Cell = (None,) * 7
BLANK_ROW: Row = (_BLANK,) * len(COLUMNS)


def _text(text: str) -> Cell:
    return (elided(text), None, None, None, None, None, None)


def state_text(activity: ActivityData, row: int) -> str:
    code = activity.states[row]
    if code == OTHER:
        return activity.state_text[row] or STATE_LABELS[OTHER]
    return STATE_LABELS[code]


def log_cells(data: PathwayData, activity: ActivityData, row: int, summary: str) -> Row:
    """The cells of log ``row`` of ``activity``; ``summary`` is its result's text."""
    user = data.users[activity.users[row]]
    code = activity.states[row]
    value = activity.progress[row]
    cells = list(BLANK_ROW)
    cells[NAME] = _text(user.name)
    cells[EMAIL] = _text(user.email or "")
    cells[GROUPS] = _text(", ".join(user.groups))
    shown = elided(state_text(activity, row))
    cells[STATE] = (shown, state_icon(code), code, None, None, None, None)
    share = None if value != value else value / 100.0
    cells[PROGRESS] = (percent(value), None, None, None, None, share, code)
    cells[UPDATED] = _text(local_time(activity.timestamps[row]))
    cells[RESULT] = _text(summary)
    return tuple(cells)


def activity_cells(activity: ActivityData, matching: int | None, bold: QFont) -> Row:
    """The cells of an activity's row; ``matching``: its logs a search lets through."""
    cells = list(BLANK_ROW)
    cells[NAME] = (elided(activity.label), None, None, bold, None, None, None)
    total = activity.total
    share = activity.completed / total if total else 0.0
    done = fraction(activity.completed, total)
    cells[PROGRESS] = (done, None, None, None, None, share, COMPLETED)
    cells[TYPE] = _text(activity.type or "")
    cells[FULFILMENT] = _text(activity.fulfilment_type or "")
    required = "" if activity.required is None else ("Yes" if activity.required else "No")
    cells[REQUIRED] = (required, None, None, None, ALIGN_CENTER, None, None)
    level = "" if activity.level is None else str(activity.level)
    cells[LEVEL] = (level, None, None, None, ALIGN_CENTER, None, None)
    if matching is not None:
        cells[STATE] = _text(f"{matching:,} matching")
    return tuple(cells)


def pathway_cells(data: PathwayData, bold: QFont) -> Row:
    """The cells of the pathway's row."""
    cells = list(BLANK_ROW)
    name = data.pathway.name or data.pathway.ID or "Pathway"
    cells[NAME] = (elided(name), None, None, bold, None, None, None)
    cells[TYPE] = _text(data.pathway.type or "")
    total = data.log_count
    completed = data.state_counts()[COMPLETED]
    share = completed / total if total else 0.0
    cells[PROGRESS] = (fraction(completed, total), None, None, None, None, share, None)
    cells[LEVEL] = (None, None, None, None, ALIGN_RIGHT, None, None)
    return tuple(cells)


def log_tooltip(
    data: PathwayData, activity: ActivityData, row: int, column: int, summary: str
) -> str | None:
    user = data.users[activity.users[row]]
    if column == NAME:
        return tooltip(user.name, user.email, ", ".join(user.groups))
    if column == GROUPS:
        return tooltip(*user.groups)
    if column == EMAIL:  # whole, where the column shows it cut
        return tooltip(user.email)
    if column == RESULT:
        return tooltip(summary)
    if column == UPDATED:
        return tooltip(activity.timestamps[row])
    if column == STATE:
        return tooltip(activity.state_text[row])
    return None


def activity_tooltip(activity: ActivityData, column: int) -> str | None:
    return tooltip(activity.label, activity.ID) if column == NAME else None


def pathway_tooltip(data: PathwayData, column: int) -> str | None:
    return tooltip(data.pathway.name, data.pathway.ID) if column == NAME else None
