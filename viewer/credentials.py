"""Where tokens are kept: the system keyring, or this session's memory when there is none.

Tokens are keyed by service and normalized base URL. Nothing here writes a token to a file
of its own; a keyring backend that would (the plaintext ones) does not count as secure.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError

from viewer.api.errors import ApiError
from viewer.api.http import normalize_base_url

KEYRING_PREFIX = "ActivityViewer"

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
        return self._backend if self._backend is not None else keyring.get_keyring()

    @staticmethod
    def keyring_service(service: str) -> str:
        return f"{KEYRING_PREFIX}:{service}"

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

    def get(self, service: str, base_url: str) -> str | None:
        try:
            key = (service, self._username(base_url))
        except ApiError:
            return None
        with self._lock:
            if key in self._session:
                return self._session[key]
        backend = _secure_part(self.backend)
        if not is_secure_backend(backend):
            return None
        try:
            return backend.get_password(self.keyring_service(service), key[1])
        except Exception as exc:
            raise CredentialError(
                f"The token for {key[1]} could not be read from {backend_name(backend)} "
                f"({_describe_error(exc)})."
            ) from None

    def set(self, service: str, base_url: str, token: str, *, session_only: bool = False) -> bool:
        """Keep ``token``; True when it went to the keyring, False when only for this session.

        Without a usable secure keyring this refuses unless ``session_only`` is given: the
        caller must have told the user that the token will not be remembered.
        """
        username = self._username(base_url)
        key = (service, username)
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
            backend.set_password(self.keyring_service(service), username, token)
        except Exception as exc:
            raise CredentialError(
                f"The token for {username} could not be saved in {status.name} "
                f"({_describe_error(exc, token)})."
            ) from None
        with self._lock:
            self._session.pop(key, None)
        return True

    def forget(self, service: str, base_url: str) -> None:
        """Remove the token from the session and the keyring; a missing one is not an error."""
        username = self._username(base_url)
        with self._lock:
            self._session.pop((service, username), None)
        backend = _secure_part(self.backend)
        if not is_secure_backend(backend):
            return
        try:
            backend.delete_password(self.keyring_service(service), username)
        except PasswordDeleteError:
            pass  # nothing was stored
        except Exception as exc:
            raise CredentialError(
                f"The token for {username} could not be removed from {backend_name(backend)} "
                f"({_describe_error(exc)})."
            ) from None

    def session_only(self, service: str, base_url: str) -> bool:
        """Whether this token is held only in memory."""
        try:
            key = (service, self._username(base_url))
        except ApiError:
            return False
        with self._lock:
            return key in self._session


#: A token given in the environment wins over the keyring, for scripts and scheduled jobs.
TOKEN_VARIABLE = "VIEWER_TOKEN"


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
    stored = (store or CredentialStore()).get(service, base_url)
    if stored:
        return stored
    raise CredentialError(
        f"No token for {base_url} is stored in the keyring. Save one in the app's "
        f"Connections dialog, or set {TOKEN_VARIABLE} in the environment."
    )
