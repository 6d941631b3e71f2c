"""Switches that make the demo server misbehave on purpose, for tests of error handling."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from typing import Any

APIS = ("pathway", "activity", "auth")


@dataclass(frozen=True)
class FaultState:
    """One consistent reading of the switches. All off by default."""

    latency: float = 0.0  # seconds to wait before answering
    status: int | None = None  # answer with this HTTP status and an error body
    retry_after: str | None = None  # Retry-After header sent with ``status``
    truncate: bool = False  # full Content-Length, half the body, then close
    not_json: bool = False  # 200 with an HTML page
    empty_body: bool = False  # 200 with no body at all
    truncate_json: bool = False  # the real answer (or error) cut in half, sent whole
    reported_error: bool = False  # 200 with ``{"status": "error", "message": ...}``
    redirect_to: str | None = None  # 307 to this origin, same path and query
    padding: int = 0  # characters of an extra unknown key in the answer, to make it large
    api: str | None = None  # "pathway", "activity", "auth" (sign-in), or None for all
    times: int | None = None  # the next N matching requests only; None = until reset

    @property
    def active(self) -> bool:
        return bool(
            self.latency > 0
            or self.status is not None
            or self.truncate
            or self.not_json
            or self.empty_body
            or self.truncate_json
            or self.reported_error
            or self.redirect_to is not None
            or self.padding > 0
        )

    def applies_to(self, api: str) -> bool:
        return self.active and self.api in (None, api)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


FIELDS = tuple(field.name for field in dataclasses.fields(FaultState))


def _validated(name: str, value: Any) -> Any:
    if name == "latency":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError("latency must be a number of seconds, 0 or more")
        return float(value)
    if name == "status":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 599:
            raise ValueError("status must be an HTTP status code (100-599) or null")
        return value
    if name == "retry_after":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError("retry_after must be a string (seconds or an HTTP date) or null")
        return str(value)
    if name in ("truncate", "not_json", "empty_body", "truncate_json", "reported_error"):
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
        return value
    if name == "redirect_to":
        if value is None:
            return None
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            raise ValueError("redirect_to must be an http:// or https:// origin, or null")
        return value.rstrip("/")
    if name == "padding":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError("padding must be a whole number of characters, 0 or more")
        return value
    if name == "api":
        if value is not None and value not in APIS:
            raise ValueError("api must be 'pathway', 'activity', 'auth' or null")
        return value
    if name == "times":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError("times must be a whole number, 1 or more, or null")
        return value
    raise ValueError(f"unknown fault switch {name!r}; known: {', '.join(FIELDS)}")


class FaultSwitches:
    """Thread-safe fault switches. Read them as attributes; change them with ``set``.

    ``set(status=503, times=2)`` makes the next two requests fail; afterwards every switch
    turns itself off. Assigning an attribute (``faults.latency = 0.5``) is ``set`` too.
    """

    # Set with object.__setattr__, since assigning an attribute means ``set``.
    _lock: threading.Lock
    _state: FaultState

    def __init__(self) -> None:
        object.__setattr__(self, "_lock", threading.Lock())
        object.__setattr__(self, "_state", FaultState())

    def set(self, **fields: Any) -> FaultState:
        """Change the named switches (others keep their values); invalid values raise."""
        changes = {name: _validated(name, value) for name, value in fields.items()}
        with self._lock:
            state = dataclasses.replace(self._state, **changes)
            object.__setattr__(self, "_state", state)
        return state

    def reset(self) -> None:
        with self._lock:
            object.__setattr__(self, "_state", FaultState())

    def replace(self, **fields: Any) -> FaultState:
        """Reset, then set the named switches: what ``POST /_demo/faults`` does."""
        changes = {name: _validated(name, value) for name, value in fields.items()}
        state = FaultState(**changes)
        with self._lock:
            object.__setattr__(self, "_state", state)
        return state

    def snapshot(self) -> FaultState:
        with self._lock:
            return self._state

    def take(self, api: str) -> FaultState | None:
        """The switches to apply to one request of ``api``, counting it against ``times``."""
        with self._lock:
            state = self._state
            if not state.applies_to(api):
                return None
            if state.times is not None:
                left = state.times - 1
                object.__setattr__(
                    self,
                    "_state",
                    dataclasses.replace(state, times=left) if left else FaultState(),
                )
            return state

    def __getattr__(self, name: str) -> Any:
        if name in FIELDS:
            return getattr(self.snapshot(), name)
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        self.set(**{name: value})

    def __repr__(self) -> str:
        state = self.snapshot()
        shown = ", ".join(
            f"{name}={getattr(state, name)!r}"
            for name in FIELDS
            if getattr(state, name) != getattr(FaultState, name)
        )
        return f"FaultSwitches({shown})"
