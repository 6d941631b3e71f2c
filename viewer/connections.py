"""Where each service lives and how to authenticate to it; builds the API clients."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from viewer.api.activity import ActivityClient
from viewer.api.errors import AuthError, InvalidUrlError
from viewer.api.http import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_ANSWER_BYTES,
    DEFAULT_TIMEOUT,
    RetryPolicy,
    normalize_base_url,
)
from viewer.api.pathway import PathwayClient

PATHWAY_SERVICE = "pathway-logs"


class DemoAddress(Protocol):
    """What ``Connections.to_demo_server`` needs of a demo server."""

    url: str
    pathway_token: str
    activity_token: str


ACTIVITY_SERVICE = "activity-log"


@dataclass
class ServiceConfig:
    """One service's address and token. The token is kept out of ``repr``."""

    base_url: str
    token: str = field(default="", repr=False)
    allow_insecure_http: bool = False
    ca_bundle: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.token)

    @property
    def verify(self) -> bool | str:
        return self.ca_bundle or True


class Connections:
    """The two services' settings, and one shared client per service.

    Clients are created on first use and shared by every worker thread (httpx clients are
    safe to share). Changing a service's settings replaces its client; the old one may still
    be in use by a worker, so it is closed only by ``close``, after the work has stopped.
    """

    def __init__(
        self,
        pathway: ServiceConfig | None = None,
        activity: ServiceConfig | None = None,
        *,
        demo: bool = False,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        deadline: float | None = DEFAULT_DEADLINE,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        limit_hint: str = "",
    ) -> None:
        """``deadline``, ``max_answer_bytes`` and ``limit_hint``: see ``BaseClient``."""
        self._configs: dict[str, ServiceConfig | None] = {
            PATHWAY_SERVICE: pathway,
            ACTIVITY_SERVICE: activity,
        }
        self._clients: dict[str, PathwayClient | ActivityClient] = {}
        self._retired: list[PathwayClient | ActivityClient] = []
        self._lock = threading.Lock()  # clients are made on first use, from any thread
        self.demo = demo
        # Tests (and tools) shorten these; the app keeps the clients' defaults.
        self._timeout = timeout
        self._retry = retry if retry is not None else RetryPolicy()
        self._limits = {
            "deadline": deadline,
            "max_answer_bytes": max_answer_bytes,
            "limit_hint": limit_hint,
        }

    @classmethod
    def to_demo_server(cls, server: DemoAddress, **options: Any) -> Connections:
        """Connections to an embedded demo server, marked as demo (nothing is saved)."""
        return cls(
            ServiceConfig(server.url, server.pathway_token),
            ServiceConfig(server.url, server.activity_token),
            demo=True,
            **options,
        )

    def config(self, service: str) -> ServiceConfig | None:
        return self._configs[service]

    def is_configured(self, service: str) -> bool:
        config = self._configs[service]
        return config is not None and config.configured

    def set_config(self, service: str, config: ServiceConfig | None) -> None:
        with self._lock:
            self._configs[service] = config
            client = self._clients.pop(service, None)
            if client is not None:
                # A worker may still be using it; it is closed with the rest in close().
                self._retired.append(client)

    def _client(self, service: str, cls: type[PathwayClient] | type[ActivityClient]):
        with self._lock:
            client = self._clients.get(service)
            if client is None:
                config = self._configs[service]
                if config is None or not config.configured:
                    raise AuthError(
                        "No server and token are set for this service. "
                        "Open Connections to add them."
                    )
                client = cls(
                    normalize_base_url(config.base_url),
                    config.token,
                    allow_insecure_http=config.allow_insecure_http,
                    verify=config.verify,
                    timeout=self._timeout,
                    retry=self._retry,
                    **self._limits,  # type: ignore[arg-type]
                )
                self._clients[service] = client
            return client

    def pathway_client(self) -> PathwayClient:
        return self._client(PATHWAY_SERVICE, PathwayClient)  # type: ignore[return-value]

    def activity_client(self) -> ActivityClient:
        return self._client(ACTIVITY_SERVICE, ActivityClient)  # type: ignore[return-value]

    def close(self) -> None:
        with self._lock:
            clients = [*self._clients.values(), *self._retired]
            self._clients.clear()
            self._retired.clear()
        for client in clients:
            client.close()


def server_of(connections: Connections, service: str) -> str | None:
    """The normalised base URL of ``service``, or ``None`` when none is set."""
    config = connections.config(service)
    if config is None or not config.base_url:
        return None
    try:
        return normalize_base_url(config.base_url)
    except InvalidUrlError:
        return None
