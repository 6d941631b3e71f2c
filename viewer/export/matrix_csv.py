"""The by-user matrix as CSV: one row per user, one column per activity with the user's state."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from viewer.export.cells import groups_cell, text_cell
from viewer.pathway.data import PathwayData

MATRIX_COLUMNS = ("name", "email", "groups", "required_share")


class MatrixExport:
    """Rows of the matrix for ``users`` (user numbers, in order; ``None`` for everyone).

    A cell holds the state the server sent for that log; ``labels`` names the state codes
    of logs without one. A user without a log for an activity gets an empty cell.
    """

    def __init__(
        self,
        data: PathwayData,
        users: Sequence[int] | None = None,
        labels: Mapping[int, str] | None = None,
    ) -> None:
        self.data = data
        self.users = range(len(data.users)) if users is None else users
        self.labels = dict(labels or {})

    @property
    def header(self) -> list[str]:
        return [*MATRIX_COLUMNS, *(a.label for a in self.data.activities)]

    @property
    def log_count(self) -> int:
        return len(self.users)

    def rows(self) -> Iterator[list[Any]]:
        data, labels = self.data, self.labels
        columns = [(a.by_user, a.state_text, a.user_states) for a in data.activities]
        for uid in self.users:
            user = data.users[uid]
            share = data.required_share[uid]
            row: list[Any] = [
                text_cell(user.name),
                text_cell(user.email),
                groups_cell(user.groups),
                "" if share != share else round(share, 4),
            ]
            for by_user, texts, codes in columns:
                log = by_user[uid]
                if log < 0:
                    row.append("")
                else:
                    row.append(text_cell(texts[log] or labels.get(codes[uid], "")))
            yield row
