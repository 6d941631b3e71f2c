"""Signing a person in with globaliD Connect: the browser goes out, a code comes back.

``SignInAttempt`` binds the loopback listener and builds the Connect URL at once (so the
caller can open the browser and show the address), then ``finish`` waits for the callback
in a worker thread and exchanges the code for a token at the token endpoint.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from viewer.api.errors import InvalidUrlError
from viewer.api.http import CancelToken, is_loopback_host
from viewer.api.lazy import on_first_use
from viewer.auth.loopback import DEFAULT_TIMEOUT, LoopbackListener, SignInError
from viewer.auth.settings import OAuthSettings, SettingsError
from viewer.auth.token_endpoint import TokenEndpoint
from viewer.auth.tokens import AccessToken

if TYPE_CHECKING:
    import httpx
else:
    httpx = on_first_use("httpx")

#: Scopes that make the Connect URL carry a nonce (globaliD wants 8 characters or more).
_NONCE_SCOPES = {"openid"}


def check_sign_in_settings(settings: OAuthSettings) -> None:
    """Raise ``SettingsError`` naming what is missing before anything is opened."""
    if not settings.client_id.strip():
        raise SettingsError("Enter the client ID of the app registered with globaliD.")
    if not settings.client_secret:
        raise SettingsError("Enter the client secret of the app registered with globaliD.")
    check_connect_url(settings.connect_url)
    settings.port_range()


def check_connect_url(text: str) -> str:
    """The Connect URL, if it is https (or plain http to this machine, as the demo is)."""
    try:
        url = httpx.URL((text or "").strip())
    except (httpx.InvalidURL, ValueError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise SettingsError(
            f"“{text}” is not a Connect URL. Use the address globaliD gives, such as "
            "https://auth.global.id/."
        )
    if url.scheme == "http" and not is_loopback_host(url.host):
        raise SettingsError(f"The Connect URL {url.host} uses plain http; sign-in needs https.")
    return str(url)


class SignInAttempt:
    """One sign-in from start to token; ``close`` it (or use ``with``) when done."""

    def __init__(
        self,
        base_url: str,
        settings: OAuthSettings,
        *,
        allow_insecure_http: bool = False,
        verify: bool | str = True,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        try:
            check_sign_in_settings(settings)
        except SettingsError as exc:
            raise InvalidUrlError(str(exc)) from None
        self.timeout = timeout
        self.endpoint = TokenEndpoint(
            base_url,
            settings,
            grant_type="authorization_code",
            allow_insecure_http=allow_insecure_http,
            verify=verify,
            transport=transport,
        )
        try:
            self.listener = LoopbackListener(settings.port_range())
        except SignInError:
            self.endpoint.close()
            raise
        scopes = set(settings.scope.split())
        self.nonce = secrets.token_urlsafe(16) if scopes & _NONCE_SCOPES else None
        self._code_verifier = secrets.token_urlsafe(48)
        self.url = self.endpoint.authorization_url(
            check_connect_url(settings.connect_url),
            redirect_uri=self.listener.redirect_uri,
            state=self.listener.state,
            code_verifier=self._code_verifier,
            nonce=self.nonce,
        )

    def __repr__(self) -> str:
        return f"SignInAttempt(redirect_uri={self.redirect_uri!r})"

    @property
    def redirect_uri(self) -> str:
        return self.listener.redirect_uri

    def __enter__(self) -> SignInAttempt:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def finish(self, cancel: CancelToken | None = None) -> AccessToken:
        """Wait for the browser, then exchange the code; runs off the GUI thread."""
        code = self.listener.wait(timeout=self.timeout, cancel=cancel)
        if cancel is not None:
            cancel.raise_if_cancelled()
        return self.endpoint.exchange_code(code, self.redirect_uri, self._code_verifier)

    def close(self) -> None:
        self.listener.close()
        self.endpoint.close()
