"""Saved copies of server answers, so what was fetched can be shown again without the server.

Each snapshot is one file: the raw answer compressed with Zstandard at level 1 (a 366 MB
pathway answer compresses in about 1 s to 40 MB, three times faster than zlib's fastest
level and smaller, and it decompresses twice as fast), followed by its metadata as JSON and
a fixed-size footer; copies written with zlib by earlier versions are still read. The
metadata says where the answer came from (server, service, query), when and how large it
was; it never holds a token. Files are written beside their final name
and renamed into place, so a snapshot is either whole or absent. The store keeps itself under
a size cap by deleting the oldest snapshots first, but never the last copy of a query, and
never for a copy larger than the cap (``snapshot_limits`` says why and how).

    store = SnapshotStore(directory)
    snapshot = store.save(body, server=url, service="pathway", query=query.body())
    body = store.load(store.latest_for(url, query.body()))
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import struct
import tempfile
import threading
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

import zstandard

from viewer.api.errors import ApiError
from viewer.formats import relative_time
from viewer.snapshot_limits import (
    META_LIMIT,
    TEXT_LIMIT,
    DescriptionTooLong,
    StoredCopy,
    bounded,
    encode,
    removals,
)

log = logging.getLogger(__name__)

PATHWAY = "pathway"
ACTIVITY = "activity"
#: Default size cap of a store, in bytes of snapshot files.
DEFAULT_MAX_BYTES = 500_000_000
SUFFIX = ".avsnap"
FORMAT = 2
_HEAD = b"AVSNAP2\n"  # Zstandard
_ZLIB_HEAD = b"AVSNAP1\n"  # the first format: zlib
_FOOTER = struct.Struct(">QI8s")  # compressed length, metadata length, magic
_TAIL = b"AVSNAPZ\n"
#: Fastest Zstandard level: compression runs while the user waits for a fetch.
LEVEL = 1
_CHUNK = 1 << 20
#: Compressed in large slices: the helper thread needs the GIL only between slices, and a
#: decoding thread beside it may hold the GIL for tens of milliseconds at a time.
_COMPRESS_CHUNK = 16 << 20
#: Temporary files older than this are leftovers of a crash and are removed.
_STALE_SECONDS = 3600


class SavedCopyError(ApiError):
    """A saved copy could not be read; shown like any failed load."""

    title = "Saved copy unreadable"


class SnapshotError(Exception):
    """A snapshot cannot be written or read; the message says why and what to do."""


class SnapshotTooLarge(SnapshotError):
    """A copy larger than the whole store may be; it is not kept, and nothing is removed."""


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"


def _too_large(cap: int, size: int | None = None) -> SnapshotTooLarge:
    takes = f"its copy takes {_megabytes(size)}" if size else "its copy is larger than that"
    return SnapshotTooLarge(
        f"This answer was not kept as a saved copy: saved copies may take {_megabytes(cap)} "
        f"in all and {takes}. The earlier copies are all kept; to keep answers this large, "
        "raise the setting snapshots/maxMegabytes."
    )


def _too_long() -> SnapshotError:
    return SnapshotError(
        "This answer was not kept as a saved copy: its server or query is too long to "
        f"describe (more than {TEXT_LIMIT} bytes in one value, or {META_LIMIT // 1024} KiB "
        "in all)."
    )


def canonical_query(query: Mapping[str, Any]) -> str:
    """One text per query, whatever the order of its keys, to compare queries by."""
    return json.dumps(dict(query), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def clean_server(url: str) -> str:
    """The server's address without credentials, query or fragment, and without a final /."""
    parts = urlsplit((url or "").strip())
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


@dataclass(frozen=True)
class Snapshot:
    """One saved answer, as listed; ``load`` gives its body."""

    path: Path
    server: str
    service: str
    query: dict[str, Any]
    fetched_at: float  # seconds since the epoch
    size: int  # bytes of the answer, uncompressed
    stored: int  # bytes of the file
    hash: str | None = None
    title: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.path.stem

    @property
    def host(self) -> str:
        return urlsplit(self.server).netloc or self.server

    @property
    def fetched_utc(self) -> str:
        moment = datetime.fromtimestamp(self.fetched_at, UTC)
        return moment.strftime("%Y-%m-%d %H:%M UTC")

    def age(self, now: float | None = None) -> str:
        moment = time.time() if now is None else now
        return relative_time(
            datetime.fromtimestamp(self.fetched_at, UTC), datetime.fromtimestamp(moment, UTC)
        )

    def matches(self, server: str, query: Mapping[str, Any], service: str | None = None) -> bool:
        return (
            self.server == clean_server(server)
            and canonical_query(self.query) == canonical_query(query)
            and (service is None or self.service == service)
        )

    def describe(self) -> str:
        """What was fetched: the pathway (or title) and any filters."""
        pathway = self.query.get("pathway")
        main = self.title or (pathway if isinstance(pathway, str) else "")
        filters = [
            f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
            for k, v in sorted(self.query.items())
            if v and k != "pathway"
        ]
        if not main and not filters:
            return "All activities" if self.service == ACTIVITY else "Everything"
        return "; ".join([main, *filters] if main else filters)


class PendingSnapshot:
    """A snapshot being compressed on a helper thread; ``commit`` or ``discard`` it.

    Compression releases the GIL, so it runs alongside the decoding of the same answer.
    The helper drops its reference to the body as soon as it is done.

    Begun without a body, the snapshot is fed the answer as it arrives (``feed``, then
    ``fed``) and compressed meanwhile, on the core a download leaves idle, by zstd's own
    thread: feeding it only copies each piece. (A Python thread would need the GIL back
    after every piece, and a thread reading the answer keeps it busy: that way, a 733 MB
    answer took twice as long to download.)
    """

    def __init__(
        self, store: SnapshotStore, body: bytes | bytearray | None, meta: dict[str, Any]
    ) -> None:
        self._store = store
        self._meta = meta
        self._size = 0 if body is None else len(body)
        self._error: BaseException | None = None
        self._compressed = 0
        #: Set when the copy grew past the store's cap; compression stops there.
        self._over_cap = False
        handle, temporary = store._temporary()
        self._temporary = Path(temporary)
        self._stream = os.fdopen(handle, "wb")
        self._body: bytes | bytearray | None = body
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        #: What ``feed`` hands the answer to, until it was all fed (or it stopped).
        self._feeding: zstandard.ZstdCompressionObj | None = None
        if body is None:
            try:
                self._stream.write(_HEAD)
            except BaseException:
                self.discard()
                raise
            self._feeding = zstandard.ZstdCompressor(
                level=LEVEL, write_checksum=True, threads=1
            ).compressobj()
        else:
            self._thread = threading.Thread(target=self._compress, name="snapshot-compress")
            self._thread.start()

    def feed(self, piece: bytes) -> None:
        """The answer's next bytes, for a snapshot begun without its body."""
        self._size += len(piece)
        feeding = self._feeding
        if feeding is None:
            return  # all fed, stopped past the cap, failed or discarded
        try:
            if self._compressed > self._store.max_bytes:
                self._over_cap = True  # not kept anyway: spare the disk and the time
                self._feeding = None
                return
            self._compressed += self._stream.write(feeding.compress(piece))
        except BaseException as exc:  # reported by commit
            self._error, self._feeding = exc, None

    def fed(self) -> None:
        """The whole answer was fed (``commit`` says so too)."""
        feeding, self._feeding = self._feeding, None
        if feeding is None:
            return
        try:
            self._compressed += self._stream.write(feeding.flush())
        except BaseException as exc:  # reported by commit
            self._error = exc

    def _compress(self) -> None:
        body, self._body = self._body, None
        assert body is not None
        try:
            self._stream.write(_HEAD)
            compressor = zstandard.ZstdCompressor(level=LEVEL, write_checksum=True).compressobj()
            view = memoryview(body)
            try:
                for start in range(0, len(view), _COMPRESS_CHUNK):
                    if self._stop.is_set():
                        return
                    if self._compressed > self._store.max_bytes:
                        # Not kept anyway: spare the disk and the time.
                        self._over_cap = True
                        return
                    self._compressed += self._stream.write(
                        compressor.compress(view[start : start + _COMPRESS_CHUNK])
                    )
                self._compressed += self._stream.write(compressor.flush())
            finally:
                view.release()
        except BaseException as exc:  # reported by commit
            self._error = exc
        finally:
            del body

    @property
    def written(self) -> int:
        """Bytes of compressed answer written so far."""
        return self._compressed

    def commit(self, **meta: Any) -> Snapshot:
        """Wait for the compression, add ``meta`` to the metadata and put the file in place.

        Raises ``SnapshotTooLarge`` for a copy larger than the store's cap, and
        ``SnapshotError`` when the copy cannot be described within bounds or finds no room
        without removing the last copy of another query; in each case nothing is removed.
        """
        if self._stop.is_set():
            raise SnapshotError("The saved copy was discarded before it was complete.")
        self.fed()
        if self._thread is not None:
            self._thread.join()
        cap = self._store.max_bytes
        try:
            if self._error is not None:
                raise self._error
            if self._over_cap:
                raise _too_large(cap)
            try:
                info = bounded({**self._meta, **meta, "size": self._size})
            except DescriptionTooLong:
                raise _too_long() from None
            encoded = encode(info)
            stored = len(_HEAD) + self._compressed + len(encoded) + _FOOTER.size
            if stored > cap:
                raise _too_large(cap, stored)
            self._stream.write(encoded)
            self._stream.write(_FOOTER.pack(self._compressed, len(encoded), _TAIL))
            self._stream.flush()
            os.fsync(self._stream.fileno())
            self._stream.close()
            final = self._store.directory / f"{info['id']}{SUFFIX}"
            snapshot = _snapshot_of(final, info, stored)
            self._store._admit(self._temporary, snapshot)
        except OSError as exc:
            self.discard()
            raise SnapshotError(
                f"The saved copy could not be written to {self._store.directory}: "
                f"{exc.strerror or exc}."
            ) from None
        except BaseException:
            self.discard()
            raise
        return snapshot

    def discard(self) -> None:
        """Stop, and leave nothing behind."""
        self._stop.set()
        self._feeding = None
        if self._thread is not None:
            self._thread.join()
        with contextlib.suppress(OSError):
            self._stream.close()
        with contextlib.suppress(OSError):
            self._temporary.unlink()


class SnapshotStore:
    """Snapshots in one directory, newest kept, at most ``max_bytes`` of files in all."""

    def __init__(self, directory: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES):
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()  # pruning from two workers at once

    # -- writing --------------------------------------------------------------------------

    def start(
        self,
        body: bytes | bytearray | None,
        *,
        server: str,
        service: str,
        query: Mapping[str, Any],
        fetched_at: float | None = None,
        title: str = "",
        **extra: Any,
    ) -> PendingSnapshot:
        """Begin saving ``body``; compression runs on a helper thread until ``commit``.
        Without ``body``, the snapshot is fed it (``PendingSnapshot.feed``)."""
        moment = time.time() if fetched_at is None else fetched_at
        stamp = datetime.fromtimestamp(moment, UTC).strftime("%Y%m%dT%H%M%S%fZ")
        meta: dict[str, Any] = {
            "format": FORMAT,
            "id": f"{service}-{stamp}-{secrets.token_hex(3)}",
            "server": clean_server(server),
            "service": service,
            "query": dict(query),
            "fetched_at": datetime.fromtimestamp(moment, UTC).isoformat(),
            "title": title,
            **extra,
        }
        try:
            bounded(meta)  # before any work: a query too long to describe is never kept
        except DescriptionTooLong:
            raise _too_long() from None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            return PendingSnapshot(self, body, meta)
        except OSError as exc:
            raise SnapshotError(
                f"No saved copy could be made in {self.directory}: {exc.strerror or exc}."
            ) from None

    def save(self, body: bytes | bytearray, **meta: Any) -> Snapshot:
        """Save ``body`` with its metadata (see ``start``) and return the new snapshot."""
        keys = ("server", "service", "query", "fetched_at", "title")
        pending = self.start(body, **{k: meta.pop(k) for k in keys if k in meta}, **meta)
        return pending.commit()

    def _temporary(self) -> tuple[int, str]:
        return tempfile.mkstemp(prefix=".snapshot-", suffix=".partial", dir=self.directory)

    # -- reading --------------------------------------------------------------------------

    def snapshots(self, service: str | None = None) -> list[Snapshot]:
        """Every readable snapshot, newest first; unreadable files are left out."""
        found = []
        for path in self._files():
            try:
                snapshot = read_meta(path)
            except SnapshotError as exc:
                log.warning("Skipping snapshot: %s", exc)
                continue
            if service is None or snapshot.service == service:
                found.append(snapshot)
        found.sort(key=lambda s: (s.fetched_at, s.id), reverse=True)
        return found

    def for_query(
        self, server: str, query: Mapping[str, Any], service: str | None = None
    ) -> list[Snapshot]:
        """The snapshots of one server and query, newest first."""
        return [s for s in self.snapshots(service) if s.matches(server, query, service)]

    def latest_for(
        self, server: str, query: Mapping[str, Any], service: str | None = None
    ) -> Snapshot | None:
        found = self.for_query(server, query, service)
        return found[0] if found else None

    def load(self, snapshot: Snapshot) -> bytearray:
        """The answer as it was received. Raises ``SnapshotError`` when the file is damaged."""
        return load_body(snapshot.path)

    def delete(self, snapshot: Snapshot) -> None:
        with contextlib.suppress(FileNotFoundError):
            snapshot.path.unlink()

    def total_bytes(self) -> int:
        return sum(_size(path) for path in self._files())

    def prune(self, keep: Snapshot | None = None) -> list[Path]:
        """Delete old snapshots until the files fit the size cap, as far as that can be done
        without removing the last copy of any query (nor ``keep``); what was deleted."""
        with self._lock:
            self._remove_stale_temporaries()
            files = [c for c in self._stored() if keep is None or c.path != keep.path]
            chosen, _fits = removals(files, self.max_bytes, None if keep is None else _stored(keep))
            return self._unlink(chosen)

    def _admit(self, temporary: Path, snapshot: Snapshot) -> None:
        """Make room for ``snapshot`` and rename its file into place, or remove nothing and
        raise ``SnapshotError``."""
        with self._lock:
            self._remove_stale_temporaries()
            files = self._stored()
            chosen, fits = removals(files, self.max_bytes, _stored(snapshot))
            if not fits:
                kept = len({c.key for c in files if c.key is not None})
                raise SnapshotError(
                    f"This answer was not kept as a saved copy: the last copies of {kept} "
                    f"other queries fill the {_megabytes(self.max_bytes)} saved copies may "
                    "take, and the last copy of a query is kept until a newer one replaces "
                    "it. Delete some in File > Open snapshot, or raise the setting "
                    "snapshots/maxMegabytes."
                )
            self._unlink(chosen)
            os.replace(temporary, snapshot.path)

    def _stored(self) -> list[StoredCopy]:
        copies = []
        for path in self._files():
            try:
                copies.append(_stored(read_meta(path)))
            except SnapshotError:
                copies.append(StoredCopy(path, _size(path), None, (0.0, _stamp_of(path))))
        return copies

    @staticmethod
    def _unlink(paths: list[Path]) -> list[Path]:
        removed = []
        for path in paths:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
        return removed

    def _files(self) -> list[Path]:
        try:
            return [p for p in self.directory.iterdir() if p.suffix == SUFFIX and p.is_file()]
        except FileNotFoundError:
            return []
        except OSError as exc:
            log.warning("Cannot list snapshots in %s: %s", self.directory, exc)
            return []

    def _remove_stale_temporaries(self) -> None:
        with contextlib.suppress(OSError):
            cutoff = time.time() - _STALE_SECONDS
            for path in self.directory.glob(".snapshot-*.partial"):
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()


def _stored(snapshot: Snapshot) -> StoredCopy:
    key = (snapshot.server, snapshot.service, canonical_query(snapshot.query))
    return StoredCopy(snapshot.path, snapshot.stored, key, (snapshot.fetched_at, snapshot.id))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _stamp_of(path: Path) -> str:
    parts = path.stem.split("-")
    return parts[1] if len(parts) >= 3 else ""


def _damaged(path: Path, what: str) -> SnapshotError:
    return SnapshotError(
        f"The saved copy {path.name} is damaged ({what}) and cannot be shown. Delete it, and "
        "fetch again when the server can be reached."
    )


def _footer(stream: Any, path: Path) -> tuple[int, int, int]:
    """(compressed length, metadata length, file size), checked against the file's size."""
    stream.seek(0, os.SEEK_END)
    total = stream.tell()
    if total < len(_HEAD) + _FOOTER.size:
        raise _damaged(path, "it is cut short")
    stream.seek(0)
    if stream.read(len(_HEAD)) not in (_HEAD, _ZLIB_HEAD):
        raise _damaged(path, "it is not a snapshot file")
    stream.seek(total - _FOOTER.size)
    compressed, meta_length, tail = _FOOTER.unpack(stream.read(_FOOTER.size))
    if tail != _TAIL or len(_HEAD) + compressed + meta_length + _FOOTER.size != total:
        raise _damaged(path, "it is cut short or overwritten")
    if meta_length > META_LIMIT:  # never read whole: listing reads every description
        raise _damaged(path, "its description is too long")
    return compressed, meta_length, total


def read_meta(path: Path) -> Snapshot:
    """A snapshot's metadata, read from the end of its file without decompressing."""
    try:
        with open(path, "rb") as stream:
            compressed, meta_length, total = _footer(stream, path)
            stream.seek(len(_HEAD) + compressed)
            info = json.loads(stream.read(meta_length))
        return _snapshot_of(path, info, total)
    except OSError as exc:
        raise SnapshotError(f"The saved copy {path.name} cannot be read: {exc.strerror}.") from None
    except (ValueError, KeyError, TypeError):
        raise _damaged(path, "its description is unreadable") from None


def _snapshot_of(path: Path, info: dict[str, Any], stored: int) -> Snapshot:
    known = {"format", "id", "server", "service", "query", "fetched_at", "size", "hash", "title"}
    query = info["query"]
    if not isinstance(query, dict):
        raise TypeError("query")
    return Snapshot(
        path=path,
        server=str(info["server"]),
        service=str(info["service"]),
        query=query,
        fetched_at=datetime.fromisoformat(info["fetched_at"]).timestamp(),
        size=int(info["size"]),
        stored=stored,
        hash=info.get("hash"),
        title=str(info.get("title") or ""),
        extra={k: v for k, v in info.items() if k not in known},
    )


class _Decompressor(Protocol):
    """What ``load_body`` needs of zlib's and Zstandard's decompressing objects."""

    @property
    def eof(self) -> bool: ...

    def decompress(self, data: bytes, /) -> bytes: ...

    def flush(self) -> bytes: ...


def _decompressor(head: bytes) -> _Decompressor:
    if head == _ZLIB_HEAD:
        return zlib.decompressobj()
    return zstandard.ZstdDecompressor().decompressobj()


def load_body(path: Path) -> bytearray:
    """The decompressed answer of the snapshot at ``path``, checked for completeness."""
    try:
        with open(path, "rb") as stream:
            compressed, meta_length, _total = _footer(stream, path)
            stream.seek(len(_HEAD) + compressed)
            info = json.loads(stream.read(meta_length))
            size = int(info["size"])
            stream.seek(0)
            decompressor = _decompressor(stream.read(len(_HEAD)))
            body = bytearray()
            left = compressed
            while left > 0 and len(body) <= size:
                chunk = stream.read(min(_CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
                body += decompressor.decompress(chunk)
            if len(body) <= size:
                body += decompressor.flush()
    except OSError as exc:
        raise SnapshotError(f"The saved copy {path.name} cannot be read: {exc.strerror}.") from None
    except (zlib.error, zstandard.ZstdError):
        raise _damaged(path, "its data does not decompress") from None
    except (ValueError, KeyError, TypeError):
        raise _damaged(path, "its description is unreadable") from None
    if left or not decompressor.eof or len(body) != size:
        raise _damaged(path, "its data is incomplete")
    return body  # not copied into bytes: a large answer would be held twice
