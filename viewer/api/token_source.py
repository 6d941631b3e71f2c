"""Where a client gets the token it sends, so that tokens can change while a client lives.

The API layer knows nothing of OAuth: it asks a ``TokenSource`` for the token before each
request and, once after a 401, asks it for another. A pasted token is a ``FixedToken``,
which has no other to give; sources that sign in again live in ``viewer.auth``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class TokenSource(Protocol):
    """The current access token of one service, and a way to get a new one."""

    def current(self) -> str:
        """The token to send now; a source renews it first when it is about to expire."""
        ...

    def renew(self, rejected: str) -> bool:
        """After the server refused ``rejected``: True when a different token is ready.

        Several workers may report the same refused token; only the first renews, the
        others find a newer token already in place. Raises ``ApiError`` when renewing
        itself failed (the sign-in server is down, the secret was revoked).
        """
        ...


class FixedToken:
    """A token given once, for example pasted: nothing can replace it but the user."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def __repr__(self) -> str:
        return "FixedToken(…)"

    def current(self) -> str:
        return self._value

    def renew(self, rejected: str) -> bool:
        return False


def as_token_source(token: str | TokenSource) -> TokenSource:
    return FixedToken(token) if isinstance(token, str) else token
