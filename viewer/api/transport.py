"""The sockets under the clients: cancellable at once, bounded by a deadline, loopback checked.

httpx blocks in the calling thread, inside one read, for as long as a server lets it: a
server that trickles a byte a second never lets a 60 s read timeout run out, and a cancel
flag checked between chunks is never looked at. So the network backend here wraps every
blocking step (resolving and connecting, the TLS handshake, each write and read):

- the step's timeout is cut to what is left of the request's deadline;
- while it blocks, cancelling the request shuts the socket down from the cancelling thread,
  which wakes the blocked call at once (connecting runs in a helper thread that is simply
  abandoned);
- a connection for a plain-http request is checked, once connected and before a byte is
  sent, to lead to this machine (the peer address, not the name), unless the user allowed
  insecure HTTP for the server.

What a request may spend is set per thread by ``RequestBounds.applied`` around the request,
since httpx hands the backend nothing but a host and a port.
"""

from __future__ import annotations

import contextlib
import ipaddress
import select
import signal
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpcore
import httpx

from viewer.api.cancel import CancelToken
from viewer.api.errors import Advice, ApiTimeoutError, InsecureUrlError, InvalidUrlError

T = TypeVar("T")

#: The most one read of a connection takes from its socket.
_READ_BYTES = 1 << 20
_local = threading.local()
_direct = httpcore.SyncBackend()


#: httpx's own pool limits.
_MAX_CONNECTIONS, _MAX_KEEPALIVE = 100, 20


@dataclass
class RequestBounds:
    """What one request (with its redirects and retries) may spend, and how to stop it."""

    cancel: CancelToken | None
    #: ``time.monotonic()`` by which the request must be done; None: no overall limit.
    deadline: float | None
    #: The error raised when the deadline passes.
    expired: Callable[[], ApiTimeoutError]

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def check(self) -> None:
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()
        left = self.remaining()
        if left is not None and left <= 0:
            raise self.expired()

    def cut(self, timeout: float | None) -> float | None:
        """``timeout`` shortened to what is left of the deadline."""
        self.check()
        left = self.remaining()
        if left is None:
            return timeout
        return left if timeout is None else min(timeout, left)

    @contextlib.contextmanager
    def applied(self) -> Iterator[RequestBounds]:
        """Make these the bounds of every network step this thread takes meanwhile."""
        previous = getattr(_local, "bounds", None)
        _local.bounds = self
        try:
            yield self
        finally:
            _local.bounds = previous


def _bounds() -> RequestBounds | None:
    return getattr(_local, "bounds", None)


def is_loopback_address(address: str) -> bool:
    """Whether an IP address (as a socket reports it) is on this machine."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _arrived(sock: ssl.SSLSocket) -> bool:
    """Whether a read of ``sock`` would find something without waiting for the network."""
    if sock.pending():
        return True
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):  # closed, or a descriptor past what select takes
        return False


def _shut_down(sock: socket.socket | None) -> None:
    """Wake any thread blocked on ``sock``; safe from another thread, unlike ``close``."""
    if sock is None:
        return
    with contextlib.suppress(OSError):
        # The plain socket call, also for a TLS socket (whose own shutdown drops its state).
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _GuardedStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner
        self._sock: socket.socket | None = inner.get_extra_info("socket")

    def _blocking(self, step: Callable[[float | None], T], timeout: float | None) -> T:
        bounds = _bounds()
        if bounds is None:
            return step(timeout)
        limit = bounds.cut(timeout)
        cancel = bounds.cancel
        forget = cancel.on_cancel(lambda: _shut_down(self._sock)) if cancel else None
        try:
            result = step(limit)
        except httpcore.TimeoutException:
            bounds.check()  # the deadline, rather than the step's own timeout, ran out
            raise
        except (httpcore.NetworkError, OSError):
            if cancel is not None:
                cancel.raise_if_cancelled()
            raise
        finally:
            if forget is not None:
                forget()
        if cancel is not None:
            cancel.raise_if_cancelled()  # what a shut-down socket returned means nothing
        return result

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        # httpcore asks for 64 KiB at a time; a large answer then costs thousands of trips
        # through httpcore and h11, each a few dozen microseconds of Python. A read returns
        # what has arrived, at most ``_READ_BYTES``: a slow server is read as before.
        size = max(max_bytes, _READ_BYTES)
        return self._blocking(lambda limit: self._read(size, limit), timeout)

    def _read(self, size: int, limit: float | None) -> bytes:
        data = self._inner.read(size, limit)
        sock = self._sock
        if not data or len(data) >= size or not isinstance(sock, ssl.SSLSocket):
            return data
        # Over TLS a read gives one record (16 KiB) at most: the records that have arrived
        # already are taken too, without waiting for any more.
        parts, total = [data], len(data)
        while total < size and _arrived(sock):
            more = self._inner.read(size - total, limit)
            if not more:
                break
            parts.append(more)
            total += len(more)
        return data if len(parts) == 1 else b"".join(parts)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._blocking(lambda limit: self._inner.write(buffer, limit), timeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._blocking(
            lambda limit: self._inner.start_tls(ssl_context, server_hostname, limit), timeout
        )
        return _GuardedStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


#: Signals that must reach the main thread, which waits in reads they have to interrupt.
_MAIN_THREAD_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _start_without_signals(thread: threading.Thread) -> None:
    """Start ``thread`` with SIGINT and SIGTERM blocked in it (it inherits the mask).

    The kernel hands a process's signal to any thread that does not block it. Delivered to
    a helper, Ctrl+C would only be noted, and the main thread would go on waiting in a
    stalled read; blocked there, it always interrupts the main thread.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: signals only reach the main thread
        thread.start()
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _MAIN_THREAD_SIGNALS)
    try:
        thread.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Connecting:
    """One connection attempt in a helper thread, which the requester may walk away from.

    Name resolution and ``connect`` cannot be interrupted from another thread; waiting for
    them here can. An abandoned attempt closes whatever it eventually gets.
    """

    def __init__(self, connect: Callable[[], httpcore.NetworkStream], name: str) -> None:
        self._connect = connect
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._stream: httpcore.NetworkStream | None = None
        self._error: BaseException | None = None
        self._abandoned = False
        _start_without_signals(threading.Thread(target=self._run, name=name, daemon=True))

    def _run(self) -> None:
        try:
            stream = self._connect()
        except BaseException as exc:
            self._error = exc
        else:
            with self._lock:
                if self._abandoned:
                    stream.close()
                else:
                    self._stream = stream
        finally:
            self._done.set()
            self._connect = None  # type: ignore[assignment]

    def wait(self, bounds: RequestBounds) -> httpcore.NetworkStream:
        cancel = bounds.cancel
        forget = cancel.on_cancel(self._done.set) if cancel else None
        try:
            self._done.wait(bounds.remaining())
        finally:
            if forget is not None:
                forget()
        with self._lock:
            if self._stream is not None and not (cancel is not None and cancel.cancelled):
                return self._stream
            if self._error is not None and not (cancel is not None and cancel.cancelled):
                if isinstance(self._error, httpcore.TimeoutException):
                    bounds.check()  # cut short by the deadline: say so
                raise self._error
            self._abandoned = True
            if self._stream is not None:
                self._stream.close()
        bounds.check()  # cancelled, or out of time
        raise bounds.expired()


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's own sockets, each blocking step bounded and cancellable (see the module)."""

    def __init__(self, *, plain_http_needs_loopback: bool) -> None:
        self.plain_http_needs_loopback = plain_http_needs_loopback

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        bounds = _bounds()

        def connect() -> httpcore.NetworkStream:
            return _direct.connect_tcp(host, port, limit, local_address, socket_options)

        if bounds is None:
            limit = timeout
            stream = connect()
        else:
            limit = bounds.cut(timeout)
            stream = _Connecting(connect, f"connect {host}:{port}").wait(bounds)
        if self.plain_http_needs_loopback and getattr(_local, "plain_http", False):
            _check_peer_is_loopback(stream, host)
        return _GuardedStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        return _GuardedStream(_direct.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        bounds = _bounds()
        if bounds is not None and bounds.cancel is not None:
            bounds.cancel.sleep(seconds)
        else:
            time.sleep(seconds)


def _check_peer_is_loopback(stream: httpcore.NetworkStream, host: str) -> None:
    peer = stream.get_extra_info("server_addr")
    address = str(peer[0]) if isinstance(peer, tuple) and peer else ""
    if is_loopback_address(address):
        return
    stream.close()
    where = f" ({address})" if address and address != host else ""
    raise InsecureUrlError(
        f"{host}{where} is not this machine, and plain http would send the token unencrypted.",
        advice=Advice.ALLOW_INSECURE_HTTP,
    )


class GuardedTransport(httpx.HTTPTransport):
    """An ``httpx.HTTPTransport`` whose connections come from a ``GuardedBackend``."""

    def __init__(
        self,
        *,
        verify: bool | str = True,
        proxy: str | None = None,
        plain_http_needs_loopback: bool = True,
    ) -> None:
        # Not the parent's __init__: it builds a pool without a way to choose the backend.
        backend = GuardedBackend(plain_http_needs_loopback=plain_http_needs_loopback)
        context = ssl_context(verify)
        if proxy is None:
            self._pool = httpcore.ConnectionPool(
                ssl_context=context,
                network_backend=backend,
                keepalive_expiry=5.0,
                max_connections=_MAX_CONNECTIONS,
                max_keepalive_connections=_MAX_KEEPALIVE,
            )
            return
        url = httpx.URL(proxy)
        if url.scheme not in ("http", "https"):
            raise InvalidUrlError(
                f"The proxy {url.scheme}://{url.host} is not an http or https proxy, the only "
                "kinds this app can use. Set HTTPS_PROXY to one, or unset it."
            )
        parsed = httpx.Proxy(url)
        self._pool = httpcore.HTTPProxy(
            proxy_url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            proxy_auth=parsed.raw_auth,
            proxy_headers=parsed.headers.raw,
            ssl_context=context,
            network_backend=backend,
            keepalive_expiry=5.0,
            max_connections=_MAX_CONNECTIONS,
            max_keepalive_connections=_MAX_KEEPALIVE,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _local.plain_http = request.url.scheme == "http"
        try:
            return super().handle_request(request)
        finally:
            _local.plain_http = False


def ssl_context(verify: bool | str) -> ssl.SSLContext:
    """The certificates to trust: the system's and certifi's, or a CA bundle file."""
    if isinstance(verify, str):
        return ssl.create_default_context(cafile=verify)
    return httpx.create_ssl_context(verify=verify)


def environment_mounts(
    make: Callable[[str], httpx.BaseTransport],
) -> dict[str, httpx.BaseTransport | None]:
    """Proxies named in the environment (HTTPS_PROXY, NO_PROXY, …), as httpx reads them."""
    from httpx._utils import get_environment_proxies  # what httpx itself uses for this

    return {
        pattern: None if proxy is None else make(proxy)
        for pattern, proxy in get_environment_proxies().items()
    }
