"""The README's tables stay whole: a blank line inside one splits it in two when rendered."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def table_starts_after_a_blank_line(lines: list[str]) -> list[int]:
    """Line numbers of table rows that follow a blank line that follows a table row: the
    second half of a table split in two."""
    return [
        number + 1
        for number in range(2, len(lines))
        if lines[number].startswith("|")
        and not lines[number - 1].strip()
        and lines[number - 2].startswith("|")
    ]


def test_no_table_of_the_readme_is_split():
    assert table_starts_after_a_blank_line(README.read_text(encoding="utf-8").splitlines()) == []


def test_a_split_table_is_found():
    assert table_starts_after_a_blank_line(["| a |", "| --- |", "| 1 |", "", "| 2 |"]) == [5]
