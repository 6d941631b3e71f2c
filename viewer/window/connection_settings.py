"""Each service's address and transport options in QSettings, and its token in the store.

QSettings holds the base URL, whether plain http is allowed, and the CA bundle path; the
token is never written there.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from viewer.connections import ACTIVITY_SERVICE, PATHWAY_SERVICE, Connections, ServiceConfig
from viewer.credentials import CredentialError, CredentialStore

SERVICES = (PATHWAY_SERVICE, ACTIVITY_SERVICE)


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
    )


def write_service(settings: QSettings, service: str, config: ServiceConfig | None) -> None:
    """Save everything but the token; None removes the service."""
    if config is None or not config.base_url.strip():
        settings.remove(f"connections/{service}")
    else:
        settings.setValue(_key(service, "base_url"), config.base_url.strip())
        settings.setValue(_key(service, "allow_insecure_http"), bool(config.allow_insecure_http))
        settings.setValue(_key(service, "ca_bundle"), config.ca_bundle or "")
    settings.sync()


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
            except CredentialError as exc:
                problems.append(exc.message)
        configs[service] = config
    return Connections(configs[PATHWAY_SERVICE], configs[ACTIVITY_SERVICE]), problems
