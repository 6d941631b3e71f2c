"""Names under .invalid fail to resolve at once, as any resolver would answer, without asking one.

RFC 6761 reserves .invalid, so the answer is known; a real query would only send traffic off
this machine.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any


def without_dns(real: Callable[..., Any]) -> Callable[..., Any]:
    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.rstrip(".").endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    return getaddrinfo
