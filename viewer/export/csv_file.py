"""Writing CSV that spreadsheets open safely, and that never exists half-written.

Files are UTF-8 with a byte-order mark (so spreadsheets detect the encoding) and RFC 4180
quoting with CRLF line ends. Text cells that a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-``, ``@``, tab, CR or LF) get a leading ``'``. Rows go to a temporary
file beside the destination, which is renamed into place only when everything is written;
a cancelled or failed export leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from viewer.jobs import CancelToken

#: Standard output instead of a file.
STDOUT = "-"
ENCODING = "utf-8-sig"
#: First characters that make a spreadsheet run a cell as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r\n")
#: How often (in rows) progress is reported and cancellation checked.
PROGRESS_EVERY = 5000


class ExportError(Exception):
    """An export failed; the message says why and what to do."""


def neutralize(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula."""
    return "'" + text if text and text[0] in FORMULA_STARTS else text


def cell(value: Any) -> Any:
    """One value as a CSV cell: text neutralized, ``None`` empty, booleans as true/false."""
    if isinstance(value, str):
        return "'" + value if value and value[0] in FORMULA_STARTS else value
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_csv(
    destination: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    prepared: bool = False,
    cancel: CancelToken | None = None,
    progress: Callable[[int], None] | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Write ``header`` and ``rows`` to ``destination`` (a path, or ``"-"`` for stdout).

    ``prepared`` rows already hold cells made by ``cell`` (faster for large exports).
    Returns the number of rows written. Raises ``ExportError`` with a message for people,
    or ``Cancelled`` when ``cancel`` is set; in both cases no file is left at ``destination``.
    """
    if str(destination) == STDOUT:
        stream = stdout if stdout is not None else sys.stdout
        return _write(stream, header, rows, prepared, cancel, progress)
    path = Path(destination)
    if path.exists() and not path.is_file():
        # Renaming over a folder, device or pipe would replace it: never do that.
        raise ExportError(f"{path} is not a regular file. Choose a file name.")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    except OSError as exc:
        raise ExportError(_describe(exc, path)) from None
    try:
        # mkstemp makes the file private; an export is an ordinary file for its owner to share.
        os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "w", encoding=ENCODING, newline="") as stream:
            count = _write(stream, header, rows, prepared, cancel, progress)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        _remove(temporary)
        raise ExportError(_describe(exc, path)) from None
    except BaseException:
        _remove(temporary)
        raise
    return count


def _write(
    stream: TextIO,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    prepared: bool,
    cancel: CancelToken | None,
    progress: Callable[[int], None] | None,
) -> int:
    writer = csv.writer(stream, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralize(name) for name in header])
    count = 0
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row if prepared else [cell(value) for value in row])
        if len(batch) >= PROGRESS_EVERY:
            writer.writerows(batch)
            count += len(batch)
            batch.clear()
            if cancel is not None:
                cancel.raise_if_cancelled()
            if progress is not None:
                progress(count)
    writer.writerows(batch)
    count += len(batch)
    if cancel is not None:
        cancel.raise_if_cancelled()  # before the file is renamed into place
    if progress is not None:
        progress(count)
    return count


def _umask() -> int:
    """The process's umask, read without changing it (``os.umask`` would, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _describe(exc: OSError, path: Path) -> str:
    folder = path.parent.resolve() if str(path.parent) else Path.cwd()
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return (
            f"The disk holding {folder} is full, so {path.name} was not written. Free some "
            "space or choose another folder."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"{folder} cannot be written to ({os.strerror(exc.errno)}), so {path.name} was not "
            "written. Choose another folder."
        )
    if exc.errno == errno.ENOENT:
        return f"The folder {folder} does not exist. Choose an existing folder."
    if exc.errno == errno.EISDIR:
        return f"{path} is a folder. Choose a file name."
    return f"{path.name} could not be written: {exc.strerror or exc}. Choose another place."
