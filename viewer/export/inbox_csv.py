"""The rows of an inbox export: one row per activity of the activity log."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import msgspec

from viewer.api.activity import DEFAULT_MAX_ACTIVITIES, ActivityClient, ActivityPager
from viewer.api.activity_types import Activity
from viewer.export.csv_file import cell, write_csv
from viewer.jobs import CancelToken

INBOX_COLUMNS = (
    "uuid",
    "created_at",
    "updated_at",
    "type",
    "subtype",
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


def inbox_row(activity: Activity) -> list[Any]:
    return [
        cell(activity.uuid),
        cell(activity.created_at),
        cell(activity.updated_at),
        cell(activity.type),
        cell(activity.subtype),
        cell(activity.title),
        cell(activity.description),
        cell(activity.is_read),
        cell(activity.is_push_sent),
        cell(activity.reference_uuid),
        cell(activity.gid_uuid),
        cell(meta_text(activity.meta_data)),
    ]


def inbox_rows(activities: Iterable[Activity]) -> Iterator[list[Any]]:
    return map(inbox_row, activities)


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
        inbox_rows(activities),
        prepared=True,
        cancel=cancel,
        progress=progress,
        stdout=stdout,
    )
    if walked is not None:
        walked(pager)
    return count
