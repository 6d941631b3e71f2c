"""How one service's tokens are obtained: pasted, by signing in, or by app credentials.

Everything here but ``client_secret`` may be shown and saved in settings; the secret goes to
the keyring only and is kept out of ``repr``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

#: The token is pasted by the user and replaced only by the user.
PASTED = "token"
#: A person signs in through globaliD Connect in the browser (authorization code).
SIGN_IN = "sign-in"
#: The app authenticates as itself with a client ID and secret (client credentials).
APP = "app"
METHODS = (SIGN_IN, APP, PASTED)

DEFAULT_CONNECT_URL = "https://auth.global.id/"
DEFAULT_SCOPE = "public"
#: Loopback ports to try for the redirect, in order; the vendor must know the redirect URI,
#: so a small fixed range is registered rather than any port.
DEFAULT_PORTS = "53682-53691"
#: globaliD's token endpoint, under the API's base URL.
TOKEN_PATH = "/v1/auth/token"


class SettingsError(ValueError):
    """A sign-in setting that cannot be used; the message says which and how to fix it."""


@dataclass(frozen=True)
class PortRange:
    """Inclusive range of loopback ports; ``0-0`` lets the system pick any free port."""

    first: int
    last: int

    @classmethod
    def parse(cls, text: str) -> PortRange:
        """``"53682-53691"``, ``"53682"`` or ``"0"``."""
        cleaned = (text or "").replace(" ", "").replace("\u2013", "-")
        low, _, high = cleaned.partition("-")
        try:
            first = int(low)
            last = int(high) if high else first
        except ValueError:
            raise SettingsError(
                f"“{text}” is not a port range. Write it like {DEFAULT_PORTS}."
            ) from None
        if first == 0 and last == 0:
            return cls(0, 0)
        if not (1024 <= first <= last <= 65535):
            raise SettingsError(
                f"The redirect ports “{text}” must lie between 1024 and 65535, lowest first."
            )
        if last - first >= 1000:
            raise SettingsError("The redirect port range is too wide; 1000 ports at most.")
        return cls(first, last)

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.first, self.last + 1))

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


@dataclass(frozen=True)
class OAuthSettings:
    """The app's registration with globaliD and how this service is signed in to."""

    method: str = PASTED
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    connect_url: str = DEFAULT_CONNECT_URL
    scope: str = DEFAULT_SCOPE
    ports: str = DEFAULT_PORTS

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            object.__setattr__(self, "method", PASTED)

    @property
    def uses_oauth(self) -> bool:
        return self.method in (SIGN_IN, APP)

    @property
    def has_client(self) -> bool:
        return bool(self.client_id.strip() and self.client_secret)

    def port_range(self) -> PortRange:
        return PortRange.parse(self.ports)

    def with_secret(self, secret: str) -> OAuthSettings:
        return replace(self, client_secret=secret)


def token_endpoint(base_url: str) -> str:
    """Where tokens are issued for an API at ``base_url`` (already normalised)."""
    return base_url.rstrip("/") + TOKEN_PATH
