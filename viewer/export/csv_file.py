"""Writing CSV that spreadsheets open safely, and that never exists half-written.

Files are UTF-8 with a byte-order mark (so spreadsheets detect the encoding) and RFC 4180
quoting with CRLF line ends. Text cells that a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-``, ``@``, their full-width forms, tab, CR or LF, even after leading
spaces) get a leading ``'``. Rows go to a temporary file beside the destination, which is
renamed into place only when everything is written; a cancelled or failed export leaves
nothing behind, and an existing file keeps its permissions.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from viewer.jobs import CancelToken

#: Standard output instead of a file.
STDOUT = "-"
ENCODING = "utf-8-sig"
#: Characters that make a spreadsheet run a cell as a formula when it starts with one:
#: spreadsheets read full-width and small forms as the ASCII ones.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b")
#: Blanks that spreadsheets skip before a formula: spaces, no-break and zero-width ones.
BLANKS = (
    " \u00a0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u200b\u200c\u200d\u202f\u205f\u2060\u3000\ufeff"
)
#: First characters worth a closer look; any other cell is left alone at the cost of one
#: set lookup, which keeps large exports fast.
SUSPECT_STARTS = FORMULA_STARTS | frozenset(BLANKS)
#: Integral floats up to this size are written as integers (``100.0`` as ``100``); larger
#: ones keep their short form (``-1e+308``), never hundreds of digits.
EXACT_INTEGERS = float(2**53)
#: How often (in rows) progress is reported and cancellation checked.
PROGRESS_EVERY = 5000


class ExportError(Exception):
    """An export failed; the message says why and what to do."""


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` (which starts with a suspect) as a formula.

    Callers check ``text[0] in SUSPECT_STARTS`` first, inline, so that ordinary cells cost no
    call; the same two steps are written out where rows are made in bulk.
    """
    if text[0] in FORMULA_STARTS:
        return True
    rest = text.lstrip(BLANKS)
    return bool(rest) and rest[0] in FORMULA_STARTS


def neutralize(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula."""
    return "'" + text if text and text[0] in SUSPECT_STARTS and is_formula(text) else text


def cell(value: Any) -> Any:
    """One value as a CSV cell: text neutralized, ``None`` empty, booleans as true/false."""
    if isinstance(value, str):
        return "'" + value if value and value[0] in SUSPECT_STARTS and is_formula(value) else value
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float) and value.is_integer() and -EXACT_INTEGERS < value < EXACT_INTEGERS:
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
    return write_atomically(
        destination,
        lambda stream: _write(stream, header, rows, prepared, cancel, progress),
        stdout=stdout,
    )


def write_atomically(
    destination: str | os.PathLike[str],
    write: Callable[[TextIO], int],
    *,
    stdout: TextIO | None = None,
) -> int:
    """Run ``write`` on a text stream that becomes ``destination`` only once it returns.

    ``"-"`` writes to ``stdout`` (or standard output) instead. What ``write`` returns is
    returned; an ``OSError`` becomes ``ExportError``, and nothing is left at ``destination``
    when ``write`` raises.
    """
    if str(destination) == STDOUT:
        return write(stdout if stdout is not None else sys.stdout)
    with (
        replacing(destination) as temporary,
        open(temporary, "w", encoding=ENCODING, newline="") as stream,
    ):
        return write(stream)


@contextlib.contextmanager
def replacing(destination: str | os.PathLike[str]) -> Iterator[str]:
    """A temporary file's path beside ``destination``, put in its place when the block ends.

    The file gets the permissions ``destination`` had (or a new file's). When the block
    raises, the temporary file is removed; ``OSError`` becomes ``ExportError`` with a message
    for people.
    """
    path = Path(destination)
    if path.exists() and not path.is_file():
        # Renaming over a folder, device or pipe would replace it: never do that.
        raise ExportError(f"{path} is not a regular file. Choose a file name.")
    folder = path.parent if str(path.parent) else Path(".")
    mode = _mode_for(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    except OSError as exc:
        raise ExportError(_describe(exc, path)) from None
    try:
        try:
            os.fchmod(handle, mode)
        finally:
            os.close(handle)
        yield temporary
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        _remove(temporary)
        raise ExportError(_describe(exc, path)) from None
    except BaseException:
        _remove(temporary)
        raise


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


def _mode_for(path: Path) -> int:
    """The permissions the written file gets.

    A file written over keeps its own (a private 0600 file stays private); a new one is an
    ordinary file for its owner to share (mkstemp would make it private).
    """
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


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
