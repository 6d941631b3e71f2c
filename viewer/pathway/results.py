"""What the Result column shows for a whole activity at once, for sorting by it (Qt-free).

Sorting by Result needs the summary of every log of an activity; one ``Fulfilment`` each
costs several microseconds, a tenth of a second for 20,000 logs. The documented payloads
(data, story / assessment / survey, check-in) are decoded into small hashable structs
instead, so each different value is summed up once, however many logs share it; any other
payload is decoded as plain JSON in one pass and summed up from that.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress

import msgspec

from viewer.api.errors import UNDECODABLE
from viewer.api.pathway_types import Fulfilment, payload_summary, value_summary

# Only types whose equal values give equal texts (no bool, equal to 1; no int category,
# whose text differs from an equal float's): anything else takes the plain way.
_Number = int | float | str | None


class _Data(msgspec.Struct, frozen=True, gc=False):
    category: str | None = None
    current: _Number = None
    target: _Number = None


class _Scored(msgspec.Struct, frozen=True, gc=False):
    score: _Number = None


class _Checkin(msgspec.Struct, frozen=True, gc=False):
    virtual: bool | None = None
    distance: int | float | None = None


class _Known(msgspec.Struct, frozen=True, gc=False):
    """The parts of a fulfilment a documented summary reads; other keys are skipped."""

    data: _Data | None = None
    story: _Scored | None = None
    assessment: _Scored | None = None
    survey: _Scored | None = None
    checkin: _Checkin | None = None


_known_decoder = msgspec.json.Decoder(list[_Known])
_any_decoder = msgspec.json.Decoder()


def _known_text(shape: _Known) -> str | None:
    """The summary of a documented payload; None when the payload is of another kind."""
    payload = {
        key: msgspec.structs.asdict(part)
        for key, part in (
            ("data", shape.data),
            ("story", shape.story),
            ("assessment", shape.assessment),
            ("survey", shape.survey),
            ("checkin", shape.checkin),
        )
        if part is not None
    }
    return payload_summary(payload, None) if payload else None


def result_summaries(raws: Sequence[bytes | None]) -> list[str]:
    """The summary of each raw fulfilment (``""`` for none), as ``Fulfilment.summary``."""
    present = [raw is not None for raw in raws]
    given = [raw for raw in raws if raw is not None]
    texts = [""] * len(raws)
    found = _summaries(given)
    rows = compress(range(len(raws)), present)
    for row, text in zip(rows, found, strict=True):
        texts[row] = text
    return texts


def _summaries(raws: list[bytes]) -> list[str]:
    joined = b"[" + b",".join(raws) + b"]"
    try:
        shapes = _known_decoder.decode(joined)
        text_of = {shape: _known_text(shape) for shape in set(shapes)}
    except (*UNDECODABLE, TypeError):  # not an object, or a part of another shape
        return _plain(joined, raws)
    if len(shapes) != len(raws):  # some raw held more than one value
        return _plain(joined, raws)
    texts = list(map(text_of.__getitem__, shapes))
    if None not in text_of.values():
        return texts  # type: ignore[return-value]  # no None left, checked just above
    others = [i for i, text in enumerate(texts) if text is None]
    if len(others) == len(raws):  # no documented payload at all
        return _plain(joined, raws)
    for i, text in zip(others, _plain(None, [raws[i] for i in others]), strict=True):
        texts[i] = text
    return texts  # type: ignore[return-value]  # every None replaced


def _plain(joined: bytes | None, raws: list[bytes]) -> list[str]:
    """Summaries from plain JSON values: one decode for all, or one a raw when some is odd."""
    if joined is None:
        joined = b"[" + b",".join(raws) + b"]"
    try:
        values = _any_decoder.decode(joined)
    except UNDECODABLE:
        values = None
    if not isinstance(values, list) or len(values) != len(raws):
        infos = [Fulfilment.parse(raw) for raw in raws]
        return ["" if info is None else info.summary() for info in infos]
    return list(map(value_summary, values))
