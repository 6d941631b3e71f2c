"""Writing Excel workbooks that never exist half-written, with cells of the right kind.

Rows arrive as for CSV (cells made by ``csv_file.cell``, text neutralized against formulas)
and each column declares its kind (``TEXT``, ``NUMBER``, ``BOOL``, ``DATETIME``, ``PERCENT``,
``SHARE`` or ``AUTO``): ``"true"``/``"false"`` become booleans, ISO times become date-times
(in UTC: Excel has no time zones), percentages get a ``%`` format. A cell that does not fit
its column's kind is written as text. Text is always an inline string, never a formula or a
link, so a neutralized ``'=1+1`` is written back as ``=1+1``: in a workbook a string is
never run. Text longer than Excel's 32,767 characters is cut there.

The sheet is streamed into the zip file row by row (a general-purpose workbook library's
cell calls cost about fifteen times what the CSV writer does, so 400,000 logs took
minutes): memory stays flat whatever the row count. The header row is frozen and has an
autofilter; column widths come from the header and the first rows. The workbook is
written beside the destination and renamed into place only when complete, like
``write_csv``.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from viewer.export import xlsx_parts as parts
from viewer.export.csv_file import (
    PROGRESS_EVERY,
    SUSPECT_STARTS,
    ExportError,
    is_formula,
    replacing,
)
from viewer.formats import parse_time
from viewer.jobs import CancelToken

TEXT, NUMBER, BOOL, DATETIME, PERCENT, SHARE, AUTO = (
    "text",
    "number",
    "bool",
    "datetime",
    "percent",  # 0-100
    "share",  # 0-1
    "auto",  # numbers as numbers, true/false as booleans, the rest as text
)
KINDS = frozenset({TEXT, NUMBER, BOOL, DATETIME, PERCENT, SHARE, AUTO})
SUFFIX = ".xlsx"
#: Rows a sheet holds, the header included.
MAX_ROWS = 1_048_576
MAX_TEXT = 32_767
#: Rows looked at to size the columns, before the first is written.
SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60
#: Deflate level: the sheet's XML is repetitive, and level 1 is several times faster than 6.
COMPRESS_LEVEL = 1
_BOOLEANS = {"true": True, "false": False}
_EXCEL_EPOCH = datetime(1899, 12, 30, tzinfo=UTC)
#: Before this day Excel's serial numbers are off by one (its 1900 leap-year bug).
_FIRST_DATE = datetime(1900, 3, 1, tzinfo=UTC)
_DAY = 86_400.0
#: What a string must not hold as such in XML, or what Excel would read as an escape.
_SPECIAL = re.compile(
    r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_"
)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_EDGE_BLANKS = frozenset(" \t\n")

#: Makes one cell's XML from (column letters, row number, value); "" for an empty cell.
Cell = Callable[[str, str, Any], str]


def original_text(value: str) -> str:
    """A text cell as it was before ``csv_file`` neutralized it against formulas."""
    if len(value) > 1 and value[0] == "'" and value[1] in SUSPECT_STARTS and is_formula(value[1:]):
        return value[1:]
    return value


def _escaped(match: re.Match[str]) -> str:
    found = match.group()
    if len(found) > 1:
        return "_x005F" + found  # a literal "_x0041_" must not read as "A"
    entity = _ENTITIES.get(found)
    if entity is not None:
        return entity
    if "\ud800" <= found <= "\udfff":
        return "\ufffd"  # half a character: not text
    return f"_x{ord(found):04X}_"


def _string_tail(value: str, style: str = "") -> str:
    """A text cell's XML after its ``<c r="A1"``."""
    if len(value) > MAX_TEXT:
        value = value[:MAX_TEXT]
    space = ' xml:space="preserve"' if value[0] in _EDGE_BLANKS or value[-1] in _EDGE_BLANKS else ""
    if _SPECIAL.search(value) is not None:
        value = _SPECIAL.sub(_escaped, value)
    return f'{style} t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _string(ref: str, value: str) -> str:
    return f'<c r="{ref}"' + _string_tail(value)


#: Text cells' XML by value: names, e-mails and groups come once per activity, so most
#: cells are found here. Emptied when it grows past ``_TAILS_KEPT`` entries.
_tails: dict[str, str] = {}
_TAILS_KEPT = 200_000


def _number_text(value: Any) -> str | None:
    """A finite number as XML text, or None."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is float:
        return repr(value) if math.isfinite(value) else None
    if kind is str and _NUMBER.fullmatch(value):
        number = float(value)
        return repr(number) if math.isfinite(number) else None
    return None


def text_cell(col: str, row: str, value: Any) -> str:
    if value == "" or value is None:
        return ""
    kind = type(value)
    if kind is str:
        tail = _tails.get(value)
        if tail is None:
            if len(_tails) >= _TAILS_KEPT:
                _tails.clear()
            tail = _tails[value] = _string_tail(original_text(value))
        return f'<c r="{col}{row}"{tail}'
    if kind is bool:
        return f'<c r="{col}{row}" t="b"><v>{int(value)}</v></c>'
    number = _number_text(value)
    return (
        _string(col + row, str(value))
        if number is None
        else f'<c r="{col}{row}"><v>{number}</v></c>'
    )


def number_cell(col: str, row: str, value: Any) -> str:
    if value == "" or value is None:
        return ""
    number = _number_text(value) if type(value) is not bool else None
    if number is None:
        return text_cell(col, row, value)
    return f'<c r="{col}{row}"><v>{number}</v></c>'


def bool_cell(col: str, row: str, value: Any) -> str:
    flag = value if type(value) is bool else _BOOLEANS.get(value) if type(value) is str else None
    if flag is None:
        return text_cell(col, row, value)
    return f'<c r="{col}{row}" t="b"><v>{int(flag)}</v></c>'


def auto_cell(col: str, row: str, value: Any) -> str:
    if type(value) is str and value in _BOOLEANS:
        return f'<c r="{col}{row}" t="b"><v>{int(_BOOLEANS[value])}</v></c>'
    if type(value) is str or type(value) is bool:
        return text_cell(col, row, value)
    return number_cell(col, row, value)


def excel_time(value: Any) -> float | None:
    """An ISO time, a datetime or seconds since the epoch as Excel's day number (UTC)."""
    when: datetime | None = None
    if type(value) is str:
        when = parse_time(value)
    elif type(value) is int or type(value) is float:
        if math.isfinite(value) and -1e11 < value < 2.5e11:
            when = datetime.fromtimestamp(value, UTC)
    elif isinstance(value, datetime):
        when = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if when is None or when < _FIRST_DATE:
        return None
    return (when - _EXCEL_EPOCH).total_seconds() / _DAY


def datetime_cell(col: str, row: str, value: Any) -> str:
    if value == "" or value is None:
        return ""
    serial = excel_time(value)
    if serial is None:
        return text_cell(col, row, value)
    return f'<c r="{col}{row}" s="{parts.DATE_STYLE}"><v>{serial!r}</v></c>'


def _percent_cell(scale: float) -> Cell:
    def cell(col: str, row: str, value: Any) -> str:
        if value == "" or value is None:
            return ""
        number = _number_text(value) if type(value) is not bool else None
        if number is None:
            return text_cell(col, row, value)
        share = float(number) / scale
        return f'<c r="{col}{row}" s="{parts.PERCENT_STYLE}"><v>{share!r}</v></c>'

    return cell


CELLS: dict[str, Cell] = {
    TEXT: text_cell,
    NUMBER: number_cell,
    BOOL: bool_cell,
    DATETIME: datetime_cell,
    PERCENT: _percent_cell(100.0),
    SHARE: _percent_cell(1.0),
    AUTO: auto_cell,
}


def _width(value: Any) -> int:
    text = value if type(value) is str else str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def column_widths(
    header: Sequence[str], sample: Sequence[Sequence[Any]], kinds: Sequence[str]
) -> list[int]:
    """Widths (in characters) that show the header and most of the first rows' cells."""
    widths = []
    for col, name in enumerate(header):
        longest = max([len(name) + 3, *(_width(row[col]) for row in sample if col < len(row))])
        if kinds[col] == DATETIME:
            longest = max(longest, len(parts.DATE_FORMAT))
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, longest + 1)))
    return widths


def write_xlsx(
    destination: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    kinds: Sequence[str] | None = None,
    sheet_name: str = "Export",
    cancel: CancelToken | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``header`` and ``rows`` (CSV-ready cells) as the one sheet of an ``.xlsx`` file.

    ``kinds`` gives each column's kind (default ``AUTO``). Returns the number of rows.
    Raises ``ExportError`` with a message for people, or ``Cancelled``; in both cases no
    file is left at ``destination``.
    """
    if destination == "-":
        raise ExportError("An Excel file cannot go to standard output; name a .xlsx file.")
    kinds = [AUTO] * len(header) if kinds is None else list(kinds)
    if len(kinds) != len(header) or not set(kinds) <= KINDS:
        raise ValueError(f"one kind of {sorted(KINDS)} per column is needed, got {kinds}")
    name = parts.sheet_name(sheet_name)
    with (
        replacing(destination) as temporary,
        zipfile.ZipFile(
            temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
        ) as book,
    ):
        book.writestr("[Content_Types].xml", parts.CONTENT_TYPES)
        book.writestr("_rels/.rels", parts.ROOT_RELS)
        book.writestr("xl/_rels/workbook.xml.rels", parts.WORKBOOK_RELS)
        book.writestr("xl/styles.xml", parts.STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            try:
                count = _write_sheet(sheet.write, header, rows, kinds, cancel, progress)
            finally:
                _tails.clear()
            sheet.write(parts.sheet_tail(count, len(header)).encode())
        book.writestr("xl/workbook.xml", parts.workbook(name, count, len(header)))
    return count


def _write_sheet(
    write: Callable[[bytes], object],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    kinds: Sequence[str],
    cancel: CancelToken | None,
    progress: Callable[[int], None] | None,
) -> int:
    source = iter(rows)
    sample = [row for _, row in zip(range(SAMPLE_ROWS), source, strict=False)]
    write(parts.sheet_head(column_widths(header, sample, kinds)).encode())
    letters = [parts.column_letters(col) for col in range(len(header))]
    style = f' s="{parts.HEADER_STYLE}"'
    head = "".join(
        f'<c r="{col}1"' + _string_tail(name, style)
        for col, name in zip(letters, header, strict=True)
        if name
    )
    write(f'<row r="1">{head}</row>'.encode())
    cells = [(col, CELLS[kind]) for col, kind in zip(letters, kinds, strict=True)]
    count = 0
    batch: list[str] = []
    for row in _chain(sample, source):
        count += 1
        if count >= MAX_ROWS:
            raise ExportError(
                f"An Excel sheet holds at most {MAX_ROWS - 1:,} rows besides its header; "
                "export this as CSV instead."
            )
        number = str(count + 1)
        batch.append(
            f'<row r="{number}">'
            + "".join(
                [
                    cell(col, number, value)
                    for (col, cell), value in zip(cells, row, strict=False)
                    if value != ""
                ]
            )
            + "</row>"
        )
        if len(batch) >= PROGRESS_EVERY:
            write("".join(batch).encode())
            batch.clear()
            if cancel is not None:
                cancel.raise_if_cancelled()
            if progress is not None:
                progress(count)
    write("".join(batch).encode())
    if cancel is not None:
        cancel.raise_if_cancelled()  # before the file is renamed into place
    if progress is not None:
        progress(count)
    return count


def _chain(first: list[Sequence[Any]], rest: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    yield from first
    first.clear()  # the sample is not kept while the rest is written
    yield from rest
