"""Cells of the pathway exports, one at a time and a whole column at a time.

A column's cells are made with C-level calls where that gives the same cells as the
one-at-a-time functions: a column of ordinary text is scanned once for a first character
that could start a formula, and only a column holding one is looked at cell by cell. The
same goes for CSV quoting (``csv_texts``), which follows the ``csv`` module's minimal
quoting, so that text made here is what ``csv.writer`` writes for the same cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice, repeat
from operator import itemgetter
from typing import Any

from viewer.export.csv_file import EXACT_INTEGERS, FORMULA_STARTS, SUSPECT_STARTS, is_formula

GROUP_SEPARATOR = "; "
#: What ``csv.writer`` quotes with minimal quoting, ``,`` and CRLF line ends.
_QUOTED = (",", '"', "\r", "\n")
_FLAGS: dict[bool | None, str] = {True: "true", False: "false", None: ""}
_first = itemgetter(0)


# -- one cell ---------------------------------------------------------------------------------


def text_cell(value: str | None) -> str:
    if not value:
        return ""
    first = value[0]
    if first in SUSPECT_STARTS and (first in FORMULA_STARTS or is_formula(value)):
        return "'" + value
    return value


def flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def number(value: float | None) -> Any:
    if value is None or value != value:  # None or NaN
        return ""
    if isinstance(value, float) and value.is_integer() and -EXACT_INTEGERS < value < EXACT_INTEGERS:
        return int(value)
    return value


def groups_cell(groups: Iterable[str] | None) -> str:
    return text_cell(GROUP_SEPARATOR.join(groups)) if groups else ""


def csv_text(value: Any) -> str:
    """One ready cell as ``csv.writer`` writes it (numbers as ``str`` does)."""
    text = value if type(value) is str else str(value)
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\r" in text or "\n" in text:
        return '"' + text + '"'
    return text


def csv_line(cells: Iterable[Any]) -> str:
    """Ready cells as one CSV line, without its line end."""
    return ",".join(map(csv_text, cells))


# -- a column ---------------------------------------------------------------------------------


def text_column(values: Sequence[str | None]) -> list[str]:
    """``text_cell`` of each value."""
    texts = [value or "" for value in values]
    return neutralized(texts)


def neutralized(texts: list[str]) -> list[str]:
    """Texts with a ``'`` before each that a spreadsheet would run; ``texts`` when none."""
    firsts = set(map(_first, filter(None, texts)))
    if firsts.isdisjoint(SUSPECT_STARTS):
        return texts
    return [
        "'" + text if text and text[0] in SUSPECT_STARTS and is_formula(text) else text
        for text in texts
    ]


def flag_column(values: Iterable[bool | None]) -> list[str]:
    return list(map(_FLAGS.__getitem__, values))


def mapped_column(values: Sequence[Any], cell: Any) -> list[Any]:
    """``cell`` of each value, worked out once per distinct value (states, progress)."""
    distinct = set(values)
    if len(distinct) * 4 > len(values) + 64:
        return list(map(cell, values))
    cells = {value: cell(value) for value in distinct}
    return list(map(cells.__getitem__, values))


def csv_texts(cells: list[Any]) -> list[str]:
    """Each ready cell of a column as CSV text (``csv_text``), quick when none is quoted."""
    texts: list[str] = list(map(str, cells))
    joined = "".join(texts)
    if any(mark in joined for mark in _QUOTED):
        return list(map(csv_text, texts))
    return texts


def lines(count: int, pieces: Sequence[Iterable[str]]) -> str:
    """``count`` rows of CSV text from columns of cell texts, or texts every row shares.

    Each row's pieces are joined with ``,`` and each row ends with CRLF.
    """
    if not count:
        return ""
    rows = map(",".join, islice(zip(*pieces, strict=False), count))  # shared texts repeat
    return "\r\n".join(rows) + "\r\n"


def constant(text: str) -> Iterable[str]:
    """A piece every row of ``lines`` has."""
    return repeat(text)
