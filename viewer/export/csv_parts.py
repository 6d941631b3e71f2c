"""Writing CSV text made in several processes at once, for the headless export only.

Making a large export's rows is pure Python work, bound to one core by the GIL. Here the
rows come in shares (``Share``: whole activities, in file order); the first is made in this
process while each of the others is made by a forked copy of it into an unnamed temporary
file, which is then copied into the output after the first, in order. A fork shares the
decoded answer with this process at no cost, and the file is the same byte for byte as
``write_csv_text`` writes it.

A copy may also be forked before its share can be fully described (``start_waiting``): it
begins at once, and what it lacks comes later in a letter (``Copy.send``, ``Letter``).

Only the command line uses this: forking a process that runs other threads (a window, its
workers) may leave the copy stuck on a lock one of them held. Whatever goes wrong in a copy
(an error in its share, a full temporary disk, a signal) makes this process make that share
itself, so errors read as they always did, and nothing is left behind: the temporary files
have no name, and a copy still running when this process stops is killed and waited for.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import select
import signal
import struct
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, TextIO

from viewer.export.cells import csv_line
from viewer.export.csv_file import neutralize, write_atomically
from viewer.export.csv_text import TextBlock

#: Makes one share's rows as blocks of CSV text, when called (in whichever process).
Share = Callable[[], Iterable[TextBlock]]
#: Makes one share's rows in a copy forked before all it needs is known: what is missing
#: comes later, in a letter from this process (``Letter``, ``start_waiting``).
WaitingShare = Callable[["Letter"], Iterable[TextBlock]]
_COUNT = struct.Struct("<q")
_CHUNK = 8 << 20
_UTF8 = ("utf-8", "utf-8-sig")
#: The fewest logs worth forking for: below, the rows are made here alone.
PARALLEL_FROM = 50_000
_MOST_PROCESSES = 4


def processes() -> int:
    """How many processes may make rows at once: the cores this process may run on."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, _MOST_PROCESSES))


@dataclass
class Copy:
    """A forked process making one share into ``part``; it reports its row count on ``pipe``."""

    pid: int
    pipe: int
    part: IO[bytes]
    #: Makes the same share in this process, when the copy could not.
    share: Share
    done: bool = False
    #: Where this process writes the copy's letter, for a copy that waits for one.
    letterbox: int = -1

    def send(self, letter: bytes) -> None:
        """Give a waiting copy its letter (once). A copy that has ended misses it: its share
        is then made here, as for any copy that fails."""
        if self.letterbox < 0:
            return
        view = memoryview(_COUNT.pack(len(letter)) + letter)
        with contextlib.suppress(BrokenPipeError):
            while view:
                view = view[os.write(self.letterbox, view) :]
        os.close(self.letterbox)
        self.letterbox = -1

    def result(self) -> int | None:
        """The share's row count, once the copy has ended; ``None`` if it failed."""
        with os.fdopen(self.pipe, "rb") as reader:
            self.pipe = -1
            report = reader.read()
        _, status = os.waitpid(self.pid, 0)
        self.done = True
        if os.waitstatus_to_exitcode(status) != 0 or len(report) != _COUNT.size:
            return None
        (count,) = _COUNT.unpack(report)
        return int(count)

    def stop(self) -> None:
        """Kill the copy if it still runs, wait for it, and let go of its files."""
        if not self.done:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.done = True
        if self.pipe >= 0:
            os.close(self.pipe)
            self.pipe = -1
        if self.letterbox >= 0:
            os.close(self.letterbox)
            self.letterbox = -1
        self.part.close()


class Letter:
    """In a waiting copy: the letter from the process that forked it, read when needed."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._sender = os.getppid()
        self._text: bytes | None = None

    def read(self, *, wait: bool) -> bytes | None:
        """The whole letter; ``None`` while it has not come, unless ``wait``. A letter that
        cannot come (its sender stopped) is empty."""
        if self._text is None:
            if not wait and not select.select([self._fd], [], [], 0)[0]:
                return None
            head = self._exactly(_COUNT.size)
            (size,) = _COUNT.unpack(head) if head else (0,)
            self._text = self._exactly(size) if size > 0 else b""
        return self._text

    def _exactly(self, size: int) -> bytes:
        """``size`` bytes of the letter, or ``b""`` if it ends before or its sender stops
        (other copies may hold the pipe open, so its end is not always seen)."""
        pieces, left = [], size
        while left:
            while not select.select([self._fd], [], [], 1.0)[0]:
                if os.getppid() != self._sender:
                    return b""
            piece = os.read(self._fd, min(left, _CHUNK))
            if not piece:
                return b""
            pieces.append(piece)
            left -= len(piece)
        return b"".join(pieces)


def start_waiting(share: WaitingShare) -> Copy:
    """Fork a copy that begins ``share`` now and is sent its letter later (``Copy.send``).
    Set the copy's ``share`` (the same rows, made in this process if the copy fails) before
    handing it to ``write_csv_parts``. Fork before this process starts any thread."""
    return _start(_unset, share)


def _unset() -> Iterable[TextBlock]:
    raise RuntimeError("a waiting copy was handed on without the share it stands for")


def _start(share: Share, waiting: WaitingShare | None = None) -> Copy:
    part = tempfile.TemporaryFile()  # noqa: SIM115 - closed by Copy.stop, after the copy
    reader, writer = os.pipe()
    letters = os.pipe() if waiting is not None else (-1, -1)
    try:
        pid = os.fork()
    except OSError:
        for fd in (reader, writer, *letters):
            if fd >= 0:
                os.close(fd)
        part.close()
        raise
    if pid == 0:  # the copy: make the share, report, and leave without any clean-up
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.close(reader)
            if waiting is not None:
                os.close(letters[1])
            blocks = share() if waiting is None else waiting(Letter(letters[0]))
            count = 0
            fd = part.fileno()
            for rows, text in blocks:
                data = text.encode("utf-8")
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                count += rows
            os.write(writer, _COUNT.pack(count))
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    if waiting is not None:
        os.close(letters[0])
    return Copy(pid, reader, part, share, letterbox=letters[1])


def _copy_into(stream: TextIO, part: IO[bytes]) -> None:
    """Append the UTF-8 text of ``part`` to ``stream``: by the kernel, when it is a file."""
    part.seek(0)
    # Past the header a "utf-8-sig" stream writes plain UTF-8 too.
    if type(stream) is io.TextIOWrapper and codecs.lookup(stream.encoding).name in _UTF8:
        stream.flush()
        out, source = stream.fileno(), part.fileno()
        size = os.fstat(source).st_size
        offset = 0
        with contextlib.suppress(OSError):  # not possible here: copied the plain way below
            while offset < size:
                sent = os.sendfile(out, source, offset, size - offset)
                if not sent:
                    break
                offset += sent
        part.seek(offset)
        while chunk := part.read(_CHUNK):  # what sendfile left, if anything
            stream.buffer.write(chunk)
        return
    decoder = codecs.getincrementaldecoder("utf-8")()
    while chunk := part.read(_CHUNK):
        stream.write(decoder.decode(chunk))
    stream.write(decoder.decode(b"", final=True))


def write_csv_parts(
    destination: str | os.PathLike[str],
    header: Sequence[str],
    shares: Sequence[Share | Copy],
    *,
    progress: Callable[[int], None] | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Write ``header`` then every share's rows, in order, as ``write_csv_text`` would.

    The first share is made here; each other is made by a copy forked for it, or by the
    copy given (already started, and sent its letter), which this stops in any case."""
    first = shares[0]
    assert not isinstance(first, Copy)
    given = [share for share in shares[1:] if isinstance(share, Copy)]

    def write(stream: TextIO) -> int:
        stream.write(csv_line(map(neutralize, header)) + "\r\n")
        copies: list[Copy] = []
        try:
            for share in shares[1:]:
                copies.append(share if isinstance(share, Copy) else _start(share))
            count = _write_share(stream, first, 0, progress)
            for copy in copies:
                made = copy.result()
                if made is None:  # made here instead, for the error it gives, if any
                    count = _write_share(stream, copy.share, count, progress)
                else:
                    _copy_into(stream, copy.part)
                    count += made
                copy.stop()
                if progress is not None:
                    progress(count)
        finally:
            for copy in copies:
                copy.stop()
        if progress is not None:
            progress(count)
        return count

    try:
        return write_atomically(destination, write, stdout=stdout)
    finally:
        for copy in given:  # never started writing (the file could not be opened)
            copy.stop()


def _write_share(
    stream: TextIO, share: Share, count: int, progress: Callable[[int], None] | None
) -> int:
    for rows, text in share():
        stream.write(text)
        count += rows
        if progress is not None:
            progress(count)
    return count
