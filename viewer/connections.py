"""Where each service lives and how to authenticate to it; builds the API clients.

A client is given a token source, not a token: app credentials and signed-in sessions renew
their tokens there, so every tab and command gets renewal without code of its own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from viewer.api.activity import ActivityClient
from viewer.api.errors import AuthError, InvalidUrlError
from viewer.api.http import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_ANSWER_BYTES,
    DEFAULT_TIMEOUT,
    RetryPolicy,
    Timeouts,
    normalize_base_url,
)
from viewer.api.pathway import PathwayClient
from viewer.api.token_source import TokenSource
from viewer.auth.settings import APP, PASTED, SIGN_IN, OAuthSettings
from viewer.auth.token_endpoint import TokenEndpoint
from viewer.auth.token_sources import RenewingToken, TokenListener
from viewer.auth.tokens import DEFAULT_POLICY, AccessToken, RenewalPolicy

if TYPE_CHECKING:  # only named in annotations: the clients import httpx when first used
    import httpx

log = logging.getLogger(__name__)

PATHWAY_SERVICE = "pathway-logs"


class DemoAddress(Protocol):
    """What ``Connections.to_demo_server`` needs of a demo server (and uses, when it has
    them: ``client_id``, ``client_secret`` and ``connect_url`` of its sign-in)."""

    @property
    def url(self) -> str: ...
    @property
    def pathway_token(self) -> str: ...
    @property
    def activity_token(self) -> str: ...


ACTIVITY_SERVICE = "activity-log"


@dataclass
class ServiceConfig:
    """One service's address and credentials. Tokens and secrets are kept out of ``repr``."""

    base_url: str
    #: A pasted token, used as given.
    token: str = field(default="", repr=False)
    allow_insecure_http: bool = False
    ca_bundle: str | None = None
    #: How tokens are obtained when not pasted: signing in, or app credentials.
    oauth: OAuthSettings | None = None
    #: The latest token from signing in or from the app credentials, with its expiry.
    access: AccessToken | None = field(default=None, repr=False)

    @property
    def method(self) -> str:
        return self.oauth.method if self.oauth is not None else PASTED

    @property
    def configured(self) -> bool:
        if not self.base_url:
            return False
        if self.method == APP:
            return self.oauth is not None and self.oauth.has_client
        if self.method == SIGN_IN:
            return self.access is not None
        return bool(self.token)

    @property
    def verify(self) -> bool | str:
        return self.ca_bundle or True


_Client = TypeVar("_Client", PathwayClient, ActivityClient)


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
        timeout: httpx.Timeout | Timeouts = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        policy: RenewalPolicy = DEFAULT_POLICY,
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
        self._closed = False
        self.demo = demo
        # Tests (and tools) shorten these; the app keeps the clients' defaults.
        self._timeout = timeout
        self._retry = retry if retry is not None else RetryPolicy()
        self.policy = policy
        #: Told, from the worker thread that got it, of each new token: (service, token).
        self.token_renewed: Callable[[str, AccessToken], None] | None = None
        self._limits = {
            "deadline": deadline,
            "max_answer_bytes": max_answer_bytes,
            "limit_hint": limit_hint,
        }

    @classmethod
    def to_demo_server(cls, server: DemoAddress, **options: Any) -> Connections:
        """Connections to an embedded demo server, marked as demo (nothing is saved).

        The activity log starts on the demo's pasted token; its sign-in settings are filled
        in, so that Connections can switch to signing in or to app credentials.
        """
        oauth = None
        client_id = getattr(server, "client_id", "")
        if client_id:
            oauth = OAuthSettings(
                PASTED,
                client_id,
                getattr(server, "client_secret", ""),
                getattr(server, "connect_url", ""),
                ports="0",
            )
        return cls(
            ServiceConfig(server.url, server.pathway_token),
            ServiceConfig(server.url, server.activity_token, oauth=oauth),
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

    def _client(self, service: str, cls: type[_Client]) -> _Client:
        with self._lock:
            client = self._clients.get(service)
            if not isinstance(client, cls):
                config = self._configs[service]
                if config is None or not config.configured:
                    raise AuthError(
                        "No server and token are set for this service. "
                        "Open Connections to add them."
                    )
                client = cls(
                    normalize_base_url(config.base_url),
                    self._token_source(service, config),
                    allow_insecure_http=config.allow_insecure_http,
                    verify=config.verify,
                    timeout=self._timeout,
                    retry=self._retry,
                    **self._limits,  # type: ignore[arg-type]
                )
                self._clients[service] = client
            return client

    def _token_source(self, service: str, config: ServiceConfig) -> str | TokenSource:
        def renewed(token: AccessToken) -> None:
            if self._configs.get(service) is not config:
                return  # replaced meanwhile: the new settings have their own token
            config.access = token
            if self.token_renewed is not None:
                self.token_renewed(service, token)

        return token_source_for(config, policy=self.policy, on_renewed=renewed)

    def warm(self) -> threading.Thread:
        """Make the clients of the configured services in a background thread, and return it.

        The first client imports httpx and makes a TLS context: 0.2 to 0.4 s that would
        otherwise come between a first click on Fetch and its request. A service that
        cannot have a client yet is left for its first use to explain.
        """

        def make() -> None:
            for service, get in (
                (PATHWAY_SERVICE, self.pathway_client),
                (ACTIVITY_SERVICE, self.activity_client),
            ):
                if self._is_closed():
                    return
                try:
                    client: PathwayClient | ActivityClient = get()
                except Exception:  # not configured, say: the same error reaches its first use
                    log.debug("No %s client made ahead of use", service, exc_info=True)
                    continue
                if self._is_closed():  # closed meanwhile, maybe before this client was made
                    client.close()
                    return

        thread = threading.Thread(target=make, name="connections-warm", daemon=True)
        thread.start()
        return thread

    def _is_closed(self) -> bool:
        with self._lock:
            return self._closed

    def pathway_client(self) -> PathwayClient:
        return self._client(PATHWAY_SERVICE, PathwayClient)

    def activity_client(self) -> ActivityClient:
        return self._client(ACTIVITY_SERVICE, ActivityClient)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            clients = [*self._clients.values(), *self._retired]
            self._clients.clear()
            self._retired.clear()
        for client in clients:
            client.close()


def token_source_for(
    config: ServiceConfig,
    *,
    policy: RenewalPolicy = DEFAULT_POLICY,
    on_renewed: TokenListener | None = None,
) -> str | TokenSource:
    """What a client of ``config`` authenticates with: the pasted token, or a source that
    renews (app credentials) or knows its expiry (a sign-in). A client closes its source."""
    if config.method == PASTED or config.oauth is None:
        return config.token
    endpoint = TokenEndpoint(
        config.base_url,
        config.oauth,
        grant_type="client_credentials" if config.method == APP else "authorization_code",
        allow_insecure_http=config.allow_insecure_http,
        verify=config.verify,
    )
    return RenewingToken(endpoint, config.access, policy=policy, on_renewed=on_renewed)


def server_of(connections: Connections, service: str) -> str | None:
    """The normalised base URL of ``service``, or ``None`` when none is set."""
    config = connections.config(service)
    if config is None or not config.base_url:
        return None
    try:
        return normalize_base_url(config.base_url)
    except InvalidUrlError:
        return None
