"""One error hierarchy for both APIs.

``str(error)`` is a sentence for a person: what happened, then what to do about it. No
message ever contains a token; URLs in messages carry no query string or credentials.

What to do often depends on where the person is: the window has a Connections dialog, the
command line has options and environment variables. Such an error carries an ``Advice``
beside what happened, and each front end words it for its own controls with
``error.worded(...)``; ``message`` is the window's wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

import msgspec

#: What reading untrusted JSON can raise besides a shape mismatch: malformed text, bytes that
#: are not UTF-8 inside strings, nesting deeper than the decoder can follow.
UNREADABLE = (msgspec.DecodeError, UnicodeDecodeError, RecursionError)
#: Everything decoding untrusted JSON into a type can raise.
UNDECODABLE = (*UNREADABLE, msgspec.ValidationError)


class Advice(StrEnum):
    """What a person can do next, where each front end names its own way of doing it."""

    #: The server refused the token: give a new one.
    NEW_TOKEN = "new-token"
    #: No sign-in, or it ended: sign in (again).
    SIGN_IN = "sign-in"
    #: The sign-in server refused the client ID or secret.
    APP_CREDENTIALS = "app-credentials"
    #: Plain http to another machine: use https, or allow it for this server.
    ALLOW_INSECURE_HTTP = "allow-insecure-http"
    #: No port of the sign-in redirect range is free.
    PORT_RANGE = "port-range"


#: The window's wording of each advice (the default ``message``).
IN_THE_WINDOW: Mapping[Advice, str] = {
    Advice.NEW_TOKEN: "Enter a new token in Connections.",
    Advice.SIGN_IN: "Sign in again in Connections.",
    Advice.APP_CREDENTIALS: "Check the app credentials in Connections.",
    Advice.ALLOW_INSECURE_HTTP: "Use https, or allow insecure HTTP for this server in Connections.",
    Advice.PORT_RANGE: "Close the program using them, or set another range in Connections.",
}


class ApiError(Exception):
    """Base of every error the API layer raises on purpose."""

    #: A short heading for dialogs and banners.
    title = "Request failed"
    #: Whether trying the same request again later could succeed.
    retryable = False

    def __init__(
        self, message: str, *, status: int | None = None, advice: Advice | None = None
    ) -> None:
        #: What happened, without the advice.
        self.what = message
        self.advice = advice
        self.message = self.worded(IN_THE_WINDOW)
        super().__init__(self.message)
        self.status = status

    def worded(self, wording: Mapping[Advice, str]) -> str:
        """What happened, then the advice as ``wording`` says it (nothing when it has none)."""
        said = wording.get(self.advice) if self.advice is not None else None
        return f"{self.what} {said}" if said else self.what


class AuthError(ApiError):
    """401 or 403: the token is missing, wrong, expired or lacks permission."""

    title = "Not authorised"

    @classmethod
    def for_status(cls, status: int, service: str) -> AuthError:
        if status == 403:
            text = (
                f"The {service} server refused access (HTTP 403). The token is valid but lacks "
                "permission for this request; ask an administrator for access or use another token."
            )
        else:
            return cls(
                f"The {service} server did not accept the token (HTTP 401). It may have "
                "expired or been revoked.",
                status=status,
                advice=Advice.NEW_TOKEN,
            )
        return cls(text, status=status)


class TokenRenewedError(ApiError):
    """A 401 renewed the token, but the refused request changes data and was not repeated."""

    title = "Signed in again"
    retryable = True

    @classmethod
    def for_service(cls, service: str) -> TokenRenewedError:
        return cls(
            f"The {service} server no longer accepted the token (HTTP 401), so a new one was "
            "obtained. The request was not repeated because it changes data; press Retry.",
            status=401,
        )


class NotFoundError(ApiError):
    """404: the server has no such resource (or the base URL points at the wrong place).

    ``body`` is the start of the answer, to tell the API's own "no such pathway" from a page
    of whatever else answers at the address.
    """

    title = "Not found"

    def __init__(self, message: str, *, status: int | None = None, body: bytes = b"") -> None:
        super().__init__(message, status=status)
        self.body = body


class RateLimitedError(ApiError):
    """429: the server asks us to slow down."""

    title = "Too many requests"
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None, status: int = 429) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx: the server failed; usually temporary."""

    title = "Server error"
    retryable = True


class NetworkError(ApiError):
    """The server could not be reached, or the connection broke."""

    title = "Network problem"
    retryable = True


class ApiTimeoutError(NetworkError):
    """The server took too long to connect or to answer."""

    title = "Timed out"


class BadResponseError(ApiError):
    """The server answered with something the API does not document."""

    title = "Unexpected response"

    def __init__(self, message: str, *, excerpt: str = "", status: int | None = None) -> None:
        super().__init__(message, status=status)
        self.excerpt = excerpt


class ApiReportedError(ApiError):
    """The API's own error answer, for example ``{"status": "error", "message": ...}``."""

    title = "The server reported an error"


class InsecureUrlError(ApiError):
    """A plain-http URL to a host other than this machine, without the user's consent."""

    title = "Insecure connection refused"


class InvalidUrlError(ApiError):
    """The base URL cannot be used at all."""

    title = "Invalid server address"


class Cancelled(ApiError):
    """The caller cancelled the request; not shown to the user as an error."""

    title = "Cancelled"


def sentence(text: str) -> str:
    """``text`` ending with one full stop (or its own ``!``, ``?`` or ``…``), never two."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def excerpt_of(body: bytes | bytearray, limit: int = 200) -> str:
    """A printable, single-line start of a response body, for error messages."""
    text = body[: limit * 4].decode("utf-8", errors="replace")
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


class AnswerTooLargeError(ApiError):
    """An answer grew past the size the client accepts (counted after decompressing)."""

    title = "Answer too large"

    def __init__(self, message: str, *, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class DeadlineExceeded(ApiTimeoutError):
    """The whole request took longer than allowed, however steadily the server kept sending."""


class RedirectRefusedError(ApiError):
    """A redirect that would downgrade to plain http or carry the request to another origin."""

    title = "Redirect refused"
