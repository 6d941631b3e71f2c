"""A module imported at its first use rather than when its importer loads.

httpx and the transport under the clients take a third of a second to import, as long as
the window takes to build. Nothing on screen needs them before the first request, so the
modules that speak HTTP name them through a stand-in:

    if TYPE_CHECKING:
        import httpx
    else:
        httpx = on_first_use("httpx")

Type checkers see the real module; at run time the import happens at the first attribute
looked up (``httpx.URL``, ``except httpx.HTTPError``), from whichever thread gets there
first. A test checks that opening the window leaves httpx unimported.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _OnFirstUse:
    """Looks attributes up on the module ``name``, importing it the first time."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        module = self._module
        if module is None:  # import_module is thread-safe: two first uses import it once
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        state = "imported" if self._module is not None else "not imported yet"
        return f"<module {self._name!r}, {state}>"


def on_first_use(name: str) -> Any:
    """A stand-in for the module ``name`` that imports it at its first attribute lookup."""
    return _OnFirstUse(name)
