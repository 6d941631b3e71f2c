"""Paging through the activity log in the background, one page request at a time.

Which pages to ask for, and when to stop, is decided above this, in the model (by the
rules of ``viewer.inbox.paging``); the loader only runs the requests.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from viewer.api.activity import ActivityPager
from viewer.api.activity_types import Activity
from viewer.api.errors import ApiError
from viewer.inbox.query import PER_PAGE, ClientFactory, InboxQuery
from viewer.jobs import CancelToken, Progress
from viewer.tasks import TaskRunner


class PageLoader(QObject):
    """Runs an ``ActivityPager`` through the ``TaskRunner``.

    The pager advances only inside a job and is read back only when the job reports, so
    the GUI thread never shares it with a running worker. A new start supersedes a running
    request; its late answer is dropped by the runner.
    """

    loadingChanged = Signal(bool)
    #: The activities of a page not seen before, and whether they start a new list.
    arrived = Signal(object, bool)
    failed = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        client_factory: ClientFactory,
        *,
        per_page: int = PER_PAGE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._client_factory = client_factory
        self._per_page = per_page
        self._key = f"inbox-page-{id(self)}"
        self.query = InboxQuery()
        self.total: int | None = None
        self.loading = False
        self.exhausted = False
        #: Why the pager ended its walk (``ActivityPager.stopped``), or None.
        self.stopped: str | None = None
        self.has_failed = False
        self._started = False
        self._closed = False
        self._pager: ActivityPager | None = None

    @property
    def can_fetch(self) -> bool:
        return self._started and not (self.exhausted or self.has_failed or self._closed)

    def start(self, query: InboxQuery) -> None:
        """Page 1 of ``query``; what arrives replaces the list."""
        self.query = query
        self._started = True
        self.has_failed = False
        self.exhausted = False
        self.stopped = None
        self._pager = None  # a superseded job may have advanced the old one
        self._request(replace=True)

    def next(self) -> None:
        """The next page, unless one is on its way or there is none."""
        if not self.loading and self.can_fetch:
            self._request(replace=self._pager is None)

    def retry(self) -> None:
        if self._started and not self._closed and not self.loading:
            self.has_failed = False
            self._request(replace=self._pager is None)

    def stop(self) -> None:
        """No further pages until ``start``: the list shows something else (a saved copy)."""
        self._started = False
        self._pager = None
        self._runner.cancel(self._key)
        self._set_loading(False)

    def close(self) -> None:
        self._closed = True
        self._runner.cancel(self._key)

    def _request(self, *, replace: bool) -> None:
        if self._closed:
            return
        pager = None if replace else self._pager
        query, factory, per_page = self.query, self._client_factory, self._per_page

        def job(cancel: CancelToken, _progress: Progress) -> tuple[ActivityPager, list[Activity]]:
            active = pager if pager is not None else query.pager(factory(), per_page)
            return active, active.next_page(cancel=cancel)

        self._set_loading(True)
        self._runner.run(
            job,
            on_success=lambda result: self._arrived(*result, replace),
            on_error=self._failed,
            on_cancelled=lambda: self._set_loading(False),
            key=self._key,
        )

    def _arrived(self, pager: ActivityPager, fresh: list[Activity], replace: bool) -> None:
        if not self._started:  # answered just before ``stop`` cancelled it
            self._set_loading(False)
            return
        self._pager = pager
        self.total = pager.total
        self.exhausted = pager.exhausted
        self.stopped = pager.stopped
        self.loading = False  # announced after the rows are in, so views see a whole state
        self.arrived.emit(fresh, replace)
        if not self.loading:  # a listener may have asked for the next page already
            self.loadingChanged.emit(False)

    def _failed(self, error: ApiError) -> None:
        self.has_failed = True
        self._set_loading(False)
        self.failed.emit(error)

    def _set_loading(self, loading: bool) -> None:
        if loading != self.loading:
            self.loading = loading
            self.loadingChanged.emit(loading)
