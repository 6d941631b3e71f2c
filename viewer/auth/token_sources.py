"""Token sources that renew themselves, for the API clients (``viewer.api.token_source``).

App credentials fetch a token on first use and a new one shortly before it expires or
after a 401. A signed-in session has no secret to fall back on: it renews only when the
server gave a refresh token, and otherwise lets the 401 through so the person is asked to
sign in again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from viewer.api.errors import Advice, AuthError
from viewer.auth.token_endpoint import TokenEndpoint
from viewer.auth.tokens import DEFAULT_POLICY, AccessToken, RenewalPolicy

#: Told of each new token (from the worker thread that got it).
TokenListener = Callable[[AccessToken], None]


class RenewingToken:
    """A ``TokenSource`` over a ``TokenEndpoint``; one lock, so one renewal at a time."""

    def __init__(
        self,
        endpoint: TokenEndpoint,
        token: AccessToken | None = None,
        *,
        policy: RenewalPolicy = DEFAULT_POLICY,
        on_renewed: TokenListener | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.policy = policy
        self._on_renewed = on_renewed
        self._lock = threading.Lock()
        if token is not None:
            endpoint.token = token
        self.renewals = 0

    def __repr__(self) -> str:
        return f"RenewingToken({self.endpoint!r})"

    @property
    def token(self) -> AccessToken | None:
        with self._lock:
            return self.endpoint.token

    def current(self) -> str:
        with self._lock:
            before = self.endpoint.token
            if before is None:
                if not self.endpoint.can_renew:
                    raise AuthError("Not signed in.", status=401, advice=Advice.SIGN_IN)
                token = self.endpoint.client_credentials()
            else:
                leeway = self.policy.renew_leeway(self.endpoint.lifetime or _lifetime(before))
                token = self.endpoint.ensure_fresh(leeway) or before
            changed = before is None or token.value != before.value
            if changed:
                self.renewals += 1
        if changed:
            self._told(token)
        return token.value

    def renew(self, rejected: str) -> bool:
        """A new token after a 401; a sign-in without a refresh token raises ``AuthError``
        saying that the person must sign in again."""
        with self._lock:
            now = self.endpoint.token
            if now is not None and now.value != rejected:
                return True  # another worker renewed it already
            token = self.endpoint.renew()
            if token is None:
                raise AuthError(
                    "The globaliD sign-in has ended (the server no longer accepts its token).",
                    status=401,
                    advice=Advice.SIGN_IN,
                )
            self.renewals += 1
        self._told(token)
        return True

    def close(self) -> None:
        self.endpoint.close()

    def _told(self, token: AccessToken) -> None:
        if self._on_renewed is not None:
            self._on_renewed(token)


def _lifetime(token: AccessToken) -> float | None:
    """A stored token's lifetime is unknown; what is left of it is the best guess."""
    left = token.seconds_left()
    return None if left is None else max(left, 0.0)
