"""Finding each activity's ``logs`` array in a pathway answer without one long scan.

msgspec skips JSON at roughly 1.3 GB/s while holding the GIL, so decoding even just the
envelope of a 170 MB answer blocks every other thread for over 100 ms. Here the arrays are
located with ``bytes.find`` (C speed), each is decoded on its own, and the rest, the
envelope with every ``logs`` emptied, is small. A guess that is wrong cannot decode, and on any
surprise the caller falls back to decoding the whole body in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Protocol, TypeVar

import msgspec

_KEY = b'"logs"'
_SPACE = b" \t\r\n"
_MAX_CANDIDATES = 10_000
#: How many of the last `]` before a limit are tried as an array's end.
MAX_END_TRIES = 8
_WINDOW = 8 << 20
_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)
#: Where one object of an array may end and the next begin: a guess only a right cut decodes.
_BETWEEN_OBJECTS = re.compile(rb"\}\s*,\s*\{")


def _skip_space(body: bytes | bytearray, index: int) -> int:
    while index < len(body) and body[index] in _SPACE:
        index += 1
    return index


def is_blank(body: bytes | bytearray) -> bool:
    """Whether the body is empty or only white space (without copying it)."""
    return _skip_space(body, 0) == len(body)


def _find_all(
    body: bytes | bytearray, needle: bytes, pause: Callable[[], None] | None
) -> Iterator[int]:
    """Every offset of ``needle``, searched in windows so the GIL is released between them.

    ``bytes.find`` runs near 1.5 GB/s on JSON (quotes are everywhere), so one call over a
    large body would hold the GIL for over 100 ms.
    """
    overlap = len(needle) - 1  # finds a match that starts in this window and ends past it
    window_start = 0
    while window_start < len(body):
        window_end = min(window_start + _WINDOW, len(body))
        index = body.find(needle, window_start, window_end + overlap)
        while index != -1:
            yield index
            index = body.find(needle, index + len(needle), window_end + overlap)
        window_start = window_end
        if pause is not None:
            pause()


def array_starts(
    body: bytes | bytearray, pause: Callable[[], None] | None = None
) -> list[int] | None:
    """Offsets of the ``[`` opening each ``"logs": [``; ``None`` if the shape is unusual."""
    starts: list[int] = []
    for index in _find_all(body, _KEY, pause):
        after = _skip_space(body, index + len(_KEY))
        if after < len(body) and body[after] == ord(":"):
            value = _skip_space(body, after + 1)
            if value >= len(body) or body[value] != ord("["):
                return None  # "logs" that is not an array: let the plain decoder judge
            starts.append(value)
            if len(starts) > _MAX_CANDIDATES:
                return None
    return starts or None


def array_pieces(
    buf: bytes | bytearray | memoryview, size: int
) -> Iterator[bytes | bytearray | memoryview]:
    """An array of objects as arrays of about ``size`` bytes each, cut between two objects.

    Each cut is after a ``}`` followed by ``,{``. A cut inside a string or a nested value
    leaves a piece that cannot decode, so a caller whose piece fails decodes the whole
    array instead (which also gives the error a plain decode gives). An array of at most
    twice ``size`` comes as it is; any other piece is a copy.
    """
    length = len(buf)
    if length <= 2 * size:
        yield buf
        return
    start = 1  # just past the array's "["
    while True:
        cut = _BETWEEN_OBJECTS.search(buf, start + size) if length - start > 2 * size else None
        if cut is None:
            yield b"".join((b"[", buf[start:]))
            return
        yield b"".join((b"[", buf[start : cut.start() + 1], b"]"))
        start = cut.end() - 1  # at the next object's "{"


class _Decoder(Protocol[_T_co]):
    def decode(self, buf: bytes | bytearray | memoryview, /) -> _T_co: ...


def decode_array(
    body: bytes | bytearray, start: int, limit: int, decoder: _Decoder[_T]
) -> tuple[int, _T] | None:
    """Decode the array opening at ``start`` and ending before ``limit``.

    Tries each ``]`` from ``limit`` backwards: only the true end decodes (an earlier one
    leaves the array unbalanced, a later one leaves trailing characters). Returns the offset
    just past the array and the decoded value, or ``None`` when no candidate decodes.
    """
    view = memoryview(body)
    end = limit
    try:
        for _ in range(MAX_END_TRIES):
            close = body.rfind(b"]", start, end)
            if close == -1:
                return None
            try:
                return close + 1, decoder.decode(view[start : close + 1])
            except (msgspec.DecodeError, UnicodeDecodeError):
                end = close
            except RecursionError:
                return None  # nested too deeply: the plain path says so
        return None
    finally:
        view.release()


#: What ``skeleton`` puts in place of each array it took out. Unlike ``[]`` (the default of
#: an activity without ``logs``), it shows which values were taken out.
MARKER = b"[\t \t]"


def skeleton(body: bytes | bytearray, spans: list[tuple[int, int]]) -> bytes:
    """The body with each ``(start, end)`` span replaced by ``MARKER``: quick to decode."""
    pieces = []
    position = 0
    for start, end in spans:
        pieces.append(bytes(body[position:start]))
        pieces.append(MARKER)
        position = end
    pieces.append(bytes(body[position:]))
    return b"".join(pieces)
