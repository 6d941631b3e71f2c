"""An access token with its expiry, and when to renew it or warn that it ends.

Expiry is kept as wall-clock seconds (``expires_at``), as OAuth libraries and the keyring
copy keep it, so a token read back tomorrow still knows whether it is alive.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AccessToken:
    """A bearer token as the token endpoint gave it. Secrets stay out of ``repr``."""

    value: str = field(repr=False)
    expires_at: float | None = None
    token_type: str = "bearer"
    scope: str = ""
    refresh_token: str = field(default="", repr=False)

    @classmethod
    def from_response(cls, answer: Mapping[str, Any], *, now: float | None = None) -> AccessToken:
        """From a token endpoint's JSON (``expires_in``) or a stored copy (``expires_at``)."""
        value = answer.get("access_token")
        if not isinstance(value, str) or not value.strip():
            raise ValueError("the answer holds no access_token")
        expires_at = _number(answer.get("expires_at"))
        if expires_at is None:
            expires_in = _number(answer.get("expires_in"))
            if expires_in is not None:
                expires_at = (time.time() if now is None else now) + expires_in
        refresh = answer.get("refresh_token")
        return cls(
            value.strip(),
            expires_at,
            str(answer.get("token_type") or "bearer"),
            str(answer.get("scope") or ""),
            refresh if isinstance(refresh, str) else "",
        )

    def seconds_left(self, *, now: float | None = None) -> float | None:
        if self.expires_at is None:
            return None
        return self.expires_at - (time.time() if now is None else now)

    def expired(self, *, now: float | None = None) -> bool:
        left = self.seconds_left(now=now)
        return left is not None and left <= 0

    def to_json(self) -> str:
        """The stored form (for the keyring only)."""
        data: dict[str, Any] = {"access_token": self.value, "token_type": self.token_type}
        if self.expires_at is not None:
            data["expires_at"] = self.expires_at
        if self.scope:
            data["scope"] = self.scope
        if self.refresh_token:
            data["refresh_token"] = self.refresh_token
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> AccessToken | None:
        """A stored copy, or None when ``text`` is not one (an old plain token, damage)."""
        try:
            data = json.loads(text)
            return cls.from_response(data) if isinstance(data, dict) else None
        except ValueError:
            return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class RenewalPolicy:
    """How long before expiry a token is renewed, and a sign-in session warned about.

    The margins shrink for short-lived tokens (a tenth of the lifetime for renewal, a fifth
    for the warning), so a token that lives seconds is still used before it is replaced.
    """

    renew_margin: float = 60.0
    warn_margin: float = 300.0

    def renew_leeway(self, lifetime: float | None) -> float:
        """Seconds before expiry at which to get a new token."""
        if lifetime is None:
            return self.renew_margin
        return max(0.0, min(self.renew_margin, lifetime / 10))

    def warn_leeway(self, lifetime: float | None) -> float:
        """Seconds before expiry at which to tell the user to sign in again."""
        if lifetime is None:
            return self.warn_margin
        return max(0.0, min(self.warn_margin, lifetime / 5))

    def due(self, token: AccessToken, lifetime: float | None, *, now: float | None = None) -> bool:
        """Whether ``token`` should be replaced before it is sent."""
        left = token.seconds_left(now=now)
        return left is not None and left <= self.renew_leeway(lifetime)


DEFAULT_POLICY = RenewalPolicy()
