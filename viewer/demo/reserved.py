"""A demo server whose address is taken before the server itself is loaded.

The app's window opens on the demo at once, but ``http.server`` with ``email`` and
``http.client``, the routes and the data generators take tens of milliseconds to import:
time the first paint does not need. So the listening socket is made first (its address and
the seed's credentials are all the clients need), and the server is loaded and started on
that socket later, once the window has painted. Requests made before then wait in the
socket's accept queue and are answered when it starts.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from viewer.demo.identity import CONNECT_PATH, api_tokens, app_credentials

if TYPE_CHECKING:
    from viewer.demo.server import DemoServer


class ReservedDemo:
    """The address and credentials of a demo server that starts when ``start`` is called.

    ``start`` and ``stop`` may come from any thread, in any order, any number of times: a
    start after ``stop`` does nothing, and ``stop`` before any start just closes the socket.
    """

    def __init__(
        self,
        *,
        seed: int = 1,
        users: int = 200,
        inbox: int = 500,
        clock: Callable[[], float] | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.create_server((host, 0), family=family)
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        self.pathway_token, self.activity_token = api_tokens(seed)
        self.client_id, self.client_secret = app_credentials(seed)
        self._seed, self._users, self._inbox, self._clock = seed, users, inbox, clock
        self._lock = threading.Lock()
        self._server: DemoServer | None = None
        self._stopped = False

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def connect_url(self) -> str:
        """The demo's Connect URL, which approves at once."""
        return self.url + CONNECT_PATH

    @property
    def server(self) -> DemoServer | None:
        """The running server, once started (none before, and after ``stop``)."""
        return self._server

    def start(self) -> None:
        """Load the server and serve on the reserved socket (once; not after ``stop``)."""
        with self._lock:
            if self._server is not None or self._stopped:
                return
            from viewer.demo.server import DemoServer

            server = DemoServer(
                host=self.host,
                seed=self._seed,
                users=self._users,
                inbox=self._inbox,
                clock=self._clock,
                listening=self._socket,
            )
            self._server = server.start()

    def stop(self) -> None:
        """Stop the server, or give the address up if it never started."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            server, self._server = self._server, None
            if server is None:
                self._socket.close()
        if server is not None:
            server.stop()
