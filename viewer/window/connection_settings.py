"""Each service's address and transport options in QSettings, and its token in the store.

QSettings holds the base URL, whether plain http is allowed, the CA bundle path, and how
tokens are obtained (method, client ID, Connect URL, scope, redirect ports); the token,
the client secret and any sign-in token are never written there. Two limits apply to both
services, with no dialog (they are for the rare answer that needs more):
``network/maxAnswerMegabytes``, the most one answer may hold once decompressed, and
``network/requestTimeoutSeconds``, the longest one request may take.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QSettings

from viewer.api.http import DEFAULT_DEADLINE, DEFAULT_MAX_ANSWER_BYTES
from viewer.auth.settings import (
    DEFAULT_CONNECT_URL,
    DEFAULT_PORTS,
    DEFAULT_SCOPE,
    PASTED,
    OAuthSettings,
)
from viewer.connections import ACTIVITY_SERVICE, PATHWAY_SERVICE, Connections, ServiceConfig
from viewer.credentials import SECRET_SLOT, CredentialError, CredentialStore

SERVICES = (PATHWAY_SERVICE, ACTIVITY_SERVICE)
MAX_ANSWER_KEY = "network/maxAnswerMegabytes"
TIMEOUT_KEY = "network/requestTimeoutSeconds"


def _key(service: str, name: str) -> str:
    return f"connections/{service}/{name}"


def read_service(settings: QSettings, service: str) -> ServiceConfig | None:
    """The saved address and options, without a token; None when nothing is saved."""
    base_url = str(settings.value(_key(service, "base_url"), "") or "").strip()
    if not base_url:
        return None
    ca_bundle = str(settings.value(_key(service, "ca_bundle"), "") or "").strip()
    return ServiceConfig(
        base_url,
        allow_insecure_http=bool(
            settings.value(_key(service, "allow_insecure_http"), False, type=bool)
        ),
        ca_bundle=ca_bundle or None,
        oauth=_read_oauth(settings, service),
    )


_OAUTH_KEYS = ("auth_method", "client_id", "connect_url", "scope", "redirect_ports")


def _read_oauth(settings: QSettings, service: str) -> OAuthSettings | None:
    def text(name: str, default: str = "") -> str:
        return str(settings.value(_key(service, name), default) or default).strip()

    method, client_id = text("auth_method", PASTED), text("client_id")
    if method == PASTED and not client_id:
        return None
    return OAuthSettings(
        method,
        client_id,
        connect_url=text("connect_url", DEFAULT_CONNECT_URL),
        scope=text("scope", DEFAULT_SCOPE),
        ports=text("redirect_ports", DEFAULT_PORTS),
    )


def _write_oauth(settings: QSettings, service: str, oauth: OAuthSettings | None) -> None:
    if oauth is None:
        for name in _OAUTH_KEYS:
            settings.remove(_key(service, name))
        return
    values = (oauth.method, oauth.client_id, oauth.connect_url, oauth.scope, oauth.ports)
    for name, value in zip(_OAUTH_KEYS, values, strict=True):
        settings.setValue(_key(service, name), value.strip())


def write_service(settings: QSettings, service: str, config: ServiceConfig | None) -> None:
    """Save everything but the token; None removes the service."""
    if config is None or not config.base_url.strip():
        settings.remove(f"connections/{service}")
    else:
        settings.setValue(_key(service, "base_url"), config.base_url.strip())
        settings.setValue(_key(service, "allow_insecure_http"), bool(config.allow_insecure_http))
        settings.setValue(_key(service, "ca_bundle"), config.ca_bundle or "")
        _write_oauth(settings, service, config.oauth)
    settings.sync()


def _positive(settings: QSettings, key: str, default: float) -> float:
    try:
        value = float(settings.value(key, default))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return value if value > 0 and math.isfinite(value) else default


def network_limits(settings: QSettings) -> dict[str, Any]:
    """The limits as ``Connections`` takes them; a value that makes no sense counts as unset."""
    megabytes = _positive(settings, MAX_ANSWER_KEY, DEFAULT_MAX_ANSWER_BYTES / 1_000_000)
    return {
        "max_answer_bytes": round(megabytes * 1_000_000),
        "deadline": _positive(settings, TIMEOUT_KEY, DEFAULT_DEADLINE),
        "limit_hint": f"To accept it, set {MAX_ANSWER_KEY} to a larger number of megabytes "
        f"(now {megabytes:g}) in the settings file ({settings.fileName()}), then fetch again.",
    }


def has_saved_server(settings: QSettings) -> bool:
    return any(read_service(settings, service) is not None for service in SERVICES)


def load_connections(settings: QSettings, store: CredentialStore) -> tuple[Connections, list[str]]:
    """Connections from the saved addresses and the store's tokens, and any problems met.

    A keyring that cannot be read leaves that service without a token; the problem is
    returned for the window to show rather than stopping the start.
    """
    configs: dict[str, ServiceConfig | None] = {}
    problems: list[str] = []
    for service in SERVICES:
        config = read_service(settings, service)
        if config is not None:
            try:
                config.token = store.get(service, config.base_url) or ""
                if config.oauth is not None:
                    secret = store.get(service, config.base_url, slot=SECRET_SLOT) or ""
                    config.oauth = config.oauth.with_secret(secret)
                    config.access = store.get_access(service, config.base_url)
            except CredentialError as exc:
                problems.append(exc.message)
        configs[service] = config
    connections = Connections(
        configs[PATHWAY_SERVICE], configs[ACTIVITY_SERVICE], **network_limits(settings)
    )
    return connections, problems
