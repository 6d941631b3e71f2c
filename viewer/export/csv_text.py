"""Writing CSV that was made as text in bulk, with the guarantees of ``write_csv``.

Large exports make their rows as blocks of ready CSV text (see ``cells.lines``), which
costs a fraction of handing each cell to ``csv.writer``; the file is the same byte for byte,
written atomically, with progress and Cancel checked after each block.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TextIO, runtime_checkable

from viewer.export.cells import csv_line
from viewer.export.csv_file import neutralize, write_atomically
from viewer.jobs import CancelToken

#: Rows made as CSV text: how many, and their text with CRLF line ends.
TextBlock = tuple[int, str]


@runtime_checkable
class TextBlocks(Protocol):
    """An export that can make its rows as blocks of CSV text, not only one by one."""

    @property
    def header(self) -> Sequence[str]: ...

    def csv_blocks(self) -> Iterable[TextBlock]: ...


def write_csv_text(
    destination: str | os.PathLike[str],
    header: Sequence[str],
    blocks: Iterable[TextBlock],
    *,
    cancel: CancelToken | None = None,
    progress: Callable[[int], None] | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Write ``header`` then each block to ``destination``, as ``write_csv`` would."""

    def write(stream: TextIO) -> int:
        stream.write(csv_line(map(neutralize, header)) + "\r\n")
        count = 0
        for rows, text in blocks:
            stream.write(text)
            count += rows
            if cancel is not None:
                cancel.raise_if_cancelled()
            if progress is not None:
                progress(count)
        if cancel is not None:
            cancel.raise_if_cancelled()  # before the file is renamed into place
        if progress is not None:
            progress(count)
        return count

    return write_atomically(destination, write, stdout=stdout)
