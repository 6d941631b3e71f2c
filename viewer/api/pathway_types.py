"""Typed payloads of the pathway-logs API, decoded with msgspec.

Every field a real server might leave out or send as null has a default, unknown fields are
ignored, and a log's ``fulfilment`` is kept as raw JSON so that payloads of types nobody has
documented are never lost (see ``Fulfilment``).

Structs are ``gc=False``: they never form reference cycles, and keeping hundreds of thousands
of them out of the cyclic collector makes decoding several times faster.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any

import msgspec

from viewer.api.errors import UNREADABLE

EMPTY_ARRAY = msgspec.Raw(b"[]")


class Pathway(msgspec.Struct, gc=False, frozen=True):
    ID: str | None = None
    name: str | None = None
    type: str | None = None


class ActivityStats(msgspec.Struct, gc=False, frozen=True):
    total: int | None = None
    completed: int | None = None


class LogStatus(msgspec.Struct, gc=False, frozen=True):
    complete: bool | None = None
    progress: float | None = None
    state: str | None = None
    timestamp: str | None = None


_NO_STATUS = LogStatus()


class Log(msgspec.Struct, gc=False, frozen=True):
    """One user's record for one activity."""

    firstname: str | None = None
    lastname: str | None = None
    email: str | None = None
    telephone: str | None = None
    country: str | None = None
    city: str | None = None
    groups: tuple[str, ...] | None = None
    status: LogStatus = _NO_STATUS
    fulfilment: msgspec.Raw = EMPTY_ARRAY

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.firstname, self.lastname) if part)

    def fulfilment_info(self) -> Fulfilment | None:
        return Fulfilment.parse(self.fulfilment)


class _ActivityFields(msgspec.Struct, gc=False):
    ID: str | None = None
    name: str | None = None
    type: str | None = None
    fulfilmentType: str | None = None
    required: bool | None = None
    level: int | None = None
    stats: ActivityStats = ActivityStats()


class RawActivity(_ActivityFields, gc=False):
    """An activity as the envelope decodes it: its logs stay raw JSON until asked for."""

    logs: msgspec.Raw = EMPTY_ARRAY

    def decode(self) -> Activity:
        """Decode this activity's logs (one slice of a large body)."""
        return self.with_logs(decode_logs(self.logs))

    def with_logs(self, logs: list[Log]) -> Activity:
        return Activity(
            ID=self.ID,
            name=self.name,
            type=self.type,
            fulfilmentType=self.fulfilmentType,
            required=self.required,
            level=self.level,
            stats=self.stats,
            logs=logs,
        )


class Activity(_ActivityFields, gc=False):
    """An activity with its decoded logs."""

    logs: list[Log] = msgspec.field(default_factory=list)


class RawPathwayData(msgspec.Struct, gc=False):
    pathway: Pathway = Pathway()
    activities: list[RawActivity] | None = None


class PathwayLogsEnvelope(msgspec.Struct, gc=False):
    """The whole answer of ``POST /v1/logs/pathway-logs``, logs still raw."""

    status: str | None = None
    data: list[RawPathwayData] | None = None
    hash: str | None = None
    response_time: float | None = None
    message: str | None = None


class PathwayLogs(msgspec.Struct, gc=False):
    """One pathway, its activities and every log, as the client hands it on."""

    pathway: Pathway
    activities: list[Activity]
    hash: str | None = None
    response_time: float | None = None

    @property
    def log_count(self) -> int:
        return sum(len(activity.logs) for activity in self.activities)


logs_decoder = msgspec.json.Decoder(list[Log])
_envelope_decoder = msgspec.json.Decoder(PathwayLogsEnvelope)
_any_decoder = msgspec.json.Decoder()


def decode_envelope(body: bytes | bytearray) -> PathwayLogsEnvelope:
    """Decode the envelope; each activity's logs stay raw (cheap to skip over)."""
    return _envelope_decoder.decode(body)


def decode_logs(raw: msgspec.Raw | bytes) -> list[Log]:
    return logs_decoder.decode(raw)


class Fulfilment(msgspec.Struct, frozen=True):
    """A log's fulfilment: the common fields, and every other key kept as it came.

    ``payload`` holds the type-specific parts, for example ``{"data": {"category": ...,
    "current": 500, "target": 159}}`` or ``{"checkin": {...}}``, and any key no document
    describes.
    """

    type: str | None
    state: str | None
    progress: float | None
    timestamp: str | None
    payload: dict[str, Any]

    _COMMON = ("type", "state", "progress", "timestamp")

    @classmethod
    def parse(cls, raw: msgspec.Raw | bytes) -> Fulfilment | None:
        """``None`` for ``[]``/``null`` (nothing recorded); never raises on odd shapes."""
        try:
            value = _any_decoder.decode(raw)
        except UNREADABLE:
            return cls(None, None, None, None, {"raw": bytes(raw).decode("utf-8", "replace")})
        return cls.of(value)

    @classmethod
    def parse_all(cls, raws: list[bytes]) -> list[Fulfilment | None]:
        """``parse`` of each, decoded in one pass when they make one JSON array together."""
        try:
            values = _any_decoder.decode(b"[" + b",".join(raws) + b"]")
        except UNREADABLE:
            values = None
        if values is None or len(values) != len(raws):  # some raw is odd: one at a time
            return [cls.parse(raw) for raw in raws]
        return list(map(cls.of, values))

    @classmethod
    def of(cls, value: Any) -> Fulfilment | None:
        """The fulfilment a decoded JSON value describes (see ``parse``)."""
        if not value:
            return None
        if not isinstance(value, dict):
            return cls(None, None, None, None, {"value": value})
        progress = value.get("progress")
        return cls(
            type=_text_or_none(value.get("type")),
            state=_text_or_none(value.get("state")),
            progress=float(progress)
            if isinstance(progress, int | float) and not isinstance(progress, bool)
            else None,
            timestamp=_text_or_none(value.get("timestamp")),
            payload={k: v for k, v in value.items() if k not in cls._COMMON},
        )

    def summary(self) -> str:
        """A one-line description such as ``Current Score 500 / 159`` or ``Score 100``."""
        return payload_summary(self.payload, self.type)


def payload_summary(payload: Mapping[str, Any], kind: str | None, skip: Container[str] = ()) -> str:
    """``Fulfilment.summary`` of a payload; keys in ``skip`` are passed over in the search for
    an undocumented part, so a fulfilment decoded as one dict can be summed up as it is."""
    data = payload.get("data")
    if isinstance(data, dict):
        label = str(data.get("category") or "Value")
        current, target = data.get("current"), data.get("target")
        if target is not None:
            return f"{label} {_num(current)} / {_num(target)}"
        return f"{label} {_num(current)}"
    for key in ("story", "assessment", "survey"):
        item = payload.get(key)
        if isinstance(item, dict):
            score = item.get("score")
            return "Not scored yet" if score is None else f"Score {_num(score)}"
    checkin = payload.get("checkin")
    if isinstance(checkin, dict):
        if checkin.get("virtual"):
            return "Checked in, virtual"
        distance = checkin.get("distance")
        if isinstance(distance, int | float) and distance >= 0:
            return f"Checked in, {_distance(distance)} away"
        return "Checked in"
    for key, item in payload.items():
        if key in skip:
            continue
        if isinstance(item, dict) and item:
            first = ", ".join(f"{k} {_short(v)}" for k, v in list(item.items())[:2])
            return f"{key.capitalize()}: {first}"
        if item not in (None, "", [], {}):
            return f"{key.capitalize()}: {_short(item)}"
    return (kind or "").capitalize()


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None if value is None else str(value)


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "?" if value is None else str(value)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _distance(metres: float) -> str:
    if metres >= 1000:
        return f"{metres / 1000:.1f} km"
    return f"{round(metres)} m"


_COMMON_KEYS = frozenset(Fulfilment._COMMON)


def value_summary(value: Any) -> str:
    """``Fulfilment.of(value).summary()``, or ``""`` for nothing recorded, without building
    the ``Fulfilment`` (a column of them is summed up at once for sorting)."""
    if isinstance(value, dict):
        return (
            payload_summary(value, _text_or_none(value.get("type")), _COMMON_KEYS) if value else ""
        )
    info = Fulfilment.of(value)
    return "" if info is None else info.summary()
