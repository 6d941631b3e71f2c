"""The demo's globaliD sign-in: ``GET /connect`` and ``POST /v1/auth/token``.

One app is registered (its ID and secret derive from the seed). ``/connect`` approves at
once and redirects to the app's loopback address with a code; the token endpoint takes
that code (``authorization_code``) or the app's own credentials (``client_credentials``)
and issues tokens that expire after ``token_ttl`` seconds, after which the activity log
answers 401, as the real one does after about eight hours.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import secrets
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from viewer.demo.identity import CONNECT_PATH, app_credentials
from viewer.demo.wire import Request, Response, json_response

TOKEN_PATH = "/v1/auth/token"
#: globaliD's tokens live just under eight hours.
DEFAULT_TOKEN_TTL = 28799.0
CODE_TTL = 120.0
_LOOPBACK_HOSTS = ("127.0.0.1", "[::1]", "localhost")


def is_auth_path(path: str) -> bool:
    return path in (CONNECT_PATH, TOKEN_PATH)


def oauth_error(status: int, error: str, description: str, **headers: str) -> Response:
    """The OAuth error shape (RFC 6749, section 5.2)."""
    body = {"error": error, "error_description": description}
    return json_response(body, status, **{"Cache-Control": "no-store", **headers})


@dataclass
class _Code:
    redirect_uri: str
    scope: str
    challenge: str
    expires_at: float


class SignInBook:
    """The registered app, the codes waiting for exchange and the tokens handed out."""

    def __init__(self, seed: int, token_ttl: float = DEFAULT_TOKEN_TTL) -> None:
        self.client_id, self.client_secret = app_credentials(seed)
        self.token_ttl = float(token_ttl)
        #: When set, ``/connect`` declines (``error=access_denied``) instead of approving.
        self.deny = False
        self._lock = threading.Lock()
        self._codes: dict[str, _Code] = {}
        self._tokens: dict[str, float] = {}
        self.issued = 0

    # -- for the activity routes ------------------------------------------------------------

    def token_state(self, request: Request) -> str | None:
        """``"valid"``, ``"expired"`` for the bearer token of a request if issued here."""
        scheme, _, given = request.header("Authorization").strip().partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.token_state_of(given.strip())

    def token_state_of(self, token: str) -> str | None:
        with self._lock:
            expires_at = self._tokens.get(token)
        if expires_at is None:
            return None
        return "valid" if time.time() < expires_at else "expired"

    def issued_tokens(self) -> list[str]:
        """Every token handed out (for tests that look for leaks)."""
        with self._lock:
            return list(self._tokens)

    def revoke_all(self) -> None:
        """Make every token issued so far expire now (what a server restart might do)."""
        with self._lock:
            for token in self._tokens:
                self._tokens[token] = 0.0

    # -- routes -----------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        if request.path == CONNECT_PATH:
            if request.method != "GET":
                return _page(405, "Use GET.", Allow="GET")
            return self._connect(dict(parse_qsl(request.query, keep_blank_values=True)))
        if request.method != "POST":
            return oauth_error(405, "invalid_request", "Use POST.", Allow="POST")
        if "application/x-www-form-urlencoded" not in request.header("Content-Type").lower():
            return oauth_error(
                400, "invalid_request", "Send the form as application/x-www-form-urlencoded."
            )
        try:
            form = dict(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            return oauth_error(400, "invalid_request", "The form is not UTF-8.")
        return self._token(form)

    def _connect(self, query: dict[str, str]) -> Response:
        if not hmac.compare_digest(query.get("client_id", "").encode(), self.client_id.encode()):
            return _page(400, "Unknown client_id: this app is not registered here.")
        redirect_uri = query.get("redirect_uri", "")
        split = urlsplit(redirect_uri)
        host = split.netloc.rsplit(":", 1)[0] if split.port else split.netloc
        if split.scheme != "http" or host not in _LOOPBACK_HOSTS or not split.port:
            return _page(400, "redirect_uri must be http://127.0.0.1:PORT/… on the app's machine.")
        state = query.get("state", "")
        scope = query.get("scope", "")

        def back(**params: str) -> Response:
            if state:
                params["state"] = state
            glue = "&" if split.query else "?"
            location = redirect_uri + glue + urlencode(params)
            return Response(
                302,
                [b"<!DOCTYPE html><p>Approved; returning to the app.</p>"],
                content_type="text/html; charset=utf-8",
                headers={"Location": location, "Cache-Control": "no-store"},
            )

        if query.get("response_type") != "code":
            return back(error="unsupported_response_type", error_description="Use code.")
        if "openid" in scope.split() and len(query.get("nonce", "")) < 8:
            return back(
                error="invalid_request",
                error_description="A nonce of 8 or more characters is needed with openid.",
            )
        method = query.get("code_challenge_method", "")
        if query.get("code_challenge") and method != "S256":
            return back(error="invalid_request", error_description="Only S256 is supported.")
        if self.deny:
            return back(error="access_denied", error_description="The user declined.")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Code(
                redirect_uri, scope, query.get("code_challenge", ""), time.time() + CODE_TTL
            )
        return back(code=code)

    def _token(self, form: dict[str, str]) -> Response:
        client_ok = hmac.compare_digest(
            form.get("client_id", "").encode(), self.client_id.encode()
        ) and hmac.compare_digest(
            form.get("client_secret", "").encode(), self.client_secret.encode()
        )
        if not client_ok:
            return oauth_error(401, "invalid_client", "Unknown client or wrong client secret.")
        grant = form.get("grant_type", "")
        scope = form.get("scope", "") or "public"
        if grant == "client_credentials":
            return self._issue(scope)
        if grant != "authorization_code":
            return oauth_error(400, "unsupported_grant_type", f"Unknown grant_type “{grant}”.")
        with self._lock:
            entry = self._codes.pop(form.get("code", ""), None)  # a code works once
        if entry is None or entry.expires_at < time.time():
            return oauth_error(400, "invalid_grant", "The code is unknown, used or expired.")
        if form.get("redirect_uri", "") != entry.redirect_uri:
            return oauth_error(400, "invalid_grant", "redirect_uri differs from the Connect URL's.")
        if entry.challenge:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if not hmac.compare_digest(expected, entry.challenge):
                return oauth_error(400, "invalid_grant", "The code_verifier does not match.")
        return self._issue(entry.scope or "public")

    def _issue(self, scope: str) -> Response:
        token = f"demo-oauth.{secrets.token_urlsafe(24)}"
        with self._lock:
            now = time.time()
            # Forget long-dead tokens so that a server running for weeks stays small.
            for old in [t for t, at in self._tokens.items() if at < now - 3600]:
                del self._tokens[old]
            self._tokens[token] = now + self.token_ttl
            self.issued += 1
        body = {
            "access_token": token,
            "expires_in": max(1, int(self.token_ttl)),
            "scope": scope,
            "token_type": "bearer",
        }
        response = json_response(body)
        response.headers.update({"Cache-Control": "no-store", "Pragma": "no-cache"})
        return response


def _page(status: int, text: str, **headers: str) -> Response:
    body = f"<!DOCTYPE html><title>Demo sign-in</title><p>{html.escape(text)}</p>".encode()
    return Response(status, [body], content_type="text/html; charset=utf-8", headers=headers)
