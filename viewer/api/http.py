"""The HTTP core both clients share: URLs, timeouts, retries, cancellation, error mapping.

httpx and the transport below it are imported at their first use (``viewer.api.lazy``), so
the window and the cores that only name these clients open without loading them.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Self

import msgspec

from viewer import USER_AGENT
from viewer.api.body import (
    ACCEPT_ENCODING,
    DEFAULT_MAX_ANSWER_BYTES,
    BodyCopy,
    BodyLimits,
    ProgressCallback,
    read_body,
    read_excerpt,
)
from viewer.api.cancel import CancelToken
from viewer.api.errors import (
    UNDECODABLE,
    Advice,
    AnswerTooLargeError,
    ApiError,
    ApiReportedError,
    ApiTimeoutError,
    AuthError,
    BadResponseError,
    Cancelled,
    DeadlineExceeded,
    InsecureUrlError,
    InvalidUrlError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TokenRenewedError,
    excerpt_of,
    sentence,
)
from viewer.api.lazy import on_first_use
from viewer.api.redaction import hide_credentials_in_logs
from viewer.api.redirects import MAX_REDIRECTS, check_redirect
from viewer.api.token_source import TokenSource, as_token_source

if TYPE_CHECKING:
    import httpx

    from viewer.api import transport as _transport
else:
    httpx = on_first_use("httpx")
    _transport = on_first_use("viewer.api.transport")

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_ANSWER_BYTES",
    "DEFAULT_TIMEOUT",
    "BaseClient",
    "CancelToken",
    "ProgressCallback",
    "RetryPolicy",
    "Timeouts",
]

#: Longer waits asked for are shown as this; nobody waits days for an answer.
_MAX_RETRY_AFTER = 86400.0


class Timeouts(NamedTuple):
    """httpx's four timeouts in its own order, which it takes as a plain tuple."""

    connect: float | None
    read: float | None
    write: float | None
    pool: float | None


#: Each step: connecting, and then any one write or read (restarted by every byte).
DEFAULT_TIMEOUT = Timeouts(connect=10.0, read=60.0, write=30.0, pool=10.0)
#: The whole request, redirects and retries included, however steadily bytes trickle in.
DEFAULT_DEADLINE = 300.0


@dataclass(frozen=True)
class RetryPolicy:
    """Retries for requests that are safe to repeat; waits are capped so the UI stays honest."""

    attempts: int = 3
    backoff: float = 0.5
    max_wait: float = 10.0

    def delay(self, attempt: int) -> float:
        return min(self.backoff * (2.0 ** (attempt - 1)), self.max_wait)


NO_RETRY = RetryPolicy(attempts=1)


def is_loopback_host(host: str) -> bool:
    """Whether a URL's host may be this machine: a first guess from the name alone.

    ``localhost`` names pass here, but only as far as connecting: the connection itself then
    checks the address it reached (``transport.GuardedBackend``).
    """
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_base_url(url: str) -> str:
    """``https://h/``, ``https://h/v1`` and ``https://h/v1/`` all become ``https://h``."""
    text = (url or "").strip()
    if not text:
        raise InvalidUrlError("No server address is set. Enter the server's base URL.")
    if "://" not in text:
        raise InvalidUrlError(
            f"“{text}” is not a full address. Start it with https:// (for example "
            "https://api.example.com)."
        )
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, ValueError) as exc:
        raise InvalidUrlError(f"“{text}” is not a valid address: {exc}.") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidUrlError(
            f"“{text}” is not an http or https address with a host name. "
            "Use an address like https://api.example.com."
        )
    path = parsed.path.rstrip("/")
    if path.endswith("/v1"):
        path = path[: -len("/v1")]
    return str(parsed.copy_with(path=path or "", query=None, fragment=None)).rstrip("/")


def check_transport_security(base_url: str, *, allow_insecure_http: bool) -> None:
    """Refuse to send a token in clear text to another machine unless the user opted in."""
    url = httpx.URL(base_url)
    if url.scheme == "http" and not is_loopback_host(url.host) and not allow_insecure_http:
        raise InsecureUrlError(
            f"{url.host} would be reached over plain http, which sends the token unencrypted.",
            advice=Advice.ALLOW_INSECURE_HTTP,
        )


def check_token(token: str, service: str) -> None:
    """Refuse a token that cannot travel in an HTTP header, before anything is sent.

    Header values are ASCII; anything else (a pasted accent, curly quote or line break) would
    fail inside the HTTP library with a traceback instead of a message.
    """
    for position, char in enumerate(token, 1):
        if not " " <= char <= "~":
            raise AuthError(
                f"The token for the {service} server has a character that cannot be sent "
                f"(character {position} is not plain ASCII text). Tokens are made of letters, "
                "digits and punctuation only: copy it again from where it was issued."
            )


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        import email.utils  # only for a dated Retry-After: not loaded with every client

        try:
            when = email.utils.parsedate_to_datetime(value)  # raises when it cannot parse
            current = time.time() if now is None else now
            seconds = when.timestamp() - current
        except (TypeError, ValueError, OverflowError, OSError):
            return None
    if not math.isfinite(seconds):
        return None  # "inf", "nan", "1e999": no usable wait
    return min(max(0.0, seconds), _MAX_RETRY_AFTER)


class _ErrorBody(msgspec.Struct):
    """Both vendors' error shapes, tolerantly: extra keys ignored, all optional."""

    status: Any = None
    message: Any = None
    error: Any = None
    error_code: Any = None
    statusCode: Any = None
    trace_id: Any = None


def without_bom(body: bytes | bytearray) -> bytes | bytearray:
    """The body without the UTF-8 byte-order mark some servers put before JSON.

    JSON parsers may ignore one (RFC 8259); msgspec does not. Only a body that has one is
    copied.
    """
    return body[3:] if body[:3] == b"\xef\xbb\xbf" else body


def api_message(body: bytes | bytearray) -> str | None:
    """The human message in an API error body, if the body has one."""
    try:
        parsed = msgspec.json.decode(without_bom(body), type=_ErrorBody)
    except UNDECODABLE:
        return None
    parts = [
        str(value)
        for value in (parsed.message, parsed.error, parsed.error_code)
        if isinstance(value, str | int) and str(value).strip()
    ]
    if not parts:
        return None
    text = " — ".join(dict.fromkeys(parts))
    if isinstance(parsed.trace_id, str) and parsed.trace_id:
        text += f" (trace {parsed.trace_id})"
    return text[:500]


def bad_response(
    service: str, what: str, body: bytes | bytearray, status: int | None = None
) -> BadResponseError:
    """The error for an answer the API does not document, quoting its start."""
    excerpt = excerpt_of(body)
    shown = f" It began: “{excerpt}”." if excerpt else " It was empty."
    return BadResponseError(
        f"The {service} server sent {what}.{shown} The address may point at another "
        "service, or a proxy answered instead; check the server URL and try again.",
        excerpt=excerpt,
        status=status,
    )


class BaseClient:
    """An httpx client for one service: authentication, retries and errors in one place.

    Subclasses set ``service`` and implement ``_auth_headers``. The token never appears in
    ``repr`` or in any error message. Given a ``TokenSource`` instead of a token, a client
    asks it for the token of each request and, after a 401, once for a new one.
    """

    service = "API"

    def __init__(
        self,
        base_url: str,
        token: str | TokenSource,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout | Timeouts = DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        allow_insecure_http: bool = False,
        verify: bool | str = True,
        deadline: float | None = DEFAULT_DEADLINE,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        limit_hint: str = "",
    ) -> None:
        """``deadline`` bounds a whole request in seconds; ``max_answer_bytes`` one answer,
        decompressed. ``limit_hint`` tells, in the error, how to raise that cap."""
        self.base_url = normalize_base_url(base_url)
        check_transport_security(self.base_url, allow_insecure_http=allow_insecure_http)
        if isinstance(token, str):
            check_token(token, self.service)
        hide_credentials_in_logs()
        self._tokens = as_token_source(token)
        self.retry = retry
        self.deadline = deadline
        self.max_answer_bytes = max_answer_bytes
        self._limit_hint = limit_hint
        self._limits = BodyLimits(max_answer_bytes, self._too_large, self._undecodable)
        mounts: dict[str, httpx.BaseTransport | None] = {}
        if transport is None:

            def guarded(proxy: str | None = None) -> httpx.BaseTransport:
                return _transport.GuardedTransport(
                    verify=verify, proxy=proxy, plain_http_needs_loopback=not allow_insecure_http
                )

            transport = guarded()
            mounts = _transport.environment_mounts(guarded)
        self._client = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            mounts=mounts,
            follow_redirects=False,  # followed here, by the rules of viewer.api.redirects
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections, and the token source given to this client."""
        self._client.close()
        close_source = getattr(self._tokens, "close", None)
        if close_source is not None:
            close_source()

    @property
    def _token(self) -> str:
        return self._tokens.current()

    def _auth_headers(self) -> dict[str, str]:
        raise NotImplementedError

    # -- requests -----------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | list[tuple[str, str]] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
        copy: BodyCopy | None = None,
    ) -> httpx.Response:
        """Send one request and return the response with its body read.

        Retries connect failures always (nothing reached the server), and 429, 502, 503,
        504 and timeouts only when the request is idempotent (GET by default). A 401 renews
        the token once, when the token source can, and repeats an idempotent request.
        ``copy`` is fed a successful answer's body as it is read (``body.BodyCopy``).
        """
        if idempotent is None:
            idempotent = method.upper() in ("GET", "HEAD")
        deadline = None if self.deadline is None else time.monotonic() + self.deadline
        bounds = _transport.RequestBounds(cancel, deadline, self._deadline_error)
        attempt = 0
        renewed = False
        with bounds.applied():
            while True:
                attempt += 1
                bounds.check()
                sent = self._token
                try:
                    return self._send_once(method, path, params, json, cancel, progress, copy)
                except AuthError as exc:
                    if renewed or exc.status != 401 or not self._tokens.renew(sent):
                        raise
                    renewed = True
                    if not idempotent:
                        raise TokenRenewedError.for_service(self.service) from None
                    continue
                except ApiError as exc:
                    wait = self._retry_wait(exc, attempt, idempotent)
                    left = bounds.remaining()
                    if wait is None or (left is not None and wait >= left):
                        raise
                if cancel is not None:
                    cancel.sleep(wait)
                else:
                    time.sleep(wait)

    def _retry_wait(self, exc: ApiError, attempt: int, idempotent: bool) -> float | None:
        if attempt >= self.retry.attempts or isinstance(exc, Cancelled | DeadlineExceeded):
            return None
        if isinstance(exc, _ConnectFailed):
            return self.retry.delay(attempt)
        if not idempotent:
            return None
        if isinstance(exc, RateLimitedError):
            if exc.retry_after is None:
                return self.retry.delay(attempt)
            return exc.retry_after if exc.retry_after <= self.retry.max_wait else None
        if isinstance(exc, ServerError) and exc.status in (502, 503, 504):
            return self.retry.delay(attempt)
        if isinstance(exc, ApiTimeoutError):
            return self.retry.delay(attempt)
        return None

    def _send_once(
        self,
        method: str,
        path: str,
        params: Any,
        json: Any,
        cancel: CancelToken | None,
        progress: ProgressCallback | None,
        copy: BodyCopy | None = None,
    ) -> httpx.Response:
        headers = self._auth_headers()
        try:
            response = self._open(method, path, params, json, headers)
            try:
                if response.status_code >= 400:
                    body: bytes | bytearray = read_excerpt(response)
                else:
                    body = read_body(
                        response, self._limits, cancel=cancel, progress=progress, copy=copy
                    )
            finally:
                response.close()
        except httpx.HTTPError as exc:
            if cancel is not None and cancel.cancelled:
                raise Cancelled("The request was cancelled.") from None
            raise self._network_error(exc) from None
        # The body is read; expose it through .content (a bytearray serves without a copy).
        response._content = body  # type: ignore[assignment]
        self._raise_for_status(response, body)
        return response

    def _open(
        self, method: str, path: str, params: Any, json: Any, headers: dict[str, str]
    ) -> httpx.Response:
        """The response to the request, its body unread, after the redirects allowed."""
        client = self._client
        request = client.build_request(method, path, params=params, json=json, headers=headers)
        original = request
        for _ in range(MAX_REDIRECTS + 1):
            response = client.send(request, stream=True, follow_redirects=False)
            following = response.next_request
            if following is None:
                return response
            response.close()
            check_redirect(original, request.url, following.url, self.service)
            request = following
        raise BadResponseError(
            f"The {self.service} server redirected too many times. Check the server address."
        )

    def _network_error(self, exc: httpx.HTTPError) -> ApiError:
        if isinstance(exc, httpx.ConnectTimeout):
            return _ConnectTimedOut(self._timeout_message("connect"))
        if isinstance(exc, httpx.TimeoutException):
            return ApiTimeoutError(self._timeout_message("answer"))
        if isinstance(exc, httpx.ConnectError):
            return _ConnectFailed(self._connect_message(exc))
        if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
            return NetworkError(
                f"The connection to {self._host} broke before the answer was complete "
                f"({type(exc).__name__}). Try again; if it keeps happening, check the network."
            )
        if isinstance(exc, httpx.DecodingError):
            return self._undecodable("")
        return NetworkError(
            f"The request to {self._host} failed ({type(exc).__name__}). Try again."
        )

    def _too_large(self) -> AnswerTooLargeError:
        hint = self._limit_hint or "Narrow the request with filters, or raise the limit."
        return AnswerTooLargeError(
            f"The {self.service} server's answer is larger than "
            f"{_megabytes(self.max_answer_bytes)} once decompressed, the most this app accepts, "
            f"so it was not read further. {hint}",
            limit=self.max_answer_bytes,
        )

    def _undecodable(self, encoding: str) -> BadResponseError:
        if encoding:
            return BadResponseError(
                f"The {self.service} server compressed its answer as “{encoding[:40]}”, which "
                "was not asked for and cannot be read. A proxy may be rewriting answers."
            )
        return BadResponseError(
            f"The {self.service} server sent a compressed answer that could not be "
            "decompressed. Try again later."
        )

    def _deadline_error(self) -> DeadlineExceeded:
        waited = _duration(self.deadline or 0.0)
        return DeadlineExceeded(
            f"{self._host} sent no complete answer within {waited}, the longest one request "
            "may take. The server may be overloaded or the connection stalled; try again "
            "later, or narrow the request with filters."
        )

    def _raise_for_status(self, response: httpx.Response, body: bytes | bytearray) -> None:
        status = response.status_code
        if status < 400:
            return
        said = api_message(body)
        if status in (401, 403):
            raise AuthError.for_status(status, self.service)
        if status == 404:
            detail = f" The server said: {sentence(said)}" if said else ""
            raise NotFoundError(
                f"The {self.service} server has no such resource (HTTP 404).{detail} "
                "Check the server address and what you asked for.",
                status=status,
                body=bytes(body),
            )
        if status == 429:
            wait = parse_retry_after(response.headers.get("Retry-After"))
            when = f"in {_seconds(wait)}" if wait is not None else "in a minute"
            raise RateLimitedError(
                f"The {self.service} server is limiting requests (HTTP 429). Try again {when}.",
                retry_after=wait,
            )
        if status >= 500:
            detail = f" The server said: {sentence(said)}" if said else ""
            raise ServerError(
                f"The {self.service} server had a problem (HTTP {status}).{detail} "
                "This is usually temporary; try again in a few minutes.",
                status=status,
            )
        if said:
            raise ApiReportedError(
                f"The {self.service} server rejected the request (HTTP {status}): {sentence(said)}",
                status=status,
            )
        raise ApiReportedError(
            f"The {self.service} server rejected the request (HTTP {status})"
            + (f": {excerpt_of(body)}" if body.strip() else ".")
            + " Check the filters and the server address.",
            status=status,
        )

    def bad_response(
        self, what: str, body: bytes | bytearray, status: int | None = None
    ) -> BadResponseError:
        return bad_response(self.service, what, body, status)

    @property
    def _host(self) -> str:
        return httpx.URL(self.base_url).netloc.decode("ascii", "replace")

    def _timeout_message(self, phase: str) -> str:
        if phase == "connect":
            return (
                f"{self._host} did not accept a connection in time. Check the address and "
                "your network, then try again."
            )
        return (
            f"{self._host} took too long to answer. The server may be busy; try again, "
            "or narrow the request with filters."
        )

    def _connect_message(self, exc: httpx.ConnectError) -> str:
        text = str(exc).lower()
        if (
            "name or service not known" in text
            or "nodename nor servname" in text
            or ("getaddrinfo" in text or "name resolution" in text)
        ):
            return (
                f"The server name {httpx.URL(self.base_url).host} could not be found. Check "
                "the address for typos and that you are online."
            )
        if "refused" in text:
            return (
                f"{self._host} refused the connection. Check that the server is running and "
                "the address and port are right."
            )
        return f"Could not connect to {self._host}. Check the address and your network."


class _ConnectFailed(NetworkError):
    """Nothing reached the server, so any request may be retried."""


class _ConnectTimedOut(_ConnectFailed, ApiTimeoutError):
    pass


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:g} second" + ("" if seconds == 1 else "s")
    return f"{seconds:g} seconds ({seconds / 60:.3g} minute" + (")" if seconds == 60 else "s)")


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:g} MB"


def _seconds(value: float) -> str:
    if value < 1.5:
        return "a second"
    if value < 90:
        return f"{round(value)} seconds"
    minutes = round(value / 60)
    return f"{minutes} minute" + ("" if minutes == 1 else "s")
