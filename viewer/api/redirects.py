"""Which redirects a client follows: within its origin, or to https elsewhere without a body.

A redirect is the server's word, and a hostile or hijacked server can point anywhere. Taken
blindly, a 307 from the real server sends the query (pathway, group and user names) in clear
to another host, and that host's answer is shown and exported as if it were the pathway. So:

- within the same origin (scheme, host and port) anything is followed;
- to another origin only over https, never from https down to http;
- never when the request carries a body (a POST), whatever the status would do with it;
- ``Authorization`` is dropped on the way to another origin (httpx does it; kept so).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewer.api.errors import RedirectRefusedError

if TYPE_CHECKING:  # only named in annotations: importing this leaves httpx unloaded
    import httpx

MAX_REDIRECTS = 5


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default


def origin_text(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}"


def check_redirect(
    original: httpx.Request, current: httpx.URL, target: httpx.URL, service: str
) -> None:
    """Raise ``RedirectRefusedError`` unless following ``current`` → ``target`` is safe."""
    if _origin(target) == _origin(current):
        return
    where = origin_text(target)
    if target.scheme not in ("http", "https"):
        raise RedirectRefusedError(
            f"The {service} server redirected to {where}, which is not a web address; the "
            "redirect was not followed. Check the server address."
        )
    if current.scheme == "https" and target.scheme != "https":
        raise RedirectRefusedError(
            f"The {service} server redirected to {where}, leaving https for plain http; the "
            "redirect was not followed, since the request would travel unencrypted. Check "
            "the server address."
        )
    if target.scheme != "https":
        raise RedirectRefusedError(
            f"The {service} server redirected to another server, {where}, over plain http; "
            "the redirect was not followed. If that server is the right one, use its https "
            "address instead."
        )
    if original.method not in ("GET", "HEAD"):
        raise RedirectRefusedError(
            f"The {service} server redirected the request to another server, {where}; it was "
            "not sent there, since it carries what you asked for. If that server is the right "
            "one, use its address instead."
        )
