"""The views for acting on progress, added to the pathway views: Groups, Follow-up, Progress.

They are fed together after every fetch or opened copy; the counting runs in the tab's
``TaskRunner``, and their Export buttons open the tab's export dialog on their scope.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from viewer.export.scopes import FOLLOW_UP, GROUPS
from viewer.pathway.data import PathwayData
from viewer.pathway.ui.follow_up_view import FollowUpView
from viewer.pathway.ui.groups_view import GroupsView
from viewer.pathway.ui.progress_view import ProgressView
from viewer.pathway.ui.views import PathwayViews
from viewer.snapshots import SnapshotStore
from viewer.tasks import TaskRunner

if TYPE_CHECKING:  # the writers load at the first export, not with the window
    from viewer.export.rows import Prepare


class ActingViews(QObject):
    def __init__(
        self,
        runner: TaskRunner,
        views: PathwayViews,
        *,
        status: Callable[[str], None],
        export: Callable[[str], object],
    ) -> None:
        super().__init__(views)
        self.groups = GroupsView(runner, views)
        self.follow_up = FollowUpView(runner, views)
        self.progress = ProgressView(runner, views)
        # After By user: Groups, Follow-up, then Summary, Progress (then Changes).
        after = views.indexOf(views.matrix) + 1
        views.insertTab(after, self.groups, "Groups")
        views.insertTab(after + 1, self.follow_up, "Follow-up")
        views.insertTab(after + 3, self.progress, "Progress")
        for view in (self.groups, self.follow_up, self.progress):
            view.statusMessage.connect(status)
            view.exportRequested.connect(export)

    def set_current(
        self, data: PathwayData | None, store: SnapshotStore | None, server: str | None
    ) -> None:
        """The answer shown now; the progress history is read from beside ``store``."""
        self.groups.set_pathway_data(data)
        self.follow_up.set_pathway_data(data)
        self.progress.set_current(data, store, server)

    def snapshot(self, scope: str) -> Prepare | None:
        """In the GUI thread: the rows of the view ``scope`` as shown now, for a worker."""
        from viewer.export.views import FollowUpExport, GroupsExport, ProgressExport

        if scope == GROUPS:
            shown = self.groups.data
            if shown is None:
                return None
            return lambda _cancel: GroupsExport(shown)
        if scope == FOLLOW_UP:
            data, chosen = self.follow_up.data, self.follow_up.chosen_activities()
            if data is None or chosen == []:
                return None
            return lambda _cancel: FollowUpExport(data, chosen)
        rows = self.progress.shown_rows()
        return (lambda _cancel: ProgressExport(rows)) if rows else None
