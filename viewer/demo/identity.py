"""The demo's credentials, derived from its seed alone.

They are known before the server runs, so the app can hand them to its clients while the
server itself is still to be imported and started (``viewer.demo.reserved``).
"""

from __future__ import annotations

import base64
import hashlib

#: Where the demo's globaliD-style sign-in page answers.
CONNECT_PATH = "/connect"


def api_tokens(seed: int) -> tuple[str, str]:
    """The pasted tokens the two APIs accept: (pathway logs, activity log)."""

    def digest(purpose: str) -> str:
        return hashlib.sha256(f"{seed}/{purpose}".encode()).hexdigest()

    pathway = base64.b64encode(f"demo-pathway:{digest('pathway-token')[:32]}".encode()).decode()
    return pathway, f"demo.{digest('activity-token')[:40]}"


def app_credentials(seed: int) -> tuple[str, str]:
    """The registered sign-in app: (client ID, client secret)."""
    digest = hashlib.sha256(f"{seed}/demo-client".encode()).hexdigest()
    return f"demo-app-{digest[:12]}", f"demo-secret-{digest[12:44]}"
