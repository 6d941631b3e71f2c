"""What kind of value each exported column holds, for files that keep types (Excel).

The exports' column names are contracts, so a column's kind is declared once here by name;
an export whose columns mean something else declares its own (``DeclaresKinds``). A column
not named here is ``AUTO``: numbers stay numbers, ``true``/``false`` become booleans, the
rest is text (the fulfilment columns of the logs export, the matrix's activity columns).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from viewer.export.xlsx_file import AUTO, BOOL, DATETIME, NUMBER, PERCENT, SHARE, TEXT

#: Text columns of the exports (the logs', the matrix's, the inbox's, the changes', the
#: views'), written out: importing the exports' own lists would tie the pathway and inbox
#: features together through this module.
_TEXT_COLUMNS = (
    *("pathway_id", "pathway_name", "activity_id", "activity_name", "activity_type"),
    *("fulfilment_type", "firstname", "lastname", "email", "telephone", "country", "city"),
    *("groups", "state", "name", "group", "missing", "before", "after", "change"),
    *("uuid", "type", "subtype", "subtype_id", "title", "description", "reference_uuid"),
    "gid_uuid",
    "meta_data",
)
COLUMN_KINDS: dict[str, str] = {
    **dict.fromkeys(_TEXT_COLUMNS, TEXT),
    # the columns of any export that hold something else than text
    "required": BOOL,
    "complete": BOOL,
    "is_read": BOOL,
    "is_push_sent": BOOL,
    "level": NUMBER,
    "progress": NUMBER,
    "users": NUMBER,
    "completed": NUMBER,
    "in_progress": NUMBER,
    "not_started": NUMBER,
    "required_completed": NUMBER,
    "required_total": NUMBER,
    "percent_completed": PERCENT,
    "required_share": SHARE,
    "timestamp": DATETIME,
    "taken_at": DATETIME,
    "created_at": DATETIME,
    "updated_at": DATETIME,
}


@runtime_checkable
class DeclaresKinds(Protocol):
    """An export that says the kind of each of its columns itself."""

    @property
    def kinds(self) -> Sequence[str]: ...


def kinds_for(header: Sequence[str], overrides: Mapping[str, str] | None = None) -> list[str]:
    """The kind of each column of ``header``: ``overrides``, then ``COLUMN_KINDS``, else AUTO."""
    known = {**COLUMN_KINDS, **(overrides or {})}
    return [known.get(name, AUTO) for name in header]


def kinds_of(rows: object, header: Sequence[str]) -> list[str]:
    """The kinds an export declares, or those its column names say."""
    if isinstance(rows, DeclaresKinds):
        return list(rows.kinds)
    return kinds_for(header)
