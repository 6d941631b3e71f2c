"""Where tokens are kept: the system keyring, or this session's memory when there is none.

Tokens are keyed by service and normalized base URL. Besides the pasted token, a service
may have a client secret and the token of a sign-in (with its expiry), each in a slot of
its own. Nothing here writes a secret to a file of its own; a keyring backend that would
(the plaintext ones) does not count as secure.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from viewer.api.errors import ApiError
from viewer.api.http import normalize_base_url
from viewer.api.token_source import TokenSource
from viewer.auth.settings import APP, OAuthSettings
from viewer.auth.token_endpoint import TokenEndpoint
from viewer.auth.token_sources import RenewingToken
from viewer.auth.tokens import AccessToken
from viewer.connections import ACTIVITY_SERVICE

if TYPE_CHECKING:  # keyring itself loads on first use: ``--demo`` never touches it
    from keyring.backend import KeyringBackend

KEYRING_PREFIX = "ActivityViewer"
#: The pasted token (the slot every version so far has used).
TOKEN_SLOT = ""
#: The client secret of the app credentials.
SECRET_SLOT = "client-secret"
#: The token of a sign-in or of the app credentials, as JSON with its expiry.
OAUTH_SLOT = "oauth-token"
_WHAT = {TOKEN_SLOT: "token", SECRET_SLOT: "client secret", OAUTH_SLOT: "sign-in token"}

_FRIENDLY_NAMES = {
    "keyring.backends.SecretService.Keyring": "the Secret Service keyring",
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KWallet",
    "keyring.backends.macOS.Keyring": "the macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
    "keyring.backends.libsecret.Keyring": "the Secret Service keyring (libsecret)",
}

SESSION_ONLY_TEXT = (
    "No secure keyring is available on this system: tokens will be kept for this session only."
)


class CredentialError(Exception):
    """The keyring failed. The message says what to do and never contains a token."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else "The keyring failed."


class NoSecureKeyringError(CredentialError):
    """A token was to be saved, but there is no secure keyring and session-only was not chosen."""


@dataclass(frozen=True)
class BackendStatus:
    """What the UI tells the user about where tokens go."""

    secure: bool
    usable: bool
    name: str
    problem: str = ""

    @property
    def persistent(self) -> bool:
        """Tokens saved now will be there next time."""
        return self.secure and self.usable

    def describe(self) -> str:
        if self.persistent:
            return f"Tokens are stored in {self.name}."
        if self.secure:
            return (
                f"{self.name[:1].upper()}{self.name[1:]} cannot be used right now "
                f"({self.problem}): tokens will be kept for this session only."
            )
        return SESSION_ONLY_TEXT


def backend_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return _FRIENDLY_NAMES.get(f"{cls.__module__}.{cls.__qualname__}", str(cls.name))


def is_secure_backend(backend: KeyringBackend) -> bool:
    """False for the fail and null backends, plaintext file backends, and an empty chain."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(is_secure_backend(inner) for inner in backend.backends)
    module = type(backend).__module__
    return not module.startswith("keyrings.alt")


def _secure_part(backend: KeyringBackend) -> KeyringBackend:
    """The backend actually holding tokens; for a chain, its first secure member."""
    from keyring.backends import chainer

    if isinstance(backend, chainer.ChainerBackend):
        members: list[KeyringBackend] = backend.backends
        for inner in members:
            if is_secure_backend(inner):
                return inner
    return backend


def _describe_error(exc: BaseException, secret: str | None = None) -> str:
    from keyring.errors import KeyringLocked

    if isinstance(exc, KeyringLocked):
        return "the keyring is locked; unlock it and try again"
    text = str(exc).strip() or type(exc).__name__
    if secret:
        text = text.replace(secret, "…")
    return f"{type(exc).__name__}: {text}"[:300]


class CredentialStore:
    """Get, set and forget one token per service and server.

    ``backend`` defaults to whatever ``keyring`` has selected at the time of each call, so a
    test's ``keyring.set_keyring`` takes effect at once.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend
        self._session: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()
        self._status: BackendStatus | None = None

    @property
    def backend(self) -> KeyringBackend:
        import keyring

        return self._backend if self._backend is not None else keyring.get_keyring()

    @staticmethod
    def keyring_service(service: str, slot: str = TOKEN_SLOT) -> str:
        return f"{KEYRING_PREFIX}:{service}" + (f":{slot}" if slot else "")

    @staticmethod
    def _username(base_url: str) -> str:
        return normalize_base_url(base_url)

    def backend_status(self, *, refresh: bool = True) -> BackendStatus:
        """Is there a secure keyring, and can it be used now (it may be locked)?"""
        if self._status is not None and not refresh:
            return self._status
        backend = self.backend
        if not is_secure_backend(backend):
            status = BackendStatus(secure=False, usable=False, name=backend_name(backend))
        else:
            inner = _secure_part(backend)
            name = backend_name(inner)
            try:
                inner.get_password(self.keyring_service("probe"), "availability check")
            except Exception as exc:  # any backend failure means "not usable", never a crash
                status = BackendStatus(True, False, name, _describe_error(exc))
            else:
                status = BackendStatus(True, True, name)
        self._status = status
        return status

    def get(self, service: str, base_url: str, *, slot: str = TOKEN_SLOT) -> str | None:
        try:
            key = (self.keyring_service(service, slot), self._username(base_url))
        except ApiError:
            return None
        with self._lock:
            if key in self._session:
                return self._session[key]
        backend = _secure_part(self.backend)
        if not is_secure_backend(backend):
            return None
        try:
            return backend.get_password(key[0], key[1])
        except Exception as exc:
            raise CredentialError(
                f"The {_WHAT.get(slot, 'token')} for {key[1]} could not be read from "
                f"{backend_name(backend)} ({_describe_error(exc)})."
            ) from None

    def set(
        self,
        service: str,
        base_url: str,
        token: str,
        *,
        session_only: bool = False,
        slot: str = TOKEN_SLOT,
    ) -> bool:
        """Keep ``token``; True when it went to the keyring, False when only for this session.

        Without a usable secure keyring this refuses unless ``session_only`` is given: the
        caller must have told the user that the token will not be remembered.
        """
        username = self._username(base_url)
        key = (self.keyring_service(service, slot), username)
        status = self.backend_status()
        if not status.persistent:
            if not session_only:
                raise NoSecureKeyringError(
                    status.describe() + " Tick “Keep tokens for this session only” to go on."
                )
            with self._lock:
                self._session[key] = token
            return False
        backend = _secure_part(self.backend)
        try:
            backend.set_password(key[0], username, token)
        except Exception as exc:
            raise CredentialError(
                f"The {_WHAT.get(slot, 'token')} for {username} could not be saved in "
                f"{status.name} ({_describe_error(exc, token)})."
            ) from None
        with self._lock:
            self._session.pop(key, None)
        return True

    def forget(self, service: str, base_url: str, *, slot: str = TOKEN_SLOT) -> None:
        """Remove the token from the session and the keyring; a missing one is not an error."""
        username = self._username(base_url)
        name = self.keyring_service(service, slot)
        with self._lock:
            self._session.pop((name, username), None)
        backend = _secure_part(self.backend)
        if not is_secure_backend(backend):
            return
        from keyring.errors import PasswordDeleteError

        try:
            backend.delete_password(name, username)
        except PasswordDeleteError:
            pass  # nothing was stored
        except Exception as exc:
            raise CredentialError(
                f"The {_WHAT.get(slot, 'token')} for {username} could not be removed from "
                f"{backend_name(backend)} ({_describe_error(exc)})."
            ) from None

    def get_access(self, service: str, base_url: str) -> AccessToken | None:
        """The stored token of a sign-in or app credentials, with its expiry."""
        text = self.get(service, base_url, slot=OAUTH_SLOT)
        return AccessToken.from_json(text) if text else None

    def set_access(
        self, service: str, base_url: str, token: AccessToken, *, session_only: bool = False
    ) -> bool:
        return self.set(
            service, base_url, token.to_json(), session_only=session_only, slot=OAUTH_SLOT
        )

    def session_only(self, service: str, base_url: str, *, slot: str = TOKEN_SLOT) -> bool:
        """Whether this token is held only in memory."""
        try:
            key = (self.keyring_service(service, slot), self._username(base_url))
        except ApiError:
            return False
        with self._lock:
            return key in self._session


#: A token given in the environment wins over the keyring, for scripts and scheduled jobs.
TOKEN_VARIABLE = "VIEWER_TOKEN"
#: App credentials given in the environment: a token is fetched, and renewed as needed.
CLIENT_ID_VARIABLE = "VIEWER_CLIENT_ID"
CLIENT_SECRET_VARIABLE = "VIEWER_CLIENT_SECRET"


def token_for_command_line(
    service: str,
    base_url: str,
    *,
    environ: Mapping[str, str],
    store: CredentialStore | None = None,
) -> str:
    """The token a headless command uses: ``VIEWER_TOKEN`` when set, else the keyring's.

    Raises ``CredentialError`` saying how to provide one when neither has it.
    """
    token = environ.get(TOKEN_VARIABLE, "").strip()
    if token:
        return token
    store = store or CredentialStore()
    stored = store.get(service, base_url)
    if stored:
        return stored
    access = store.get_access(service, base_url)
    if access is not None:
        if access.expired():
            raise CredentialError(
                f"The sign-in for {base_url} has ended. Sign in again with "
                f"“python -m viewer login activity --server {base_url}”, or set "
                f"{TOKEN_VARIABLE} in the environment."
            )
        return access.value
    others = (
        f", {CLIENT_ID_VARIABLE} and {CLIENT_SECRET_VARIABLE}, or sign in with "
        f"“python -m viewer login activity --server {base_url}”"
        if service == ACTIVITY_SERVICE
        else ""
    )
    raise CredentialError(
        f"No token for {base_url} is stored in the keyring (where the app keeps the tokens it "
        f"saves). Set {TOKEN_VARIABLE}{others}."
    )


def app_credentials_from_environment(environ: Mapping[str, str]) -> OAuthSettings | None:
    """``VIEWER_CLIENT_ID`` and ``VIEWER_CLIENT_SECRET`` as app credentials, when both are set."""
    client_id = environ.get(CLIENT_ID_VARIABLE, "").strip()
    secret = environ.get(CLIENT_SECRET_VARIABLE, "").strip()
    if not client_id and not secret:
        return None
    if not client_id or not secret:
        missing = CLIENT_SECRET_VARIABLE if client_id else CLIENT_ID_VARIABLE
        raise CredentialError(
            f"{missing} is not set; app credentials need both {CLIENT_ID_VARIABLE} and "
            f"{CLIENT_SECRET_VARIABLE}."
        )
    return OAuthSettings(APP, client_id, secret)


def credentials_for_command_line(
    service: str,
    base_url: str,
    *,
    environ: Mapping[str, str],
    store: CredentialStore | None = None,
    renewable: bool = False,
    allow_insecure_http: bool = False,
    verify: bool | str = True,
) -> str | TokenSource:
    """What a headless command authenticates with, in this order: ``VIEWER_TOKEN``; app
    credentials from the environment (only where ``renewable``: a token fetched and renewed
    whenever it runs out, so a long export never fails on expiry); the keyring.
    """
    if not environ.get(TOKEN_VARIABLE, "").strip() and renewable:
        settings = app_credentials_from_environment(environ)
        if settings is not None:
            endpoint = TokenEndpoint(
                base_url, settings, allow_insecure_http=allow_insecure_http, verify=verify
            )
            return RenewingToken(endpoint)
    return token_for_command_line(service, base_url, environ=environ, store=store)
