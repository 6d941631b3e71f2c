"""Hypothesis strategies for both APIs' answers, valid and hostile."""

from __future__ import annotations

import json
import os

from hypothesis import strategies as st

from tests.fuzz.conftest import settings

PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))


def fuzz(examples: int | None = None):
    """The suite's fuzz settings, optionally with fewer examples for costly tests."""
    if examples is None or os.environ.get("HYPOTHESIS_PROFILE") == "fuzz-long":
        return settings(PROFILE)
    return settings(PROFILE, max_examples=min(examples, PROFILE.max_examples))


#: Text that trips parsers and renderers: quotes, brackets, the key the slicer looks for,
#: markup, control characters, right-to-left marks, astral characters, lone surrogates
#: cannot be encoded so they are left out.
_TRICKY = st.sampled_from(
    [
        '"logs": [',
        '"logs"',
        "]",
        "[",
        "\\",
        '"',
        "<b>x</b>",
        "<img src=x onerror=alert(1)>",
        "\u202e",
        "\u0000",
        "\n",
        "😀",
        "²",
        "=cmd|' /C calc'!A0",
    ]
)
text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    _TRICKY,
    st.lists(_TRICKY, max_size=4).map("".join),
)
maybe_text = st.none() | text

json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | text
    | st.floats(allow_nan=False, allow_infinity=False)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)

fulfilment = st.one_of(
    st.just([]),
    st.none(),
    st.fixed_dictionaries(
        {"type": maybe_text, "state": maybe_text},
        optional={
            "progress": st.none()
            | st.integers(-5, 2**70)
            | st.floats(allow_nan=False, allow_infinity=False),
            "timestamp": maybe_text,
            "data": st.fixed_dictionaries(
                {},
                optional={
                    "category": json_value,
                    "current": json_value,
                    "target": json_value,
                },
            ),
            "checkin": st.dictionaries(
                st.sampled_from(["virtual", "distance", "place"]), json_value, max_size=3
            ),
            "story": st.dictionaries(st.sampled_from(["score", "text"]), json_value, max_size=2),
            "logs": st.lists(json_value, max_size=2),  # the key the slicer looks for
            "extra": json_value,
        },
    ),
    json_value,
)

status = st.fixed_dictionaries(
    {},
    optional={
        "complete": st.none() | st.booleans(),
        "progress": st.none() | st.integers(0, 100) | st.floats(0, 100),
        "state": st.none() | st.sampled_from(["not started", "in progress", "completed"]) | text,
        "timestamp": st.none() | st.sampled_from(["2024-05-01T10:00:00Z", "yesterday"]) | text,
    },
)

_log_fields = st.fixed_dictionaries(
    {},
    optional={
        "firstname": maybe_text,
        "lastname": maybe_text,
        "email": st.none() | text | st.emails(),
        "telephone": maybe_text,
        "country": maybe_text,
        "city": maybe_text,
        "groups": st.none() | st.lists(text, max_size=3),
        "status": status,
        "fulfilment": fulfilment,
    },
)
_LOG_KEYS = {
    "firstname",
    "lastname",
    "email",
    "telephone",
    "country",
    "city",
    "groups",
    "status",
    "fulfilment",
}
#: A log with keys nobody documented as well (they are ignored).
log = st.tuples(
    _log_fields,
    st.dictionaries(text.filter(lambda k: k not in _LOG_KEYS), json_value, max_size=2),
).map(lambda pair: {**pair[1], **pair[0]})

activity = st.fixed_dictionaries(
    {"logs": st.lists(log, max_size=5)},
    optional={
        "ID": maybe_text,
        "name": maybe_text,
        "type": maybe_text,
        "fulfilmentType": maybe_text,
        "required": st.none() | st.booleans(),
        "level": st.none() | st.integers(-3, 2**40),
        "stats": st.fixed_dictionaries(
            {}, optional={"total": st.none() | st.integers(0, 99), "completed": st.none()}
        ),
        "tags": st.lists(text, max_size=3),
    },
)

pathway_answer = st.fixed_dictionaries(
    {
        "status": st.just("success"),
        "data": st.lists(
            st.fixed_dictionaries(
                {
                    "pathway": st.fixed_dictionaries(
                        {}, optional={"ID": maybe_text, "name": maybe_text, "type": maybe_text}
                    ),
                    "activities": st.lists(activity, max_size=5),
                }
            ),
            min_size=1,
            max_size=2,
        ),
    },
    optional={"hash": maybe_text, "response_time": st.none() | st.floats(0, 10)},
)


@st.composite
def encoded(draw, value_strategy) -> bytes:
    """JSON text of a value, laid out in one of several ways (keys shuffled too)."""
    value = draw(value_strategy)
    if draw(st.booleans()):
        value = _shuffled(value, draw(st.randoms(use_true_random=False)))
    layout = draw(st.sampled_from(["compact", "spaced", "indented", "ascii"]))
    if layout == "compact":
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    if layout == "spaced":
        return json.dumps(value, ensure_ascii=False).encode()
    if layout == "indented":
        return json.dumps(value, indent=draw(st.integers(0, 3)), ensure_ascii=False).encode()
    return json.dumps(value).encode()


def _shuffled(value, rnd):
    if isinstance(value, dict):
        items = list(value.items())
        rnd.shuffle(items)
        return {k: _shuffled(v, rnd) for k, v in items}
    if isinstance(value, list):
        return [_shuffled(v, rnd) for v in value]
    return value


@st.composite
def garbled(draw, body_strategy) -> bytes:
    """A body cut short, with bytes flipped, or with bytes inserted."""
    body = draw(body_strategy)
    how = draw(st.sampled_from(["cut", "flip", "insert", "nest"]))
    if how == "cut" and body:
        return body[: draw(st.integers(0, len(body) - 1))]
    if how == "flip" and body:
        at = draw(st.integers(0, len(body) - 1))
        return body[:at] + bytes([draw(st.integers(0, 255))]) + body[at + 1 :]
    if how == "nest":
        depth = draw(st.integers(100, 3000))
        at = draw(st.integers(0, len(body)))
        return body[:at] + b"[" * depth + body[at:]
    at = draw(st.integers(0, len(body)))
    return body[:at] + draw(st.binary(max_size=8)) + body[at:]
