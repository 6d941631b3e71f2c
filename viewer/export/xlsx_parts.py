"""The fixed parts of a one-sheet Excel workbook (Office Open XML, ECMA-376), as text.

Only what a streamed sheet needs: the package's content types and relationships, a
workbook naming one sheet (and the autofilter's range), and a style sheet with the four
cell styles the writer uses. Everything is built from constants and numbers; the only text
from outside is the sheet's name, which is checked and escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

#: Cell style numbers (``s``) in ``STYLES``: 0 is Excel's General.
DATE_STYLE, PERCENT_STYLE, HEADER_STYLE = 1, 2, 3
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
PERCENT_FORMAT = "0.0%"
#: Characters Excel refuses in a sheet's name.
SHEET_NAME_REFUSED = frozenset("[]:*?/\\")

CONTENT_TYPES = (
    DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)
ROOT_RELS = (
    DECLARATION + f'<Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    DECLARATION + f'<Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    DECLARATION + f'<styleSheet xmlns="{MAIN}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{PERCENT_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letters(index: int) -> str:
    """``0`` -> ``A``, ``25`` -> ``Z``, ``26`` -> ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: without refused characters, 1-31 long."""
    kept = "".join("_" if ch in SHEET_NAME_REFUSED or ch < " " else ch for ch in name)
    return kept.strip("'")[:31] or "Export"


def sheet_head(widths: Sequence[float]) -> str:
    """The sheet's XML up to its first row: the frozen header row and the column widths."""
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width:g}" customWidth="1"/>'
        for i, width in enumerate(widths, start=1)
    )
    return (
        DECLARATION + f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
    )


def filter_range(rows: int, columns: int) -> str:
    """The A1 range of the header and ``rows`` rows below it."""
    return f"A1:{column_letters(max(columns, 1) - 1)}{rows + 1}"


def sheet_tail(rows: int, columns: int) -> str:
    return (
        f'</sheetData><autoFilter ref="{filter_range(rows, columns)}"/>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


def _escape(text: str, *, quote: bool = False) -> str:
    """XML text (or, with ``quote``, a double-quoted attribute): what ``xml.sax.saxutils``
    escapes, without the URL machinery that module loads along with the export buttons."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def workbook(name: str, rows: int, columns: int) -> str:
    """The workbook: one sheet, and the hidden name Excel gives an autofilter's range."""
    quoted = "'" + name.replace("'", "''") + "'"
    start, end = filter_range(rows, columns).split(":")
    absolute = (
        "$" + start[0] + "$1:$" + "".join(c for c in end if c.isalpha()) + "$" + str(rows + 1)
    )
    return (
        DECLARATION + f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
        "<bookViews><workbookView/></bookViews>"
        f'<sheets><sheet name="{_escape(name, quote=True)}" sheetId="1" r:id="rId1"/>'
        '</sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
        f'hidden="1">{_escape(quoted)}!{absolute}</definedName></definedNames></workbook>'
    )
