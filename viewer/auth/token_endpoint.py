"""globaliD's token endpoint, ``POST {api}/v1/auth/token``, through Authlib's httpx client.

Authlib builds the form bodies of both grants, parses the answers and their OAuth errors,
and knows when a token has expired and how to get the next one (a client-credentials
fetch, or a refresh when the server gave a refresh token). This module gives it our
timeouts, TLS options and User-Agent, and turns its failures into the API layer's errors,
never quoting the secret, the code or a token.
"""

from __future__ import annotations

import time
import warnings
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from viewer import USER_AGENT
from viewer.api.errors import (
    Advice,
    ApiError,
    ApiReportedError,
    ApiTimeoutError,
    AuthError,
    BadResponseError,
    NetworkError,
    ServerError,
    excerpt_of,
)
from viewer.api.http import Timeouts, check_transport_security, normalize_base_url
from viewer.api.lazy import on_first_use
from viewer.auth.settings import OAuthSettings, token_endpoint
from viewer.auth.tokens import AccessToken

if TYPE_CHECKING:
    import httpx
    from authlib.common.errors import AuthlibBaseError
else:
    httpx = on_first_use("httpx")


def _authlib() -> tuple[type[AuthlibBaseError], Any]:
    """Authlib's error base and OAuth2 client, imported on first use: loading them takes
    longer than opening the window, and most sessions never sign in."""
    # Authlib warns, on import, that plain httpx will one day give way to a fork of it; the
    # integration works with httpx as it is, and the warning would reach every user's stderr.
    from authlib.deprecate import AuthlibDeprecationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AuthlibDeprecationWarning)
        from authlib.common.errors import AuthlibBaseError
        from authlib.integrations.httpx_client import OAuth2Client
    return AuthlibBaseError, OAuth2Client


#: The token endpoint answers quickly or not at all; a sign-in should not hang for a minute.
TOKEN_TIMEOUT = Timeouts(connect=10.0, read=20.0, write=20.0, pool=10.0)
SERVICE = "globaliD sign-in"


class TokenEndpoint:
    """One client registration at one API's token endpoint, holding its latest token.

    Not thread-safe on its own; the token sources serialise their calls.
    """

    def __init__(
        self,
        base_url: str,
        settings: OAuthSettings,
        *,
        grant_type: str = "client_credentials",
        redirect_uri: str | None = None,
        allow_insecure_http: bool = False,
        verify: bool | str = True,
        timeout: httpx.Timeout | Timeouts = TOKEN_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = token_endpoint(normalize_base_url(base_url))
        # The secret travels in the body: the same rule as for tokens.
        check_transport_security(self.url, allow_insecure_http=allow_insecure_http)
        self._client_secret = settings.client_secret
        #: Recent codes and tokens, kept only to scrub them from any text a server sends back.
        self._secrets: deque[str] = deque(maxlen=8)
        self._lifetime: float | None = None
        _error, client_class = _authlib()
        self._client = client_class(
            client_id=settings.client_id.strip(),
            client_secret=settings.client_secret,
            # globaliD documents client_id and client_secret as form fields of the body.
            token_endpoint_auth_method="client_secret_post",
            scope=settings.scope.strip() or None,
            redirect_uri=redirect_uri,
            token_endpoint=self.url,
            grant_type=grant_type,
            code_challenge_method="S256",
            timeout=timeout,
            verify=verify,
            transport=transport,
            follow_redirects=False,  # never the secret to wherever a redirect points
            trust_env=False,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )

    def __repr__(self) -> str:
        return f"TokenEndpoint({self.url!r})"

    def close(self) -> None:
        self._client.close()

    # -- the current token ----------------------------------------------------------------

    @property
    def token(self) -> AccessToken | None:
        raw = self._client.token
        if not raw:
            return None
        return AccessToken.from_response(raw)

    @token.setter
    def token(self, token: AccessToken | None) -> None:
        if token is None:
            self._client.token = None
            return
        self._lifetime = None
        self._client.token = {
            "access_token": token.value,
            "token_type": token.token_type,
            "expires_at": token.expires_at,
            **({"refresh_token": token.refresh_token} if token.refresh_token else {}),
        }

    @property
    def lifetime(self) -> float | None:
        """How long the latest token fetched here was valid for, when it came."""
        return self._lifetime

    @property
    def can_renew(self) -> bool:
        """Whether a new token can be had without a person: app credentials or a refresh."""
        token = self.token
        return self._client.metadata.get("grant_type") == "client_credentials" or bool(
            token and token.refresh_token
        )

    # -- grants ---------------------------------------------------------------------------

    def authorization_url(
        self,
        connect_url: str,
        *,
        redirect_uri: str,
        state: str,
        code_verifier: str,
        nonce: str | None,
    ) -> str:
        """The Connect URL: client, scope, redirect, state, PKCE challenge, nonce."""
        extra = {"nonce": nonce} if nonce else {}
        url, _state = self._client.create_authorization_url(
            connect_url,
            state=state,
            code_verifier=code_verifier,
            redirect_uri=redirect_uri,
            **extra,
        )
        return str(url)

    def client_credentials(self) -> AccessToken:
        """A new token for the app itself."""
        return self._call(lambda: self._client.fetch_token(grant_type="client_credentials"))

    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str) -> AccessToken:
        """The token for the code a signed-in person's browser brought back."""
        self._secrets.append(code)
        self._secrets.append(code_verifier)
        return self._call(
            lambda: self._client.fetch_token(
                grant_type="authorization_code",
                code=code,
                redirect_uri=redirect_uri,
                code_verifier=code_verifier,
            )
        )

    def ensure_fresh(self, leeway: float) -> AccessToken | None:
        """The token, renewed first when it expires within ``leeway`` seconds and can be."""
        if not self._client.token:
            return None
        self._client.leeway = leeway
        if self.can_renew:
            self._call(lambda: self._client.ensure_active_token(self._client.token))
        return self.token

    def renew(self) -> AccessToken | None:
        """A new token now (after a 401), or None when only a person can give one."""
        token = self.token
        if token is not None and token.refresh_token:
            return self._call(lambda: self._client.refresh_token(self.url))
        if self._client.metadata.get("grant_type") == "client_credentials":
            return self.client_credentials()
        return None

    # -- errors ---------------------------------------------------------------------------

    def _call(self, fetch: Callable[[], Any]) -> AccessToken:
        started = time.time()
        authlib_error, _client = _authlib()
        try:
            fetch()
        except authlib_error as exc:
            raise self._oauth_error(exc) from None
        except httpx.HTTPStatusError as exc:
            raise self._status_error(exc.response) from None
        except httpx.TimeoutException:
            raise ApiTimeoutError(
                f"The sign-in server at {self._host} took too long to answer. Try again."
            ) from None
        except httpx.ConnectError:
            raise NetworkError(
                f"Could not connect to the sign-in server at {self._host}. Check the server "
                "address and your network."
            ) from None
        except httpx.HTTPError as exc:
            raise NetworkError(
                f"The request to the sign-in server at {self._host} failed "
                f"({type(exc).__name__}). Try again."
            ) from None
        except ValueError:  # a 2xx that is not a JSON object
            raise BadResponseError(
                f"The sign-in server at {self._host} did not answer with a token. Check the "
                "server address."
            ) from None
        token = self.token
        if token is None:
            raise BadResponseError(f"The sign-in server at {self._host} sent no access token.")
        self._secrets.append(token.value)
        if token.expires_at is not None:
            self._lifetime = max(0.0, token.expires_at - started)
        return token

    def _oauth_error(self, exc: AuthlibBaseError) -> ApiError:
        code = str(getattr(exc, "error", "") or "error")
        said = self._scrub(str(getattr(exc, "description", "") or ""))
        detail = f" ({code}: {said})" if said else f" ({code})"
        if code == "invalid_client":
            return AuthError(
                f"The sign-in server refused the client ID or secret{detail}.",
                status=401,
                advice=Advice.APP_CREDENTIALS,
            )
        if code in ("invalid_grant", "access_denied"):
            return AuthError(
                f"The sign-in server refused the sign-in{detail}. Sign in again.", status=400
            )
        if code in ("token_invalid", "missing_token", "token_expired"):
            return AuthError("The sign-in has ended. Sign in again.", status=401)
        return ApiReportedError(f"The sign-in server refused the request{detail}.")

    def _status_error(self, response: httpx.Response) -> ApiError:
        status = response.status_code
        if status in (401, 403):
            return AuthError(
                f"The sign-in server refused the client (HTTP {status}).",
                status=status,
                advice=Advice.APP_CREDENTIALS,
            )
        if status >= 500:
            return ServerError(
                f"The sign-in server had a problem (HTTP {status}). This is usually "
                "temporary; try again in a few minutes.",
                status=status,
            )
        excerpt = self._scrub(excerpt_of(response.content))
        return BadResponseError(
            f"The sign-in server at {self._host} answered HTTP {status} without a token"
            + (f": “{excerpt}”." if excerpt else ".")
            + " Check the server address.",
            excerpt=excerpt,
            status=status,
        )

    def _scrub(self, text: str) -> str:
        for secret in (self._client_secret, *self._secrets):
            if secret:
                text = text.replace(secret, "…")
        return text[:300]

    @property
    def _host(self) -> str:
        return httpx.URL(self.url).netloc.decode("ascii", "replace")
