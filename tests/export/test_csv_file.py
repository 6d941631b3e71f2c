"""Safe cells and atomic files."""

from __future__ import annotations

import csv
import errno
import io
import os
import tempfile

import pytest

from viewer.api.errors import Cancelled
from viewer.export.csv_file import ExportError, cell, neutralize, write_csv
from viewer.jobs import CancelToken


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_text_that_a_spreadsheet_would_run_gets_a_quote(start):
    assert neutralize(start + "SUM(A1)") == "'" + start + "SUM(A1)"
    assert cell(start + "cmd") == "'" + start + "cmd"


def test_numbers_and_plain_text_are_left_alone():
    assert neutralize("Joe") == "Joe"
    assert neutralize("") == ""
    assert cell(-5) == -5
    assert cell(2.0) == 2
    assert cell(2.5) == 2.5
    assert (cell(None), cell(True), cell(False)) == ("", "true", "false")


def test_file_has_bom_crlf_and_round_trips_awkward_text(tmp_path):
    target = tmp_path / "out.csv"
    awkward = ['Zoë, "the" boss', "line one\nline two", "=1+1", "日本語"]
    assert write_csv(target, ["a", "b", "c", "d"], [awkward]) == 1
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.split(b"\r\n")[0] == b"\xef\xbb\xbfa,b,c,d"
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1] == [awkward[0], awkward[1], "'=1+1", awkward[3]]


def test_cancelled_export_leaves_no_file(tmp_path):
    target = tmp_path / "out.csv"
    token = CancelToken()

    def rows():
        for i in range(20000):
            if i == 6000:
                token.cancel()
            yield [i]

    with pytest.raises(Cancelled):
        write_csv(target, ["n"], rows(), cancel=token)
    assert list(tmp_path.iterdir()) == []


def test_failure_half_way_leaves_the_old_file_untouched(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")

    def rows():
        yield [1]
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_csv(target, ["n"], rows())
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_read_only_folder_says_so(tmp_path, monkeypatch):
    # Root may write anywhere, so the refusal is made by the system call itself.
    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(ExportError, match=r"cannot be written.*Choose another folder"):
        write_csv(tmp_path / "out.csv", ["n"], [[1]])


def test_missing_folder_says_so(tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        write_csv(tmp_path / "nope" / "out.csv", ["n"], [[1]])


def test_full_disk_says_so_and_leaves_nothing(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExportError, match=r"full.*Free some space"):
        write_csv(tmp_path / "out.csv", ["n"], [[1]] * 10)
    assert list(tmp_path.iterdir()) == []


def test_a_destination_that_is_not_a_regular_file_is_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match="not a regular file"):
        write_csv(fifo, ["n"], [[1]])
    with pytest.raises(ExportError, match="not a regular file"):
        write_csv(tmp_path, ["n"], [[1]])
    assert fifo.exists() and not fifo.is_file()


def test_stdout_gets_the_same_text(tmp_path):
    out = io.StringIO()
    assert write_csv("-", ["n", "t"], [[1, "@x"]], stdout=out) == 1
    assert out.getvalue() == "n,t\r\n1,'@x\r\n"


def test_progress_is_reported_in_batches(tmp_path):
    seen = []
    write_csv(tmp_path / "o.csv", ["n"], ([i] for i in range(12000)), progress=seen.append)
    assert seen == [5000, 10000, 12000]


def test_a_small_export_cancelled_before_it_ends_leaves_no_file(tmp_path):
    token = CancelToken()

    def rows():
        yield [1]
        token.cancel()
        yield [2]

    with pytest.raises(Cancelled):
        write_csv(tmp_path / "small.csv", ["n"], rows(), cancel=token)
    assert list(tmp_path.iterdir()) == []


def test_an_export_gets_the_permissions_of_an_ordinary_new_file(tmp_path):
    write_csv(tmp_path / "out.csv", ["n"], [[1]])
    (tmp_path / "plain.txt").write_text("x")
    mode = (tmp_path / "out.csv").stat().st_mode & 0o777
    assert mode == (tmp_path / "plain.txt").stat().st_mode & 0o777


@pytest.mark.parametrize(
    "text",
    [
        "\uff1d1+1",  # full-width forms, which spreadsheets read as the ASCII ones
        "\uff0b27",
        "\uff0d5",
        "\uff20SUM(A1)",
        " =1+1",
        "   +cmd",
        "\u00a0=1+1",  # no-break space
        "\u200b=1+1",  # zero-width space
        "\u3000\u00a0 @x",
        "\ufeff-2",
    ],
)
def test_formulas_behind_lookalikes_and_leading_blanks_get_a_quote(text):
    assert neutralize(text) == "'" + text
    assert cell(text) == "'" + text


@pytest.mark.parametrize("text", [" plain", "\u00a0", "\u200b name", "a=b", "   "])
def test_leading_blanks_before_plain_text_are_left_alone(text):
    assert neutralize(text) == text
    assert cell(text) == text


def test_huge_floats_are_written_short_and_exact():
    assert cell(-1e308) == -1e308 and str(cell(-1e308)) == "-1e+308"
    assert str(cell(1e22)) == "1e+22"
    assert cell(float(2**53 - 1)) == 2**53 - 1 and isinstance(cell(float(2**53 - 1)), int)
    out = io.StringIO()
    write_csv("-", ["n"], [[-1e308], [1.7976931348623157e308]], stdout=out)
    assert out.getvalue() == "n\r\n-1e+308\r\n1.7976931348623157e+308\r\n"


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604])
def test_exporting_over_a_file_keeps_its_permissions(tmp_path, mode):
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(mode)
    write_csv(target, ["n"], [[1]])
    assert target.read_text(encoding="utf-8-sig").startswith("n")
    assert target.stat().st_mode & 0o7777 == mode
