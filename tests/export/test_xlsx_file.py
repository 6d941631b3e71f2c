"""Excel files: cells of the right kind, never a formula, never half-written."""

from __future__ import annotations

import errno
import os
import zipfile
from datetime import datetime

import openpyxl
import pytest

from viewer.api.errors import Cancelled
from viewer.export import xlsx_file
from viewer.export.csv_file import ExportError, cell
from viewer.export.kinds import kinds_for
from viewer.export.xlsx_file import (
    AUTO,
    BOOL,
    DATETIME,
    NUMBER,
    PERCENT,
    SHARE,
    TEXT,
    write_xlsx,
)
from viewer.jobs import CancelToken

HEADER = ["name", "count", "ok", "when", "percent", "share", "extra"]
KINDS = [TEXT, NUMBER, BOOL, DATETIME, PERCENT, SHARE, AUTO]


def sheet(path):
    return openpyxl.load_workbook(path).active


def test_cells_get_their_kind_and_the_header_is_frozen_with_a_filter(tmp_path):
    path = tmp_path / "out.xlsx"
    rows = [
        [cell("Ann"), 3, "true", "2025-01-01T10:30:00+02:00", 42.5, 0.25, "false"],
        [cell("Bob"), 2.5, "false", "2025-06-30T23:59:59Z", "", "", 7],
        [cell("Cy"), "", "", "", 100, 1, "plain"],
    ]
    assert write_xlsx(str(path), HEADER, rows, kinds=KINDS) == 3

    ws = sheet(path)
    assert [c.value for c in ws[1]] == HEADER
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G4"
    first, second, third = ws[2], ws[3], ws[4]
    assert [c.value for c in first[:3]] == ["Ann", 3, True]
    assert first[3].value == datetime(2025, 1, 1, 8, 30)  # in UTC
    assert first[3].is_date and "yyyy" in first[3].number_format
    assert first[4].value == pytest.approx(0.425) and first[4].number_format == "0.0%"
    assert first[5].value == pytest.approx(0.25) and first[5].number_format == "0.0%"
    assert first[6].value is False
    assert [c.value for c in second[:4]] == ["Bob", 2.5, False, datetime(2025, 6, 30, 23, 59, 59)]
    assert second[4].value is None and second[6].value == 7
    assert third[4].value == 1.0 and third[5].value == 1.0 and third[6].value == "plain"
    widths = [ws.column_dimensions[letter].width for letter in "ABCDEFG"]
    assert all(6 <= w <= 60 for w in widths)
    assert widths[3] >= len("yyyy-mm-dd hh:mm:ss")


def test_text_is_never_a_formula_and_neutralized_text_comes_back_whole(tmp_path):
    path = tmp_path / "out.xlsx"
    texts = ["=1+1", "+27 21 555", "@SUM(A1)", "-2", '=HYPERLINK("http://evil")', "'kept"]
    rows = [[cell(text), cell(text)] for text in texts]
    write_xlsx(str(path), ["text", "auto"], rows, kinds=[TEXT, AUTO])

    ws = sheet(path)
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert values == [[text, text] for text in texts]
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f"
    with zipfile.ZipFile(path) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_awkward_text_round_trips(tmp_path):
    path = tmp_path / "out.xlsx"
    texts = ["<b>Tom & Jerry</b>", "  leading and trailing  ", "line one\nline two", "日本 Zoë"]
    write_xlsx(str(path), ["text"], [[t] for t in [*texts, "x" * 40_000]], kinds=[TEXT])

    got = [row[0].value for row in sheet(path).iter_rows(min_row=2)]
    assert got[:4] == texts
    assert got[4] == "x" * 32_767  # Excel's limit for one cell


def test_characters_xml_cannot_hold_are_written_as_excel_escapes(tmp_path):
    # Excel reads _xHHHH_ as that character, and _x005F_ as a literal underscore.
    path = tmp_path / "out.xlsx"
    texts = ["bell \x07 and nul \x00", "cr\r\nlf", "_x0041_ as typed", "half \ud800 char"]
    write_xlsx(str(path), ["text"], [[t] for t in texts], kinds=[TEXT])

    with zipfile.ZipFile(path) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "bell _x0007_ and nul _x0000_" in xml
    assert "cr_x000D_\nlf" in xml
    assert "_x005F_x0041_ as typed" in xml
    assert "half \ufffd char" in xml
    assert len(list(sheet(path).iter_rows())) == 5  # and the file is well-formed XML


def test_a_cell_that_does_not_fit_its_kind_is_text(tmp_path):
    path = tmp_path / "out.xlsx"
    rows = [["many", "maybe", "soon", "half", "inf"]]
    write_xlsx(
        str(path), ["a", "b", "c", "d", "e"], rows, kinds=[NUMBER, BOOL, DATETIME, PERCENT, NUMBER]
    )
    assert [c.value for c in sheet(path)[2]] == ["many", "maybe", "soon", "half", "inf"]


def test_column_kinds_come_from_the_column_names():
    header = ["email", "required", "timestamp", "percent_completed", "fulfilment.x", "users"]
    assert kinds_for(header) == [TEXT, BOOL, DATETIME, PERCENT, AUTO, NUMBER]
    assert kinds_for(["users"], {"users": TEXT}) == [TEXT]


def test_cancelled_export_leaves_no_file(tmp_path):
    path = tmp_path / "out.xlsx"
    token = CancelToken()

    def rows():
        for i in range(20_000):
            if i == 6000:
                token.cancel()
            yield [i]

    with pytest.raises(Cancelled):
        write_xlsx(str(path), ["n"], rows(), kinds=[NUMBER], cancel=token)
    assert os.listdir(tmp_path) == []


def test_failure_half_way_keeps_the_old_file(tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")

    def rows():
        yield [1]
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_xlsx(str(path), ["n"], rows())
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.xlsx"]


def test_full_disk_says_so_and_leaves_nothing(tmp_path, monkeypatch):
    real = zipfile.ZipFile.writestr

    def full(self, *args, **kwargs):
        if args and args[0] == "xl/workbook.xml":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    with pytest.raises(ExportError, match="full"):
        write_xlsx(str(tmp_path / "out.xlsx"), ["n"], [[1]])
    assert os.listdir(tmp_path) == []


def test_more_rows_than_a_sheet_holds_is_refused_with_a_hint(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_file, "MAX_ROWS", 5)
    with pytest.raises(ExportError, match="as CSV"):
        write_xlsx(str(tmp_path / "out.xlsx"), ["n"], [[i] for i in range(10)])
    assert os.listdir(tmp_path) == []


def test_standard_output_is_refused():
    with pytest.raises(ExportError, match="standard output"):
        write_xlsx("-", ["n"], [[1]])


def test_exporting_over_a_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")
    path.chmod(0o600)
    write_xlsx(str(path), ["n"], [[1]])
    assert path.stat().st_mode & 0o777 == 0o600
    assert sheet(path)["A2"].value == 1


def test_progress_is_reported(tmp_path):
    seen = []
    write_xlsx(str(tmp_path / "o.xlsx"), ["n"], ([i] for i in range(12_000)), progress=seen.append)
    assert seen[-1] == 12_000 and len(seen) >= 3
