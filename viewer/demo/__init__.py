"""The embedded demo server: both APIs over real HTTP on loopback, for tests, demos and
benchmarks. Qt-free; state in SQLite, data generated deterministically from a seed.

The names below are imported when first looked up: the app reserves the demo's address
(``viewer.demo.reserved``) before its window shows, and ``http.server`` and the routes are
loaded only once the window has painted.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from viewer.demo.faults import FaultState, FaultSwitches
    from viewer.demo.server import DemoServer

__all__ = ["DemoServer", "FaultState", "FaultSwitches"]

_HOMES = {"DemoServer": "server", "FaultState": "faults", "FaultSwitches": "faults"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
