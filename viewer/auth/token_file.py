"""Falkor's "Download Token" files: the base API endpoint and the token, found by looking.

The format is not public, so both JSON (nested or flat) and ``key: value`` / ``key=value``
text are read, with keys matched loosely (``token``, ``api_token``, ``Authorization:
Basic …``; ``url``, ``base_url``, ``endpoint``). Whatever is not found is said plainly.
Only the two values are returned; nothing else of the file is kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viewer.api.errors import ApiError
from viewer.api.http import normalize_base_url

MAX_BYTES = 1 << 20

_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_WORD = re.compile(r"^[A-Za-z0-9+/=_\-.~:]+$")
#: A base64 token alone on its line: its ``=`` padding is not a key/value separator.
_BARE_BASE64 = re.compile(r"^[A-Za-z0-9+/_\-.]+=*$")
_SCHEMES = ("basic ", "bearer ", "token ")
#: Key words, best first. A key is compared without case, spaces, dashes or underscores.
_TOKEN_KEYS = (
    ("token", "apitoken", "accesstoken", "base64token", "base64encodedtoken", "authtoken"),
    ("apikey", "authorization", "bearer", "key"),
)
_TOKEN_PARTS = ("token", "apikey")
_NOT_TOKEN_PARTS = ("type", "name", "expire", "created", "id", "url", "endpoint", "scope")
_URL_KEYS = (
    ("baseurl", "baseapiurl", "baseapiendpoint", "apiurl", "apibaseurl", "apiendpoint"),
    ("url", "endpoint", "baseapi", "server", "host", "api", "uri", "address"),
)
_URL_PARTS = ("url", "endpoint", "host", "server", "uri")


@dataclass(frozen=True)
class TokenFile:
    """What was found; ``problems`` says plainly what was not."""

    base_url: str | None
    token: str | None = field(repr=False)
    problems: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.base_url is not None and self.token is not None


def read_token_file(path: str | Path) -> TokenFile:
    """Read and parse a file; unreadable files come back as a problem, not an exception."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return TokenFile(None, None, (f"The file could not be read ({exc.strerror or exc}).",))
    if len(data) > MAX_BYTES:
        return TokenFile(
            None, None, ("The file is larger than 1 MB; a token file holds a few lines.",)
        )
    if b"\0" in data:
        return TokenFile(None, None, ("The file is not text, so it is not a token file.",))
    return parse_token_file(data.decode("utf-8-sig", errors="replace"))


def parse_token_file(text: str) -> TokenFile:
    if not text.strip():
        return TokenFile(None, None, ("The file is empty.",))
    pairs = _json_pairs(text)
    if pairs is None:
        pairs = _text_pairs(text)
    token = _best(pairs, _token_rank, _token_value)
    url = _best(pairs, _url_rank, _url_value)
    problems: list[str] = []
    base_url = None
    if url is not None:
        try:
            base_url = normalize_base_url(url)
        except ApiError as exc:
            problems.append(f"The server address in the file cannot be used: {exc.message}")
    else:
        problems.append(
            "No server address was found in the file (no “url: https://…” line and no key "
            "holding an https:// address). Enter the base API endpoint by hand."
        )
    if token is None:
        problems.append(
            "No token was found in the file (no “token: …” line and no key such as token, "
            "api_token or access_token). Paste the token by hand."
        )
    return TokenFile(base_url, token, tuple(problems))


# -- reading the two shapes -----------------------------------------------------------------


def _json_pairs(text: str) -> list[tuple[str, str]] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict | list):
        return [("", str(value))] if isinstance(value, str) else None
    pairs: list[tuple[str, str]] = []
    _flatten("", value, pairs, depth=0)
    return pairs


def _flatten(key: str, value: Any, out: list[tuple[str, str]], depth: int) -> None:
    if depth > 8 or len(out) > 1000:
        return
    if isinstance(value, dict):
        for inner, item in value.items():
            _flatten(str(inner), item, out, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _flatten(key, item, out, depth + 1)
    elif isinstance(value, str):
        out.append((key, value))


def _text_pairs(text: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for raw in text.splitlines()[:1000]:
        line = raw.strip().rstrip(",")
        if not line or line.startswith(("#", "//", ";", "[")):
            continue
        if line.lower().startswith("export "):
            line = line[len("export ") :].strip()
        bare = _URL.match(line) or _BARE_BASE64.match(line)
        if bare or ((":" not in line) and ("=" not in line)):
            pairs.append(("", _unquote(line)))
            continue
        cut = _separator(line)
        key, value = line[:cut], line[cut + 1 :]
        pairs.append((_unquote(key.strip()), _unquote(value.strip())))
    return pairs


def _separator(line: str) -> int:
    """The first ``:`` or ``=`` that is not part of ``://`` in a value."""
    positions = [i for i in (line.find(":"), line.find("=")) if i >= 0]
    return min(positions)


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].strip()
    return text


# -- choosing -------------------------------------------------------------------------------


def _norm(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def _best(
    pairs: Iterable[tuple[str, Any]],
    rank: Callable[[str], int | None],
    value_of: Callable[[Any], str | None],
) -> str | None:
    found: list[tuple[int, int, str]] = []
    for order, (key, raw) in enumerate(pairs):
        value = value_of(raw)
        if value is None:
            continue
        score = rank(_norm(key))
        if score is not None:
            found.append((score, order, value))
    return min(found)[2] if found else None


def _token_rank(key: str) -> int | None:
    if not key:
        return len(_TOKEN_KEYS) + 1  # a line holding nothing but the token
    for score, names in enumerate(_TOKEN_KEYS):
        if key in names:
            return score
    if any(part in key for part in _TOKEN_PARTS) and not any(
        part in key for part in _NOT_TOKEN_PARTS
    ):
        return len(_TOKEN_KEYS)
    return None


def _token_value(raw: str) -> str | None:
    value = raw.strip()
    for scheme in _SCHEMES:
        if value.lower().startswith(scheme):
            value = value[len(scheme) :].strip()
    if not value or _URL.match(value) or not _WORD.match(value) or len(value) < 8:
        return None
    return value


def _url_rank(key: str) -> int:
    for score, names in enumerate(_URL_KEYS):
        if key in names:
            return score
    if any(part in key for part in _URL_PARTS):
        return len(_URL_KEYS)
    return len(_URL_KEYS) + 1  # any https address, under whatever key (or none)


def _url_value(raw: str) -> str | None:
    value = raw.strip()
    return value if _URL.match(value) else None
