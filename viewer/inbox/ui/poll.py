"""Keeping the inbox current: unread counts, and whether newer activities have arrived."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from viewer.api.activity_types import Activity, UnreadCount
from viewer.api.errors import ApiError
from viewer.inbox.query import ClientFactory, InboxQuery
from viewer.inbox.ui.model import InboxModel
from viewer.jobs import CancelToken, Progress
from viewer.tasks import TaskRunner

#: How many of the newest activities are compared with the newest one shown.
HEAD_SIZE = 20


def newer_than(head: list[Activity], newest: Activity | None) -> list[Activity]:
    """The activities of ``head`` (page 1, newest first) newer than ``newest``."""
    if newest is None:
        return list(head)
    uuids = [a.uuid for a in head]
    if newest.uuid in uuids:
        return head[: uuids.index(newest.uuid)]
    # The newest shown is gone from page 1 (deleted, or pushed further down).
    when = newest.created_at or ""
    return [a for a in head if (a.created_at or "") > when]


class InboxPoller(QObject):
    countsLoaded = Signal(object)  # UnreadCount
    #: Page 1 was compared with the list: how many activities are newer than the newest
    #: shown (0 for none; ``HEAD_SIZE`` means "at least").
    headChecked = Signal(int)
    #: The same check, with the activities newer than the newest shown (a list).
    newerFound = Signal(object)
    #: A request failed: the error, what it was for ("counts" or "poll"), and a retry.
    failed = Signal(object, str, object)

    def __init__(
        self,
        runner: TaskRunner,
        model: InboxModel,
        client_factory: ClientFactory,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._model = model
        self._client_factory = client_factory
        self.closed = False

    def refresh_counts(self) -> None:
        if self.closed:
            return
        factory = self._client_factory
        self._runner.run(
            lambda cancel, _progress: factory().unread_count(cancel=cancel),
            on_success=self._counts_loaded,
            on_error=lambda error: self._failed(error, "counts", self.refresh_counts),
            key="inbox-counts",
        )

    def _counts_loaded(self, counts: UnreadCount) -> None:
        self.countsLoaded.emit(counts)

    def check_new(self) -> None:
        """Compare page 1 with the newest activity shown (not while page 1 is on its way)."""
        model = self._model
        if self.closed or (model.newest() is None and model.loading):
            return
        query = model.query
        factory = self._client_factory

        def job(cancel: CancelToken, _progress: Progress) -> list[Activity]:
            client = factory()
            page = client.page(
                1,
                HEAD_SIZE,
                types=(query.type,) if query.type else (),
                subtype=query.subtype,
                reference_uuid=query.reference_uuid,
                cancel=cancel,
            )
            return page.data or []

        self._runner.run(
            job,
            on_success=lambda head: self._head_loaded(head, query),
            on_error=lambda error: self._failed(error, "poll", self.check_new),
            key="inbox-head",
        )

    def _head_loaded(self, head: list[Activity], query: InboxQuery) -> None:
        model = self._model
        if query != model.query or (model.loading and model.newest() is None):
            return  # the list changed meanwhile; the next poll compares again
        newer = newer_than(head, model.newest())
        self.headChecked.emit(len(newer))
        self.newerFound.emit(newer)

    def _failed(self, error: ApiError, what: str, retry: Callable[[], None]) -> None:
        self.failed.emit(error, what, retry)
