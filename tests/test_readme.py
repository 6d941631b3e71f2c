"""The README stays whole: no table split in two by a blank line, no image that is missing."""

from __future__ import annotations

import re
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


def image_paths(text: str) -> list[str]:
    """The files of the README's images (``![alt](path)``, the alt text on one line or more)."""
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)


def test_every_image_of_the_readme_exists() -> None:
    paths = image_paths(README.read_text(encoding="utf-8"))
    assert paths
    missing = [path for path in paths if not (README.parent / path).is_file()]
    assert missing == []


def test_an_image_whose_alt_text_wraps_is_found() -> None:
    assert image_paths("![one\ntwo](a/b.png) and ![](c.png)") == ["a/b.png", "c.png"]
