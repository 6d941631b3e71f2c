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


def architecture_entries(text: str) -> list[str]:
    """The packages and modules the architecture tree names at its top level (``viewer/``'s
    own entries, two spaces in), in order."""
    lines = text[text.index("```\nviewer/\n") :].splitlines()[2:]
    block = []
    for line in lines:
        if not line.startswith(" "):  # the next top-level entry (resources/, tests/) or ```
            break
        block.append(line)
    return [line.split()[0] for line in block if line.startswith("  ") and line[2] != " "]


def test_the_architecture_tree_names_each_package_once_and_every_one_there_is():
    entries = architecture_entries(README.read_text(encoding="utf-8"))
    packages = [entry for entry in entries if entry.endswith("/")]
    assert len(packages) == len(set(packages)), packages
    viewer = README.parent / "viewer"
    there = {f"{p.name}/" for p in viewer.iterdir() if (p / "__init__.py").is_file()}
    assert set(packages) == there


def test_a_package_named_twice_is_found():
    text = "```\nviewer/\n  api/  a\n    x.py\n  api/  again\n```\n"
    assert architecture_entries(text) == ["api/", "api/"]
