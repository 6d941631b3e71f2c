"""The rows of an inbox export: one row per activity of the activity log.

Activities carry their subtype as an id; the export writes the subtype's name, as the
window shows it, and the id beside it, both found in the server's list of types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import msgspec

from viewer.api.activity import DEFAULT_MAX_ACTIVITIES, ActivityClient, ActivityPager
from viewer.api.activity_types import Activity, ActivityType
from viewer.api.errors import ApiError, AuthError, Cancelled
from viewer.export.csv_file import cell, write_csv
from viewer.jobs import CancelToken

INBOX_COLUMNS = (
    "uuid",
    "created_at",
    "updated_at",
    "type",
    "subtype",
    "subtype_id",
    "title",
    "description",
    "is_read",
    "is_push_sent",
    "reference_uuid",
    "gid_uuid",
    "meta_data",
)
#: Activities asked for per page; the server may serve fewer.
WALK_PER_PAGE = 100


def meta_text(value: Any) -> str:
    """``meta_data`` as text: a string as sent, anything else as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return msgspec.json.encode(value).decode()


#: A subtype as activities name it (its id, or its name) → ``(name, id)``.
SubtypeIndex = Mapping[str, tuple[str, str]]


def subtype_index(types: Iterable[ActivityType]) -> dict[str, tuple[str, str]]:
    """Every subtype of ``types`` by its id and by its name, as ``(name, id)``."""
    index: dict[str, tuple[str, str]] = {}
    for activity_type in types:
        for sub in activity_type.subtypes or []:
            entry = (sub.name or sub.id or "", sub.id or "")
            for key in (sub.name, sub.id):
                if key:
                    index.setdefault(key, entry)
    return index


def server_subtypes(client: ActivityClient, cancel: CancelToken | None = None) -> SubtypeIndex:
    """The server's subtypes; none when it cannot list them (each row keeps what it carries).

    A refused token is not passed over: the pages would be refused too.
    """
    try:
        return subtype_index(client.types(cancel=cancel))
    except (AuthError, Cancelled):
        raise
    except ApiError:
        return {}


def subtype_cells(value: str | None, subtypes: SubtypeIndex) -> tuple[str, str]:
    """``(name, id)`` of an activity's subtype; one the types do not list is kept as its
    name, with no id."""
    if not value:
        return "", ""
    return subtypes.get(value, (value, ""))


def inbox_row(activity: Activity, subtypes: SubtypeIndex | None = None) -> list[Any]:
    name, subtype_id = subtype_cells(activity.subtype, subtypes or {})
    return [
        cell(activity.uuid),
        cell(activity.created_at),
        cell(activity.updated_at),
        cell(activity.type),
        cell(name),
        cell(subtype_id),
        cell(activity.title),
        cell(activity.description),
        cell(activity.is_read),
        cell(activity.is_push_sent),
        cell(activity.reference_uuid),
        cell(activity.gid_uuid),
        cell(meta_text(activity.meta_data)),
    ]


def inbox_rows(
    activities: Iterable[Activity], subtypes: SubtypeIndex | None = None
) -> Iterator[list[Any]]:
    index = subtypes or {}
    return (inbox_row(activity, index) for activity in activities)


def export_inbox(
    client: ActivityClient,
    destination: str,
    *,
    types: Iterable[str] = (),
    subtype: str | None = None,
    reference_uuid: str | None = None,
    unread_only: bool = False,
    max_activities: int | None = DEFAULT_MAX_ACTIVITIES,
    cancel: CancelToken | None = None,
    progress: Callable[[int], None] | None = None,
    stdout: Any = None,
    walked: Callable[[ActivityPager], None] | None = None,
) -> int:
    """Walk every activity matching the filters and write them; returns the number of rows.

    Pages are fetched as the rows are written, so a failure half-way leaves no file, and a
    server that keeps sending nothing new fails the export (``EndlessPagingError``). At most
    ``max_activities`` are fetched (before ``unread_only`` leaves some out), which bounds the
    file and the memory whatever the server sends. ``walked`` is given the finished pager,
    whose ``stopped`` says whether the log was complete.
    """
    subtypes = server_subtypes(client, cancel)
    pager = client.pager(
        WALK_PER_PAGE,
        types=types,
        subtype=subtype,
        reference_uuid=reference_uuid,
        max_activities=max_activities,
    )
    activities: Iterable[Activity] = pager.walk(cancel=cancel)
    if unread_only:
        activities = (a for a in activities if not a.is_read)
    count = write_csv(
        destination,
        INBOX_COLUMNS,
        inbox_rows(activities, subtypes),
        prepared=True,
        cancel=cancel,
        progress=progress,
        stdout=stdout,
    )
    if walked is not None:
        walked(pager)
    return count
