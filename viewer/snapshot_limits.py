"""What one saved copy may cost the others: a bounded description, and who makes room.

A snapshot's description (its metadata) is stored uncompressed and read whole each time the
store is listed, and part of it comes from the server (the pathway's name, the hash). So
every text in it is bounded: text that only describes is cut short, and text that identifies
the copy (server, service, query) must fit, because a cut-short query would match another
query's copies. The whole description is bounded too.

When the store is full, a new copy may push out copies that a newer one of the same query
has replaced, oldest first, but never the last good copy of a query: one huge or unlucky
answer must not wipe every copy the user could fall back on when the server is away. A copy
that finds no room that way is not kept, and the caller says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Longest text in a description, in bytes of UTF-8.
TEXT_LIMIT = 1024
#: Largest description as a whole, in bytes of its JSON.
META_LIMIT = 64 * 1024
#: Fields naming what a copy is a copy of; cutting one short would mix queries up.
IDENTIFYING = ("server", "service", "query")
_ELLIPSIS = "…"


class DescriptionTooLong(ValueError):
    """The copy cannot be described within the bounds; it is not kept."""


def elide(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, ending in … when cut."""
    encoded = text.encode("utf-8", errors="surrogatepass")
    if len(encoded) <= limit:
        return text
    room = limit - len(_ELLIPSIS.encode())
    return encoded[:room].decode("utf-8", errors="ignore") + _ELLIPSIS


def _elided(value: Any) -> Any:
    if isinstance(value, str):
        return elide(value)
    if isinstance(value, Mapping):
        return {elide(str(k)): _elided(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_elided(v) for v in value]
    return value


def _too_long(value: Any) -> bool:
    if isinstance(value, str):
        return len(value.encode("utf-8", errors="surrogatepass")) > TEXT_LIMIT
    if isinstance(value, Mapping):
        return any(_too_long(str(k)) or _too_long(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_too_long(v) for v in value)
    return False


def bounded(meta: Mapping[str, Any]) -> dict[str, Any]:
    """``meta`` with its descriptive text cut short; raises when it still cannot fit."""
    for key in IDENTIFYING:
        if _too_long(meta.get(key)):
            raise DescriptionTooLong(key)
    result = {k: v if k in IDENTIFYING else _elided(v) for k, v in meta.items()}
    if len(encode(result)) > META_LIMIT:
        raise DescriptionTooLong("all")
    return result


def encode(meta: Mapping[str, Any]) -> bytes:
    return json.dumps(meta, ensure_ascii=False).encode("utf-8", errors="surrogatepass")


@dataclass(frozen=True)
class StoredCopy:
    """One file of the store, as room is made: ``key`` is None when it cannot be read."""

    path: Path
    size: int
    key: tuple[str, str, str] | None
    order: tuple[float, str]  # when it was fetched, then its name: oldest first


def removals(
    files: Iterable[StoredCopy],
    max_bytes: int,
    incoming: StoredCopy | None = None,
) -> tuple[list[Path], bool]:
    """The files to delete so that they and ``incoming`` fit ``max_bytes``, and whether they do.

    Unreadable files go first (they are nobody's good copy), then copies replaced by a newer
    one of the same query, oldest first. The newest copy of each query is never chosen, with
    ``incoming`` counted among them; when that leaves too little room, every other file is
    chosen and the answer says it does not fit.
    """
    copies = list(files)
    total = sum(c.size for c in copies) + (incoming.size if incoming else 0)
    if total <= max_bytes:
        return [], True
    newest: dict[tuple[str, str, str], tuple[float, str]] = {}
    for copy in [*copies, *([incoming] if incoming else [])]:
        if copy.key is not None and copy.order > newest.get(copy.key, (float("-inf"), "")):
            newest[copy.key] = copy.order
    candidates = sorted(
        (c for c in copies if c.key is None or newest[c.key] != c.order),
        key=lambda c: (c.key is not None, c.order),
    )
    chosen = []
    for copy in candidates:
        if total <= max_bytes:
            break
        chosen.append(copy.path)
        total -= copy.size
    return chosen, total <= max_bytes
