"""Reading an answer's body within a size cap, decompressing it a bounded step at a time.

httpx decompresses each chunk from the wire in one go, so 64 KiB of gzip bomb becomes 64 MB
before anyone can count it, and a 4 MB bomb 4 GB. Here the raw bytes are decompressed with
``max_length``, one megabyte of output at a time, and the total is checked after every step:
no answer ever holds more than the cap plus a step.

Whoever keeps a copy of the answer (a saved copy, compressed as it comes) is handed each
piece as it is read (``BodyCopy``), and a reader done with part of a large body may give its
memory back before it is done with the rest (``release``).
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Protocol

from viewer.api.cancel import CancelToken
from viewer.api.errors import ApiError, Cancelled

if TYPE_CHECKING:  # only named in annotations: importing this leaves httpx unloaded
    import httpx

#: The most one answer may hold, decompressed. The largest real pathway answer seen (400,000
#: logs) is about 196 MB.
DEFAULT_MAX_ANSWER_BYTES = 256_000_000
#: What an error answer is read to: only its start is ever quoted.
EXCERPT_BYTES = 65536
#: The encodings asked for in ``Accept-Encoding``, and so the only ones accepted.
ACCEPT_ENCODING = "gzip, deflate"

_STEP = 1 << 20

#: Called with (bytes received so far, expected total or None).
ProgressCallback = Callable[[int, int | None], None]


class BodyCopy(Protocol):
    """Is handed an answer's bytes as they are read, to keep a copy meanwhile."""

    def begin(self) -> None:
        """An answer begins: anything fed before (a retried request's) is void."""
        ...

    def feed(self, piece: bytes) -> None:
        """The next bytes of the answer, decompressed."""
        ...


_madvise: Callable[[int, int, int], int] | None = None


def release(body: bytes | bytearray, start: int, end: int) -> int:
    """Give the memory of ``body[start:end]`` back to the system, whole pages of it; returns
    how many bytes that was. Those bytes read as zeros afterwards: only for a part of an
    answer nobody reads again. Nothing is done but for a ``bytearray``, on Linux.

    A pathway answer is hundreds of megabytes, read one activity's logs at a time; given
    back as they are read, the answer and what is made of it are not held whole at once.
    """
    global _madvise
    if type(body) is not bytearray or sys.platform != "linux" or end - start < 4096:
        return 0
    import ctypes  # here: a window that never fetches a large answer does without it
    import mmap

    if _madvise is None:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.madvise
        function.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
        function.restype = ctypes.c_int
        _madvise = function
    page = mmap.PAGESIZE
    view = (ctypes.c_char * len(body)).from_buffer(body)  # held: no resize meanwhile
    try:
        address = ctypes.addressof(view)
        first = -(-(address + max(start, 0)) // page) * page
        last = (address + min(end, len(body))) // page * page
        if last <= first or _madvise(first, last - first, mmap.MADV_DONTNEED) != 0:
            return 0
        return last - first
    finally:
        del view


class _Plain:
    def feed(self, data: bytes) -> Iterator[bytes]:
        yield data

    def end(self) -> bytes:
        return b""


class _Inflate:
    """gzip or zlib/raw deflate, giving out at most ``_STEP`` bytes per step."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._first = True
        self._engine = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        engine = self._engine
        if self._first and data and not self._gzip:
            self._first = False
            try:
                out = engine.decompress(data, _STEP)
            except zlib.error:
                # "deflate" without the zlib wrapper, as some servers send it.
                engine = self._engine = zlib.decompressobj(-zlib.MAX_WBITS)
                out = engine.decompress(data, _STEP)
            yield out
        else:
            yield engine.decompress(data, _STEP)
        while engine.unconsumed_tail:
            yield engine.decompress(engine.unconsumed_tail, _STEP)

    def end(self) -> bytes:
        # Everything fed has been drained step by step: what is left is at most a step.
        return self._engine.flush(_STEP)


def _decoder_for(encoding: str) -> _Plain | _Inflate | None:
    names = [name.strip().lower() for name in encoding.split(",") if name.strip()]
    names = [name for name in names if name != "identity"]
    if not names:
        return _Plain()
    if len(names) == 1 and names[0] in ("gzip", "x-gzip"):
        return _Inflate(gzip=True)
    if len(names) == 1 and names[0] == "deflate":
        return _Inflate(gzip=False)
    return None


class BodyLimits:
    """The cap on one answer, and the errors a reader raises (made by the client)."""

    def __init__(
        self,
        max_bytes: int,
        too_large: Callable[[], ApiError],
        undecodable: Callable[[str], ApiError],
    ) -> None:
        self.max_bytes = max_bytes
        self.too_large = too_large
        self.undecodable = undecodable


def read_body(
    response: httpx.Response,
    limits: BodyLimits,
    *,
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
    copy: BodyCopy | None = None,
) -> bytearray:
    """The decompressed body, or the client's error once it would pass ``limits.max_bytes``.
    ``copy`` is fed each piece as it is read."""
    if copy is not None:
        copy.begin()
    if response.is_stream_consumed:  # made whole in memory (a mock transport): no stream
        if len(response.content) > limits.max_bytes:
            raise limits.too_large()
        if copy is not None:
            copy.feed(response.content)
        if progress is not None:
            progress(len(response.content), len(response.content))
        return bytearray(response.content)
    decoder = _decoder_for(response.headers.get("Content-Encoding", ""))
    if decoder is None:
        raise limits.undecodable(response.headers.get("Content-Encoding", ""))
    length = response.headers.get("Content-Length", "")
    total = int(length) if length.isdigit() else None
    if isinstance(decoder, _Plain) and total is not None and total > limits.max_bytes:
        raise limits.too_large()
    cap = limits.max_bytes
    # One growing buffer rather than chunks joined at the end: joining would hold the body
    # twice at once, which for a pathway answer is hundreds of megabytes.
    body = bytearray()
    try:
        for raw in response.iter_raw():  # as read: re-cut to a size, each byte is copied
            if cancel is not None and cancel.cancelled:
                raise Cancelled("The request was cancelled.")
            for piece in decoder.feed(raw):
                if len(body) + len(piece) > cap:
                    raise limits.too_large()
                body += piece
                if copy is not None:
                    copy.feed(piece)
            if progress is not None:
                # Bytes on the wire (compressed), as Content-Length counts them.
                progress(response.num_bytes_downloaded, total)
        rest = decoder.end()
    except zlib.error:
        raise limits.undecodable("") from None
    if len(body) + len(rest) > cap:
        raise limits.too_large()
    body += rest
    if copy is not None and rest:
        copy.feed(rest)
    return body


def read_excerpt(response: httpx.Response, limit: int = EXCERPT_BYTES) -> bytes:
    """The start of an error answer, decompressed no further than ``limit``."""
    if response.is_stream_consumed:
        return response.content[:limit]
    decoder = _decoder_for(response.headers.get("Content-Encoding", ""))
    if decoder is None:
        return b""
    body = bytearray()
    try:
        for raw in response.iter_raw(EXCERPT_BYTES):
            for piece in decoder.feed(raw):
                body += piece[: limit - len(body)]
                if len(body) >= limit:
                    return bytes(body)
    except zlib.error:
        pass  # the start decoded so far is still worth quoting
    return bytes(body)
