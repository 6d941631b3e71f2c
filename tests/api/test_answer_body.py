"""Reading an uncompressed answer of a stated length (``viewer.api.body.read_body``).

These are cases a transport other than HTTP/1.1 (or a mock) can produce, where nothing
holds the body to its stated length: what arrives is read, within the cap.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from viewer.api.body import BodyLimits, read_body
from viewer.api.errors import ApiError


class _TooLarge(ApiError):
    pass


def _limits(cap: int = 1000) -> BodyLimits:
    return BodyLimits(cap, lambda: _TooLarge("too large"), lambda _: _TooLarge("undecodable"))


def _answer(chunks: list[bytes], length: int) -> httpx.Response:
    class Chunks(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield from chunks

    return httpx.Response(200, headers={"Content-Length": str(length)}, stream=Chunks())


def test_a_body_of_its_stated_length_is_read_whole() -> None:
    seen: list[tuple[int, int | None]] = []
    body = read_body(_answer([b"ab", b"cd"], 4), _limits(), progress=lambda *a: seen.append(a))
    assert body == b"abcd"
    assert seen[-1][1] == 4


def test_a_body_shorter_than_stated_is_what_arrived() -> None:
    assert read_body(_answer([b"ab"], 4), _limits()) == b"ab"


def test_a_body_longer_than_stated_is_read_on() -> None:
    assert read_body(_answer([b"ab", b"cdef", b"gh"], 4), _limits()) == b"abcdefgh"


def test_a_body_longer_than_stated_still_meets_the_cap() -> None:
    with pytest.raises(_TooLarge):
        read_body(_answer([b"ab", b"c" * 2000], 4), _limits())
