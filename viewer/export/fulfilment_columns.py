"""Fulfilment payloads as export columns: ``fulfilment.data.current`` and the like.

Each payload is free-form JSON, flattened through nested objects into one column per leaf
(lists as JSON text; the fields shown in the fixed columns left out). One payload at a time
that is ``flatten_value``. The logs of one activity nearly always share one shape, though,
so a batch of them is read as columns: the first payload's shape becomes a msgspec struct
type with unknown fields forbidden, the batch is decoded into it in one call, and each
column is read with a C-level getter. Whatever that shape does not describe (another key, a
list, ``null`` where an object was, two keys that flatten to one name) sends the batch the
one-at-a-time way, which gives the same cells.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import msgspec

from viewer.api.pathway_types import Fulfilment
from viewer.export.cells import flag_column, neutralized, number
from viewer.export.csv_file import SUSPECT_STARTS, is_formula, neutralize

FULFILMENT_PREFIX = "fulfilment."
_COMMON = frozenset(Fulfilment._COMMON)  # shown in the fixed columns, from the log's status
_decode_any = msgspec.json.Decoder().decode
_encode = msgspec.json.encode
_EMPTY = b"[]"
_NULL = b"null"
_NOTHING = b"{}"
#: Payloads that record nothing: no columns, all cells empty.
_NOTHINGS = (None, _EMPTY, _NULL)

#: A fulfilment flattened: column name -> cell.
Flat = dict[str, Any]
#: What a leaf of a known shape may hold; anything else does not fit the shape.
_Leaf = str | int | float | bool | None


# -- one payload at a time --------------------------------------------------------------------


def _put(flat: Flat, name: str, value: Any) -> None:
    kind = type(value)
    if kind is dict:
        for key, inner in value.items():
            _put(flat, f"{name}.{key}", inner)
    elif kind is str:
        flat[name] = (
            "'" + value if value and value[0] in SUSPECT_STARTS and is_formula(value) else value
        )
    elif value is None:
        flat[name] = ""
    elif value is True or value is False:
        flat[name] = "true" if value else "false"
    elif kind is list:
        flat[name] = _encode(value).decode()
    else:
        flat[name] = number(value)


def flatten_value(value: Any) -> Flat:
    """A decoded fulfilment as columns; ``{}`` when nothing is recorded (``[]``, ``null``)."""
    flat: Flat = {}
    if not value:
        return flat
    if type(value) is dict:
        for key, inner in value.items():
            if key not in _COMMON:
                _put(flat, FULFILMENT_PREFIX + key, inner)
    else:  # an odd shape, kept as Fulfilment.parse keeps it
        _put(flat, FULFILMENT_PREFIX + "value", value)
    return flat


def flatten_fulfilment(raw: bytes | msgspec.Raw | None) -> Flat:
    """One log's raw fulfilment JSON as columns; undecodable text goes to ``fulfilment.raw``."""
    if raw is None:
        return {}
    try:
        value = _decode_any(raw)
    except msgspec.DecodeError:
        return {FULFILMENT_PREFIX + "raw": neutralize(bytes(raw).decode("utf-8", "replace"))}
    return flatten_value(value)


def flatten_all(raws: Sequence[bytes | None]) -> list[Flat]:
    """Many fulfilments at once: one decode call for the lot, when they are all valid."""
    present = [raw for raw in raws if raw is not None and raw != _EMPTY]
    if not present:
        return [{} for _ in raws]
    try:
        values = iter(_decode_any(b"[" + b",".join(present) + b"]"))
    except msgspec.DecodeError:
        return [flatten_fulfilment(raw) for raw in raws]
    return [{} if raw is None or raw == _EMPTY else flatten_value(next(values)) for raw in raws]


# -- a batch as columns -----------------------------------------------------------------------


@dataclass
class Table:
    """A batch's fulfilment columns: ``names`` sorted, one list of cells per name."""

    names: list[str]
    columns: list[list[Any]]


@dataclass(frozen=True)
class _Shape:
    decoder: msgspec.json.Decoder[list[Any]]
    names: list[str]  # sorted
    getters: list[attrgetter[Any]]


_names = (f"S{n}" for n in itertools.count())
#: Shapes met so far, by signature; a server sending ever new shapes meets the limit.
_shapes: dict[tuple[Any, ...], _Shape | None] = {}
_KEPT_SHAPES = 256


def _leaves(value: dict[str, Any], top: bool) -> tuple[type, list[tuple[str, str]]] | None:
    """A struct type for objects shaped like ``value`` and its leaves (name, attribute path)."""
    fields: list[tuple[str, Any, Any]] = []
    rename: dict[str, str] = {}
    leaves: list[tuple[str, str]] = []
    for number_, (key, inner) in enumerate(value.items()):
        field = f"f{number_}"
        rename[field] = key
        kind = type(inner)
        if top and key in _COMMON:
            fields.append((field, msgspec.Raw, msgspec.Raw(_NULL)))
        elif kind is dict:
            found = _leaves(inner, False)
            if found is None:
                return None
            struct, inner_leaves = found
            fields.append((field, struct, struct()))
            leaves += [(f"{key}.{name}", f"{field}.{path}") for name, path in inner_leaves]
        elif kind in (str, int, float, bool) or inner is None:
            fields.append((field, _Leaf, None))
            leaves.append((key, field))
        else:
            return None  # lists: their text is made by encoding them again, one at a time
    struct = msgspec.defstruct(
        next(_names), fields, rename=rename, forbid_unknown_fields=True, frozen=True, gc=False
    )
    return struct, leaves


def _signature(value: dict[str, Any], top: bool) -> tuple[Any, ...]:
    """What makes two payloads one shape: their keys, and which of them hold objects."""
    return tuple(
        (key, None)
        if top and key in _COMMON
        else (key, _signature(inner, False) if type(inner) is dict else type(inner) is list)
        for key, inner in value.items()
    )


def _shape_of(sample: Any) -> _Shape | None:
    if type(sample) is not dict:
        return None
    signature = _signature(sample, True)
    if signature in _shapes:
        return _shapes[signature]
    found = _leaves(sample, True)
    shape = None
    if found is not None:
        struct, leaves = found
        names = [FULFILMENT_PREFIX + name for name, _ in leaves]
        if len(set(names)) == len(names):  # "a.b" and {"a": {"b"}} would share a column
            order = sorted(range(len(names)), key=names.__getitem__)
            shape = _Shape(
                msgspec.json.Decoder(list[struct]),  # type: ignore[valid-type]
                [names[i] for i in order],
                [attrgetter(leaves[i][1]) for i in order],
            )
    if len(_shapes) < _KEPT_SHAPES:
        _shapes[signature] = shape
    return shape


def column_names(raws: Sequence[bytes | None]) -> list[str]:
    """The fulfilment columns of a batch of logs, without their cells."""
    return table(raws, cells=False).names


def table(raws: Sequence[bytes | None], *, cells: bool = True) -> Table:
    """The fulfilment columns of a batch of logs (``None`` or ``[]``: nothing recorded)."""
    present = [raw for raw in raws if raw not in _NOTHINGS]
    if not present:
        return Table([], [])
    try:
        shape = _shape_of(_decode_any(present[0]))
    except msgspec.DecodeError:
        shape = None
    if shape is not None:
        payloads = [_NOTHING if raw in _NOTHINGS else raw for raw in raws]
        try:
            decoded = shape.decoder.decode(b"[" + b",".join(payloads) + b"]")
        except msgspec.DecodeError:
            pass  # another shape somewhere (or bad JSON): one at a time
        else:
            if not cells:
                return Table(shape.names, [])
            columns = [_cells(list(map(getter, decoded))) for getter in shape.getters]
            return Table(shape.names, columns)
    return _table_of(flatten_all(raws), cells)


def _table_of(flats: list[Flat], cells: bool) -> Table:
    names: set[str] = set()
    for flat in flats:
        if flat:
            names.update(flat)
    ordered = sorted(names)
    if not cells:
        return Table(ordered, [])
    return Table(ordered, [[flat.get(name, "") for flat in flats] for name in ordered])


def _cells(values: list[Any]) -> list[Any]:
    """Leaf values of one column as the cells ``_put`` makes of them."""
    kinds = set(map(type, values))
    if kinds <= {int}:
        return values
    if kinds <= {str}:
        return neutralized(values)
    if kinds <= {str, type(None)}:
        return neutralized([value or "" for value in values])
    if kinds <= {bool, type(None)}:
        return flag_column(values)
    if kinds <= {int, type(None)}:
        return ["" if value is None else value for value in values]
    flat: Flat = {}
    cells = []
    for value in values:
        _put(flat, "", value)
        cells.append(flat[""])
    return cells
