"""Client of the activity-log API: ``/v1/activities`` and its neighbours."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import msgspec

from viewer.api.activity_types import (
    Activity,
    ActivityPage,
    ActivityType,
    TypesResponse,
    UnreadCount,
    parse_unread_count,
)
from viewer.api.errors import UNDECODABLE, ApiReportedError, BadResponseError, sentence
from viewer.api.http import BaseClient, CancelToken, api_message, without_bom

T = TypeVar("T")

DEFAULT_PER_PAGE = 50
#: The most activities one walk hands on unless told otherwise: far more than any real
#: identity's log, and a bound on what a server inventing activities forever can cost.
DEFAULT_MAX_ACTIVITIES = 1_000_000
#: Pages in a row that may bring less than one page of new activities before a walk stops.
STALL_PAGES = 3

# Why a walk stopped: the values of ``ActivityPager.stopped``.
#: A short or empty page: the list is complete.
END = "end"
#: The pages cover the total the server reports: the list is complete.
TOTAL = "total"
#: ``max_activities`` were handed on; the server may have more.
LIMIT = "limit"
#: ``STALL_PAGES`` pages in a row brought less than one page of new activities: the server
#: repeats itself (the same page for every number, or one new activity per page).
STALLED = "stalled"
#: The stops after which every activity has been handed on.
COMPLETE = frozenset({END, TOTAL})


class EndlessPagingError(BadResponseError):
    """The server kept sending pages with nothing new; the walk stopped rather than loop."""

    title = "Paging did not end"


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
            raise ApiReportedError(f"The {self.service} server reported an error: {sentence(said)}")

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
        max_activities: int | None = DEFAULT_MAX_ACTIVITIES,
    ) -> ActivityPager:
        return ActivityPager(
            self,
            per_page,
            types=tuple(types),
            subtype=subtype,
            reference_uuid=reference_uuid,
            max_activities=max_activities,
        )

    def walk(
        self,
        per_page: int = 100,
        *,
        types: Iterable[str] = (),
        subtype: str | None = None,
        reference_uuid: str | None = None,
        max_activities: int | None = DEFAULT_MAX_ACTIVITIES,
        cancel: CancelToken | None = None,
    ) -> Iterator[Activity]:
        """Every activity once, newest first, however pages shift while walking.

        Stops quietly after ``max_activities``; raises ``EndlessPagingError`` when pages stop
        bringing anything new. Use ``pager().walk()`` to learn why a walk stopped.
        """
        pager = self.pager(
            per_page,
            types=types,
            subtype=subtype,
            reference_uuid=reference_uuid,
            max_activities=max_activities,
        )
        yield from pager.walk(cancel=cancel)

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
    """Walks offset pages while new activities push older ones down, and knows when to stop.

    New activities arrive at the top, so an activity already seen can reappear on the next
    page; it is skipped by UUID. Nothing is skipped over, because activities only ever move
    to later offsets. The page size is the one the server reports, not the one asked for.

    A walk ends at a short or empty page, once the pages cover the server's own total, after
    ``max_activities``, or when ``STALL_PAGES`` pages in a row bring less than one page of
    new activities. The last stops a server that repeats a page with a total that grows or
    is huge; no honest log gains a page of activities in the time of three requests. Once
    the walk has ended, ``exhausted`` is true and ``stopped`` says why (``END``, ``TOTAL``,
    ``LIMIT`` or ``STALLED``; None while it goes on), ``stop_message()`` in a sentence.
    Memory stays bounded by the limit: each activity seen costs a 16-byte digest of its UUID.
    """

    def __init__(
        self,
        client: ActivityClient,
        per_page: int,
        *,
        types: tuple[str, ...] = (),
        subtype: str | None = None,
        reference_uuid: str | None = None,
        max_activities: int | None = DEFAULT_MAX_ACTIVITIES,
    ) -> None:
        self._client = client
        self.per_page = per_page
        self.types = types
        self.subtype = subtype
        self.reference_uuid = reference_uuid
        self.max_activities = max_activities
        self.next_page_number = 1
        self.total: int | None = None
        self.exhausted = False
        #: Why the walk ended (one of the stop constants), or None while it goes on.
        self.stopped: str | None = None
        #: Pages asked for so far.
        self.requests = 0
        self._seen: set[bytes] = set()
        self._fresh: deque[int] = deque(maxlen=STALL_PAGES)

    @property
    def seen_count(self) -> int:
        return len(self._seen)

    def next_page(self, *, cancel: CancelToken | None = None) -> list[Activity]:
        """The activities of the next page not already returned (possibly none)."""
        if self.exhausted:
            return []
        number = self.next_page_number
        self.requests += 1
        result = self._client.page(
            number,
            self.per_page,
            types=self.types,
            subtype=self.subtype,
            reference_uuid=self.reference_uuid,
            cancel=cancel,
        )
        items = result.data or []
        reported = result.meta.per_page
        served = reported if reported is not None and reported > 0 else len(items) or 1
        if result.meta.total is not None:
            self.total = result.meta.total
        room = None if self.max_activities is None else self.max_activities - len(self._seen)
        fresh: list[Activity] = []
        cut = False
        for item in items:
            key = _digest(item.uuid)
            if key in self._seen:
                continue
            if room is not None and len(fresh) >= room:
                cut = True
                break
            self._seen.add(key)
            fresh.append(item)
        self.next_page_number = number + 1
        self._fresh.append(len(fresh))
        self._stop_if_done(number, items, served, cut)
        return fresh

    def _stop_if_done(self, number: int, items: list[Activity], served: int, cut: bool) -> None:
        stalled = len(self._fresh) == STALL_PAGES and sum(self._fresh) < len(items)
        if not items or (len(items) < served and not stalled and not cut):
            self.stopped = END
        elif stalled:
            self.stopped = STALLED
        elif cut or (self.max_activities is not None and self.seen_count >= self.max_activities):
            self.stopped = LIMIT
        elif self.total is not None and number * served >= self.total:
            self.stopped = TOTAL
        self.exhausted = self.stopped is not None

    def walk(self, *, cancel: CancelToken | None = None) -> Iterator[Activity]:
        """The remaining activities, page by page, until the walk ends.

        Raises ``EndlessPagingError`` when it ends ``STALLED``: what came before may be
        incomplete or wrong, so it must not pass for the whole log.
        """
        while not self.exhausted:
            yield from self.next_page(cancel=cancel)
        if self.stopped == STALLED:
            raise EndlessPagingError(self.stop_message())

    def stop_message(self) -> str:
        """Why the walk ended, in a sentence (empty while it goes on)."""
        count = self.seen_count
        if self.stopped == END:
            return f"The list ended after {count:,} {_activities(count)}."
        if self.stopped == TOTAL:
            return f"The pages cover the {self.total:,} activities the server reports."
        if self.stopped == LIMIT:
            return f"Stopped after {count:,} {_activities(count)}, the most a walk may fetch."
        if self.stopped == STALLED:
            parts = urlsplit(self._client.base_url)
            where = parts.hostname or parts.netloc
            if parts.port:
                where = f"{where}:{parts.port}"
            return (
                f"The {self._client.service} server at {where} kept sending pages with "
                f"nothing new: {STALL_PAGES} pages in a row (up to page "
                f"{self.next_page_number - 1:,}) brought less than one page of new "
                f"activities after {count:,} {_activities(count)}, so paging stopped instead "
                "of going on forever. "
                "The server may be looping; try again later or tell its administrator."
            )
        return ""


def _activities(count: int) -> str:
    return "activity" if count == 1 else "activities"


def _digest(uuid: str) -> bytes:
    """A fixed-size stand-in for a UUID, however long the server made it."""
    return hashlib.blake2b(uuid.encode("utf-8", "surrogatepass"), digest_size=16).digest()
