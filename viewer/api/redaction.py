"""Credentials kept out of the HTTP libraries' debug logs.

At DEBUG level httpcore logs each answer's headers, and the text of protocol errors, which
quote header values: a server that echoes ``Authorization`` back, or a header h11 refuses,
would put a token in a log file. The filter rewrites such records before any handler sees
them. Logger filters do not apply to records of child loggers, so it goes on each one.
"""

from __future__ import annotations

import logging
import re
import threading

LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "hpack.hpack",
)
REDACTED = "[redacted]"

_CREDENTIAL_HEADERS = r"(?:proxy-)?authorization|cookie|set-cookie"
_PATTERNS = (
    # Headers as tuples or mappings: (b'Authorization', b'Basic …'), {'authorization': '…'}.
    re.compile(rf"""(?i)(b?['"](?:{_CREDENTIAL_HEADERS})['"]\s*[,:]\s*b?)(['"])(?:(?!\2).)*\2"""),
    # Headers as written on the wire: "Authorization: Bearer …".
    re.compile(rf"(?i)\b((?:{_CREDENTIAL_HEADERS}):[ \t]*)[^\r\n'\"]+"),
    # A scheme and its credentials anywhere else, as in h11's "Illegal header value …"; not
    # a challenge's parameters (WWW-Authenticate: Basic realm="…").
    re.compile(r"(?i)\b(basic|bearer)\s+(?![\w-]+=\s*\")[^\s'\"\\,)]+"),
)
_REPLACEMENTS = (rf"\1\2{REDACTED}\2", rf"\1{REDACTED}", rf"\1 {REDACTED}")


def redact(text: str) -> str:
    """``text`` with every credential it quotes replaced by ``[redacted]``."""
    for pattern, replacement in zip(_PATTERNS, _REPLACEMENTS, strict=True):
        text = pattern.sub(replacement, text)
    return text


class CredentialFilter(logging.Filter):
    """Rewrites a record's message when it quotes a credential; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging system's to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_installed = False
_lock = threading.Lock()


def hide_credentials_in_logs() -> None:
    """Put the filter on the HTTP libraries' loggers, once per process."""
    global _installed
    with _lock:
        if _installed:
            return
        credential_filter = CredentialFilter()
        for name in LOGGERS:
            logging.getLogger(name).addFilter(credential_filter)
        _installed = True
