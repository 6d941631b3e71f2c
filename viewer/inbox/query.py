"""What the inbox asks the server for: its filters, and how pages of them are walked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from viewer.api.activity import ActivityClient, ActivityPager

ClientFactory = Callable[[], ActivityClient]

#: The page size asked for; the server may serve fewer (the pager trusts its answer).
PER_PAGE = 100


@dataclass(frozen=True)
class InboxQuery:
    """The server-side filters of the list. ``subtype`` is the key the list filter takes."""

    type: str | None = None
    subtype: str | None = None
    reference_uuid: str | None = None

    def pager(self, client: ActivityClient, per_page: int) -> ActivityPager:
        return client.pager(
            per_page,
            types=(self.type,) if self.type else (),
            subtype=self.subtype or None,
            reference_uuid=self.reference_uuid or None,
        )
