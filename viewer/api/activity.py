"""Client of the activity-log API: ``/v1/activities`` and its neighbours."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar
from urllib.parse import quote

import msgspec

from viewer.api.activity_types import (
    Activity,
    ActivityPage,
    ActivityType,
    TypesResponse,
    UnreadCount,
    parse_unread_count,
)
from viewer.api.errors import UNDECODABLE, ApiReportedError, BadResponseError
from viewer.api.http import BaseClient, CancelToken, api_message, without_bom

T = TypeVar("T")

DEFAULT_PER_PAGE = 50


class _Reported(msgspec.Struct):
    status: Any = None


def _check_path_segment(uuid: str) -> None:
    """Refuse a UUID that could make ``/v1/activities/<uuid>/read`` another address.

    ``.`` and ``..`` are dot segments, which clients and servers remove (``.`` would mark
    everything read); slashes, even encoded, and ``?``, ``#``, ``%`` or controls are decoded or
    split differently by different servers.
    """
    if uuid in ("", ".", "..") or any(c in "/\\?#%" or not c.isprintable() for c in uuid):
        raise BadResponseError(
            f"The activity {uuid[:60]!r} cannot be marked: the server gave it an identifier "
            "that is not usable in an address, so nothing was sent.",
        )


class ActivityClient(BaseClient):
    """One identity's activity log. The token is an OAuth2 access token (``Bearer``)."""

    service = "activity log"

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def _decode(self, body: bytes, type_: type[T], what: str) -> T:
        body = without_bom(body)  # type: ignore[assignment]
        if not body.strip():
            raise self.bad_response(f"an empty answer to {what}", body)
        try:
            return msgspec.json.decode(body, type=type_)
        except msgspec.ValidationError as exc:
            raise self.bad_response(f"an unexpected answer to {what} ({exc})", body) from None
        except (msgspec.DecodeError, UnicodeDecodeError):
            raise self.bad_response(f"an answer to {what} that is not JSON", body) from None
        except RecursionError:
            raise self.bad_response(f"an answer to {what} nested too deeply", body) from None

    def _raise_if_reported(self, body: bytes) -> None:
        """An error the API reports in a 200 answer: ``{"status": "error", "message": ...}``."""
        try:
            reported = msgspec.json.decode(without_bom(body), type=_Reported)
        except UNDECODABLE:
            return
        if reported.status == "error":
            said = api_message(body) or "no reason given"
            raise ApiReportedError(f"The {self.service} server reported an error: {said}")

    def types(self, *, cancel: CancelToken | None = None) -> list[ActivityType]:
        response = self.request("GET", "/v1/activities/types", cancel=cancel)
        result = self._decode(response.content, TypesResponse, "the list of types")
        if result.data is None:
            self._raise_if_reported(response.content)
        return result.data or []

    def page(
        self,
        page: int = 1,
        per_page: int = DEFAULT_PER_PAGE,
        *,
        types: Iterable[str] = (),
        subtype: str | None = None,
        reference_uuid: str | None = None,
        cancel: CancelToken | None = None,
    ) -> ActivityPage:
        """One page, newest first. Trust ``meta.per_page`` of the answer over what was asked."""
        params: list[tuple[str, str]] = [("page", str(page)), ("per_page", str(per_page))]
        # Several types are sent as repeated keys (type=a&type=b), which common server
        # frameworks read as an array and which reads as a plain value when there is one.
        params += [("type", t) for t in types if t]
        if subtype:
            params.append(("subtype", subtype))
        if reference_uuid:
            params.append(("reference_uuid", reference_uuid))
        response = self.request("GET", "/v1/activities", params=params, cancel=cancel)
        result = self._decode(response.content, ActivityPage, "a page of activities")
        if result.data is None:
            self._raise_if_reported(response.content)
            raise self.bad_response("a page without a “data” list", response.content)
        return result

    def pager(
        self,
        per_page: int = DEFAULT_PER_PAGE,
        *,
        types: Iterable[str] = (),
        subtype: str | None = None,
        reference_uuid: str | None = None,
    ) -> ActivityPager:
        return ActivityPager(
            self, per_page, types=tuple(types), subtype=subtype, reference_uuid=reference_uuid
        )

    def walk(
        self,
        per_page: int = 100,
        *,
        types: Iterable[str] = (),
        subtype: str | None = None,
        reference_uuid: str | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[Activity]:
        """Every activity once, newest first, however pages shift while walking."""
        pager = self.pager(per_page, types=types, subtype=subtype, reference_uuid=reference_uuid)
        while not pager.exhausted:
            yield from pager.next_page(cancel=cancel)

    def mark_read(self, uuid: str, read: bool = True, *, cancel: CancelToken | None = None) -> None:
        _check_path_segment(uuid)
        self.request(
            "POST",
            f"/v1/activities/{quote(uuid, safe='')}/read",
            json={"read": bool(read)},
            cancel=cancel,
        )

    def mark_all_read(
        self,
        is_read: bool = True,
        type: str | None = None,
        subtype: str | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> None:
        body: dict[str, Any] = {"isRead": bool(is_read)}
        if type:
            body["type"] = type
        if subtype:
            body["subtype"] = subtype
        self.request("POST", "/v1/activities/read", json=body, cancel=cancel)

    def unread_count(self, *, cancel: CancelToken | None = None) -> UnreadCount:
        response = self.request("GET", "/v1/activities/unread-count", cancel=cancel)
        value = self._decode(response.content, Any, "the unread count")
        counts = parse_unread_count(value)
        if counts is None:
            self._raise_if_reported(response.content)
            raise self.bad_response("an unread count in an unknown shape", response.content)
        return counts


class ActivityPager:
    """Walks offset pages while new activities push older ones down.

    New activities arrive at the top, so an activity already seen can reappear on the next
    page; it is skipped by UUID. Nothing is skipped over, because activities only ever move
    to later offsets. The page size is the one the server reports, not the one asked for.
    """

    #: Pages past the server's own count before the pager decides the server is looping.
    _SLACK_PAGES = 20

    def __init__(
        self,
        client: ActivityClient,
        per_page: int,
        *,
        types: tuple[str, ...] = (),
        subtype: str | None = None,
        reference_uuid: str | None = None,
    ) -> None:
        self._client = client
        self.per_page = per_page
        self.types = types
        self.subtype = subtype
        self.reference_uuid = reference_uuid
        self.next_page_number = 1
        self.total: int | None = None
        self.exhausted = False
        self._seen: set[str] = set()

    @property
    def seen_count(self) -> int:
        return len(self._seen)

    def next_page(self, *, cancel: CancelToken | None = None) -> list[Activity]:
        """The activities of the next page not already returned (possibly none)."""
        if self.exhausted:
            return []
        number = self.next_page_number
        result = self._client.page(
            number,
            self.per_page,
            types=self.types,
            subtype=self.subtype,
            reference_uuid=self.reference_uuid,
            cancel=cancel,
        )
        items = result.data or []
        served_per_page = result.meta.per_page or len(items) or self.per_page
        if result.meta.total is not None:
            self.total = result.meta.total
        fresh = []
        for item in items:
            if item.uuid not in self._seen:
                self._seen.add(item.uuid)
                fresh.append(item)
        self.next_page_number = number + 1
        if (
            not items
            or len(items) < served_per_page
            or (self.total is not None and number * served_per_page >= self.total)
        ):
            self.exhausted = True
        if self.total is not None and not self.exhausted:
            limit = -(-self.total // max(served_per_page, 1)) + self._SLACK_PAGES
            if number > limit:
                raise BadResponseError(
                    f"The activity log server kept sending pages past the {self.total} "
                    "activities it reported. Try again later.",
                )
        return fresh
