"""A second process that folds the last activities of a large pathway answer (Qt-free).

Decoding an answer's logs and folding them into columns is Python work under one GIL: about
1.5 s of the 2.3 s from a click on Fetch to the tree at 400,000 logs, on one core of two.
Here a helper process does part of it. Once the worker has found where each activity's
``logs`` array is (``pathway_slices``), it sends the helper the tail of the answer that holds
the last activities' arrays, and folds the first activities itself meanwhile. The helper
decodes and folds each of its arrays exactly as the worker would (a ``Builder`` of its own,
the same decoder, told the users of the worker's first activity, so that most logs skip
their user fields there too) and sends back each activity's columns with the people it met
there first. The worker then takes them in order, numbering those people as one pass would have
(``Builder.take``), so the data are the same either way.

Anything unexpected ends the helper's share where it happened: an array that does not
decode, a helper that crashed or could not start. The worker folds the rest itself, which
also gives the errors a single pass gives. A fetch cancelled or failed while the helper
still works stops the helper; the next large answer starts another.

The helper is started ahead of need (``start``, once the window has painted) because its
imports take a few tenths of a second; it is a plain ``python -c`` child talking over its
standard input and output, so nothing of the window's process (Qt, threads) is copied.
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import gc
import os
import pickle
import queue
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import IO, Any

import viewer
from viewer.api.pathway import LogsShare, ShareStarter, last_array_limit
from viewer.api.pathway_slices import decode_array
from viewer.jobs import CancelToken
from viewer.pathway.data import ActivityData, Payloads, User
from viewer.pathway.fetch import Builder

#: The smallest answer (bytes) worth a share, about 10,000 logs. Folding took 0.08 s alone
#: and 0.05 s shared at 20,000 logs (7 MB), 0.14 and 0.11 s at 40,000; below this the gain
#: is a few milliseconds.
SHARE_FROM = 4 << 20
#: The helper's part of the bytes of the logs arrays (the worker also finds the arrays and
#: folds the first activity before it shares). At 400,000 logs, medians of five rounds each
#: shared/alone: 0.71 with 0.4, 0.67 with 0.5, 0.73 with 0.55, within the noise of this
#: machine, so the middle was kept.
HELPER_PART = 0.5
_LENGTH = struct.Struct("<Q")
#: An activity's columns that are lists, sent in pieces of ``_ROWS_A_FRAME`` rows: a
#: megabyte of timestamps or so, less of the others (``activity_frames``).
_LIST_COLUMNS = ("timestamps", "state_text", "complete")
_ROWS_A_FRAME = 16384
#: Seconds between looks at the cancel token while waiting for the helper.
_POLL = 0.05
#: Room in the kernel for the helper's frames not yet read, so it seldom waits to send.
_SOCKET_BUFFER = 4 << 20
_ENDED = "ended"  # the helper's last frame of a share that was folded through
_GONE = object()  # what the helper "sent" when its output ended
_CODE = "from viewer.pathway.fold_helper import serve; serve()"


def _write_frame(stream: IO[bytes], payload: bytes | bytearray | memoryview) -> None:
    view = memoryview(payload).cast("B")
    _write_all(stream, memoryview(_LENGTH.pack(len(view))))
    _write_all(stream, view)


def _write_all(stream: IO[bytes], view: memoryview) -> None:
    while view:
        written = stream.write(view)
        view = view[written or 0 :]


def _read_frame(stream: IO[bytes] | socket.socket) -> bytearray | None:
    """The next frame, or ``None`` at the end of the stream (also in the middle of one)."""
    head = _read_exactly(stream, _LENGTH.size)
    if head is None:
        return None
    (size,) = _LENGTH.unpack(head)
    return _read_exactly(stream, size)


def _read_exactly(stream: IO[bytes] | socket.socket, size: int) -> bytearray | None:
    buf = bytearray(size)
    view = memoryview(buf)
    got = 0
    while got < size:
        if isinstance(stream, socket.socket):
            # One call a frame, waiting in the kernel: a pipe's 64 KB reads would each wait
            # for the GIL, which the worker holds while it decodes (a frame took 0.15 s).
            count = stream.recv_into(view[got:], size - got, socket.MSG_WAITALL)
        else:
            count = stream.readinto(view[got:])  # type: ignore[attr-defined]
        if not count:
            return None
        got += count
    return buf


# -- the helper's side -------------------------------------------------------------------


def serve() -> None:
    """The helper process: fold each share it is sent until its input ends."""
    source = open(0, "rb", buffering=0, closefd=False)  # noqa: SIM115 - for the process's life
    sink = open(os.dup(1), "wb", buffering=0)  # noqa: SIM115
    os.dup2(2, 1)  # anything printed by accident goes to the error stream, not the frames
    gc.disable()  # decoded logs hold no cycles; collections would only rescan them
    while True:
        head = _read_frame(source)
        tail = None if head is None else _read_frame(source)
        if head is None or tail is None:
            return
        first, starts, emails = pickle.loads(head)
        fold_share(tail, first, starts, emails, sink)
        del tail
        gc.collect()


def fold_share(
    tail: bytearray,
    first: int,
    starts: Sequence[int],
    emails: Sequence[str | None],
    sink: IO[bytes],
) -> None:
    """Fold the arrays opening at ``starts`` in ``tail`` (activities ``first`` on), knowing
    the worker's users by ``emails``, sending one frame an activity, then ``_ENDED``;
    ``None`` instead where one cannot be folded."""
    builder = Builder()
    builder.know(emails)  # the worker's first activity: most logs skip their user fields
    sent_users = len(emails)
    for offset, start in enumerate(starts):
        limit = starts[offset + 1] if offset + 1 < len(starts) else len(tail)
        index = first + offset
        try:
            found = decode_array(tail, start, limit, builder.decoder)
            if found is None:
                break
            end, logs = found
            del found
            builder.add(index, logs)
            del logs
            activity = builder.by_index.pop(index)
            users = builder.users[sent_users:]
            sent_users = len(builder.users)
            frames = activity_frames(end, users, activity)
            del activity, users
        except Exception:  # whatever it is, the worker meets it again and says it
            break
        for frame in frames:
            _write_frame(sink, frame)
        del frames, frame
    else:
        _write_frame(sink, pickle.dumps(_ENDED))
        return
    _write_frame(sink, pickle.dumps(None))


def activity_frames(end: int, users: list[User], activity: ActivityData) -> list[bytes]:
    """A folded activity as frames of a megabyte or so: the first with all but its list
    columns and payloads, which follow in pieces (``_Share.ends`` joins them again).

    The worker unpickles each frame in one call with the GIL held, taking all the fresh
    memory its objects need: one frame for a 100,000-log activity took up to 180 ms at
    2,000,000 logs, a pause in the window. Piece by piece, other threads run in between.
    """
    dump = partial(pickle.dumps, protocol=pickle.HIGHEST_PROTOCOL)
    ends, blocks = activity.fulfilment.parts()
    rest = copy.copy(activity)
    rest.fulfilment = Payloads()
    pieces: list[list[Any]] = []
    counts = []
    for name in _LIST_COLUMNS:
        column = getattr(activity, name)
        setattr(rest, name, [])
        made = [
            column[start : start + _ROWS_A_FRAME] for start in range(0, len(column), _ROWS_A_FRAME)
        ]
        pieces += made
        counts.append(len(made))
    head = dump((end, users, rest, counts, ends, len(blocks)))
    return [head, *map(dump, pieces), *map(dump, blocks)]


# -- the worker's side -------------------------------------------------------------------


def first_shared(starts: Sequence[int], size: int, part: float = HELPER_PART) -> int:
    """The first activity of the helper's share (an index of ``starts``): the last
    ``part`` of the arrays' bytes, cut at the activity boundary nearest to it, leaving one
    activity at least each side."""
    target = starts[0] + (size - starts[0]) * (1 - part)
    cut = bisect.bisect_left(starts, target)
    if 0 < cut < len(starts) and target - starts[cut - 1] < starts[cut] - target:
        cut -= 1
    return min(max(cut, 1), len(starts) - 1)


class FoldHelper:
    """The helper process of one window, one share at a time (``share``); ``close`` ends it."""

    def __init__(self, *, smallest: int = SHARE_FROM, part: float = HELPER_PART) -> None:
        self.smallest = smallest
        self.part = part
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._output: socket.socket | None = None
        self._frames: queue.SimpleQueue[bytearray | None] = queue.SimpleQueue()
        self._busy = False
        self._closed = False
        #: Activities folded by the helper so far, for whoever measures it.
        self.folded = 0

    def start(self) -> None:
        """Start the helper unless it runs (returns at once: its imports run in it). On
        systems other than POSIX ones there is none, and every answer is folded alone."""
        with self._lock:
            self._start()

    def _start(self) -> subprocess.Popen[bytes] | None:
        process = self._process
        if self._closed or (process is not None and process.poll() is None):
            return process
        if process is not None:  # ended by itself: let go of its streams
            _stop(process, self._output)
            self._process = self._output = None
        if os.name != "posix":
            return None
        root = str(Path(viewer.__file__).resolve().parents[1])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (root, env.get("PYTHONPATH"))))
        ours, theirs = socket.socketpair()
        try:
            for end, option in ((ours, socket.SO_RCVBUF), (theirs, socket.SO_SNDBUF)):
                end.setsockopt(socket.SOL_SOCKET, option, _SOCKET_BUFFER)
            process = subprocess.Popen(
                [sys.executable, "-c", _CODE],
                stdin=subprocess.PIPE,
                stdout=theirs.fileno(),
                bufsize=0,
                env=env,
            )
        except OSError:
            ours.close()
            self._process = None
            return None
        finally:
            theirs.close()
        frames: queue.SimpleQueue[bytearray | None] = queue.SimpleQueue()
        reader = threading.Thread(
            target=_pump, args=(ours, frames), name="fold-helper-reader", daemon=True
        )
        reader.start()
        self._process, self._output, self._frames = process, ours, frames
        return process

    @property
    def running(self) -> bool:
        process = self._process
        return process is not None and process.poll() is None

    def share(self, builder: Builder) -> ShareStarter:
        """What ``read_pathway_logs`` calls with the answer and its arrays to hand the
        helper its share; the share's activities are taken into ``builder``."""

        def begin(body: bytes | bytearray, starts: list[int]) -> LogsShare | None:
            # The first activity is folded: the rest is shared, one at least each side.
            if len(body) < self.smallest or len(starts) < 3:
                return None
            with self._lock:
                if self._busy:
                    return None  # another window's fetch has it: this one folds alone
                process = self._start()
                if process is None:
                    return None
                self._busy = True
                frames = self._frames
            first = 1 + first_shared(starts[1:], len(body), self.part)
            return _Share(self, process, frames, builder, body, starts, first)

        return begin

    def _done(self, process: subprocess.Popen[bytes], clean: bool) -> None:
        """A share is over; the helper keeps running only if it ended in step."""
        output = None
        with self._lock:
            self._busy = False
            if not clean and self._process is process:
                self._process, output, self._output = None, self._output, None
        if not clean:
            _stop(process, output)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            process, self._process = self._process, None
            output, self._output = self._output, None
        if process is not None:
            _stop(process, output)


def _stop(process: subprocess.Popen[bytes], output: socket.socket | None) -> None:
    process.kill()
    process.wait()
    if process.stdin is not None:
        with contextlib.suppress(OSError):  # a write of the sender's broke it already
            process.stdin.close()
    if output is not None:
        with contextlib.suppress(OSError):  # wakes the reader, which closes it
            output.shutdown(socket.SHUT_RDWR)


def _pump(output: socket.socket, frames: queue.SimpleQueue[bytearray | None]) -> None:
    """Move the helper's frames to ``frames``, then ``None`` when its output ends."""
    try:
        while (frame := _read_frame(output)) is not None:
            frames.put(frame)
    except OSError:  # shut down under it by ``_stop``
        pass
    finally:
        output.close()
    frames.put(None)


class _Share(LogsShare):
    """The activities from ``first`` on, folded by the helper."""

    def __init__(
        self,
        helper: FoldHelper,
        process: subprocess.Popen[bytes],
        frames: queue.SimpleQueue[bytearray | None],
        builder: Builder,
        body: bytes | bytearray,
        starts: list[int],
        first: int,
    ) -> None:
        self.first = first
        self._helper = helper
        self._process = process
        self._frames = frames
        self._builder = builder
        self._base = starts[first]
        self._count = len(starts) - first
        self._over = False
        #: The users known before the share, by their numbers here; the helper knows them.
        self._known = [user.email for user in builder.users]
        header = pickle.dumps(
            (first, [start - self._base for start in starts[first:]], self._known),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        # Up to where the last array ends: the helper tries each "]" before the tail's end.
        tail = memoryview(body)[self._base : last_array_limit(body, starts)]
        self._sender = threading.Thread(
            target=self._send, args=(header, tail), name="fold-helper-sender", daemon=True
        )
        self._sender.start()

    def _send(self, header: bytes, tail: memoryview) -> None:
        stream = self._process.stdin
        try:
            assert stream is not None
            _write_frame(stream, header)
            _write_frame(stream, tail)
        except (OSError, ValueError):  # the helper is gone: its output ends, and so the share
            pass
        finally:
            tail.release()

    def _next(self, cancel: CancelToken | None) -> Any:
        while True:
            try:
                frame = self._frames.get(timeout=_POLL)
            except queue.Empty:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                continue
            return _GONE if frame is None else pickle.loads(frame)

    def ends(self, cancel: CancelToken | None) -> Iterator[int]:
        numbers = list(range(len(self._known)))  # the helper's user numbers, as numbers here
        for offset in range(self._count):
            item = self._next(cancel)
            if not isinstance(item, tuple):
                self._over = item is None  # the helper stopped in step, at this activity
                return  # or it is gone: either way the rest is folded here
            end, users, activity, counts, payload_ends, blocks = item
            for name, count in zip(_LIST_COLUMNS, counts, strict=True):
                column: list[Any] = []
                for _ in range(count):
                    piece = self._next(cancel)
                    if type(piece) is not list:
                        return  # the helper is gone (or out of step): the rest is done here
                    column += piece
                    time.sleep(0)  # let the window take the GIL between pieces
                setattr(activity, name, column)
            payloads: list[bytes] = []
            for _ in range(blocks):
                payloads.append(self._next(cancel))
                time.sleep(0)
            try:
                activity.fulfilment = Payloads.from_parts(payload_ends, payloads)
            except ValueError:
                return
            self._builder.take(self.first + offset, activity, users, numbers)
            self._helper.folded += 1
            del item, activity
            yield self._base + end
        self._over = self._next(cancel) == _ENDED

    def close(self) -> None:
        self._helper._done(self._process, self._over)  # a helper out of step is stopped,
        self._sender.join()  # so that a send still under way fails at once
