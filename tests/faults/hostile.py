"""A loopback HTTP server of the tests' own that misbehaves the way an attacker's would.

The demo server plays by the rules of HTTP; this one answers each request through a function
given the raw socket, so it can trickle a byte a second, fall silent, send a gzip bomb or
redirect anywhere. Everything stays on this machine.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import socket
import ssl
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


#: Writes the answer to one request: (connection, request, the server's stop event).
Answer = Callable[[socket.socket, Received, threading.Event], None]


@dataclass
class HostileServer:
    """Serves every request with ``answer``; records what arrived (headers lower-cased)."""

    answer: Answer
    host: str = "127.0.0.1"
    #: Serve https with this context (see ``self_signed``); plain http when None.
    tls: ssl.SSLContext | None = None
    requests: list[Received] = field(default_factory=list)
    #: Connections accepted, whether or not a request arrived on them.
    connections: int = 0
    url: str = ""

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> HostileServer:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, 0))
        listener.listen(16)
        listener.settimeout(0.1)
        self._listener = listener
        port = listener.getsockname()[1]
        shown = f"[{self.host}]" if family == socket.AF_INET6 else self.host
        self.url = f"{'https' if self.tls else 'http'}://{shown}:{port}"
        self._spawn(self._accept_loop)
        return self

    @property
    def port(self) -> int:
        assert self._listener is not None
        return self._listener.getsockname()[1]

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            for conn in self._open:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        for thread in list(self._threads):
            thread.join(10)
        if self._listener is not None:
            self._listener.close()
        with self._lock:
            for conn in self._open:
                conn.close()
            self._open.clear()

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                self._open.append(conn)
                self.connections += 1
            self._spawn(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(None)
        except OSError:  # closed by stop() before this thread got to it
            return
        if self.tls is not None:
            try:
                secure = self.tls.wrap_socket(conn, server_side=True)
            except OSError:
                conn.close()
                return
            with self._lock:
                self._open[self._open.index(conn)] = conn = secure
        reader = conn.makefile("rb")
        try:
            while not self._stop.is_set():
                request = _read_request(reader)
                if request is None:
                    return
                self.requests.append(request)
                self.answer(conn, request, self._stop)
        except OSError:
            return
        finally:
            reader.close()
            with self._lock:
                if conn in self._open:
                    self._open.remove(conn)
            conn.close()


def self_signed(folder: Path) -> tuple[ssl.SSLContext, str]:
    """A server context for 127.0.0.1 and localhost, and the CA file a client should trust."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hostile test server")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, str(cert_file)


def _read_request(reader) -> Received | None:
    line = reader.readline(65536)
    if not line:
        return None
    method, path, _version = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        header = reader.readline(65536)
        if header in (b"\r\n", b"\n", b""):
            break
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length") or 0)
    body = reader.read(length) if length else b""
    return Received(method, path, headers, body)


# -- answers ----------------------------------------------------------------------------


def head(status: int = 200, reason: str = "OK", **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def silent() -> Answer:
    """Reads the request and never answers."""

    def answer(conn: socket.socket, request: Received, stop: threading.Event) -> None:
        stop.wait()

    return answer


def trickle(payload: bytes, *, interval: float = 1.0, headers_first: bool = False) -> Answer:
    """Sends the answer one byte every ``interval`` seconds (after whole headers, if asked)."""

    def answer(conn: socket.socket, request: Received, stop: threading.Event) -> None:
        start = 0
        if headers_first:
            start = payload.index(b"\r\n\r\n") + 4
            conn.sendall(payload[:start])
        for index in range(start, len(payload)):
            if stop.wait(interval):
                return
            conn.sendall(payload[index : index + 1])

    return answer


def sends(payload: bytes | Callable[[], Iterator[bytes]]) -> Answer:
    """Sends ``payload`` (bytes, or a function giving its pieces) as fast as it is read."""

    def answer(conn: socket.socket, request: Received, stop: threading.Event) -> None:
        pieces = [payload] if isinstance(payload, bytes) else payload()
        for piece in pieces:
            if stop.is_set():
                return
            conn.sendall(piece)

    return answer


def json_answer(value: object, status: int = 200) -> bytes:
    body = json.dumps(value).encode()
    return head(status, "OK", Content_Type="application/json", Content_Length=str(len(body))) + (
        body
    )


def redirect(status: int, location: str) -> Answer:
    """Redirects every request to ``location`` (a full URL, or a path on the same origin)."""
    reasons = {301: "Moved Permanently", 302: "Found", 303: "See Other"}
    reasons |= {307: "Temporary Redirect", 308: "Permanent Redirect"}

    def answer(conn: socket.socket, request: Received, stop: threading.Event) -> None:
        conn.sendall(head(status, reasons[status], Location=location, Content_Length="0"))

    return answer


def pathway_answer(name: str = "Pathway A", logs: list | None = None) -> bytes:
    """A small valid pathway answer, as the demo server would give it."""
    activity = {"ID": "a1", "name": "Activity 1", "type": "article", "logs": logs or []}
    return json_answer(
        {
            "status": "success",
            "data": [{"pathway": {"ID": "p1", "name": name}, "activities": [activity]}],
        }
    )


def gzip_bomb(expanded: int, *, prefix: bytes = b"", fill: bytes = b"A") -> Iterator[bytes]:
    """A gzip stream of ``prefix`` then ``expanded`` bytes of ``fill``, made in little memory.

    Each megabyte of filler is compressed after a full flush, so every block after the first
    is the same few bytes: a large bomb costs next to nothing to make and to send.
    """
    step = 1 << 20
    chunk = fill * (step // len(fill))
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    yield compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc, size = zlib.crc32(prefix), len(prefix)
    repeated = b""
    for _ in range(max(1, expanded // step)):
        if len(repeated) == 0 or size < 3 * step:
            repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
        yield repeated
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
    # The compressor saw only the first blocks: the trailer is written for the whole.
    yield compressor.flush()[:-8] + struct.pack("<II", crc, size & 0xFFFFFFFF)


def gzip_bomb_answer(expanded: int, *, prefix: bytes = b"", fill: bytes = b"A") -> Answer:
    """A 200 whose gzip body (of unknown length, sent until closed) expands to ``expanded``."""

    def pieces() -> Iterator[bytes]:
        yield head(200, "OK", Content_Type="application/json", Content_Encoding="gzip")
        yield from gzip_bomb(expanded, prefix=prefix, fill=fill)

    inner = sends(pieces)

    def answer(conn: socket.socket, request: Received, stop: threading.Event) -> None:
        inner(conn, request, stop)
        conn.shutdown(socket.SHUT_WR)  # the end of a body without a length
        stop.wait()

    return answer
