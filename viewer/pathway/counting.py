"""Each user's state in each activity, counted while another reader goes through an answer
(Qt-free): what the progress history records of a saved copy."""

from __future__ import annotations

from collections.abc import Sequence

from viewer.api.pathway import PathwayHead
from viewer.api.pathway_types import Log
from viewer.pathway.data import PathwayData
from viewer.pathway.fetch import Builder


class StateCounter:
    """Each user's state in each activity, folded while someone else reads the answer.

    A ``read_pathway_logs`` sink with the decoder it needs: the headless export reads the
    answer for its own rows and, with this beside it, has what the progress history records
    (``Catalogue.record``) without reading the answer a third time.
    """

    def __init__(self) -> None:
        self._builder = Builder(columns=False)
        self.decoder = self._builder.decoder

    def add(self, index: int, logs: list[Log]) -> None:
        self._builder.add(index, logs)

    def count(self, logs: list[Log]) -> tuple[list[int], bytes]:
        """Some of an activity's logs (decoded by ``decoder``), counted on their own: for
        ``add_counted``, so that only a part of a big activity's logs exists at a time."""
        return self._builder.count(logs)

    def add_counted(self, index: int, counted: Sequence[tuple[list[int], bytes]]) -> None:
        """One activity, from the counts of each of its parts, in order."""
        self._builder.add_counted(index, counted)

    def data(self, head: PathwayHead) -> PathwayData:
        """The users and their states, as ``PathwayData`` without the logs' other columns."""
        builder = self._builder
        builder.set_headers(head.activities)
        _, _, share, required_count, groups, types = builder.finish()
        return PathwayData(
            pathway=head.pathway,
            activities=builder.activities,
            users=builder.users,
            user_search=[],
            user_sort_names=[],
            required_share=share,
            required_count=required_count,
            groups=groups,
            types=types,
            hash=head.hash,
            response_time=head.response_time,
        )
