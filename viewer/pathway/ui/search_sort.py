"""The quick search and sort order both pathway models keep, and what changing them moves."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt

from viewer.pathway.data import PathwayData
from viewer.pathway.search import UserSearch

if TYPE_CHECKING:
    _Model = QAbstractItemModel
else:
    _Model = object


class SearchSortMixin(_Model):
    """Shown data, quick search and sort column of a pathway model, placed before its Qt base.

    The tree and the by-user matrix show the same data filtered by one ``UserSearch`` and
    ordered by one column, each in tables of row numbers of its own. A change of search or
    order re-orders those tables in place (``layoutChanged``, not a reset), so selections
    and expanded rows follow their rows. A model says how to build its tables
    (``_recompute``), how to name the rows behind persistent indexes before a change
    (``_persistent_keys``) and where those rows are after it (``_moved_indexes``).
    """

    _data: PathwayData | None = None
    _search: UserSearch = UserSearch()
    _sort_column: int = -1
    _descending: bool = False

    @property
    def pathway_data(self) -> PathwayData | None:
        return self._data

    @property
    def search_needle(self) -> str:
        """The search shown now, as ``set_search`` compares it."""
        return self._search.needle

    def set_pathway_data(self, data: PathwayData | None) -> None:
        self.beginResetModel()
        self._data = data
        self._search = UserSearch(data, self._search.needle)
        self._recompute()
        self.endResetModel()

    def set_search(self, text: str, search: UserSearch | None = None) -> None:
        """Show what ``text`` matches; ``search``: the same search another view of this
        data has worked out already (a keystroke then searches every user once, not once
        a view)."""
        needle = text.strip().lower()
        if needle == self._search.needle:
            return

        def apply() -> None:
            if search is not None and search.needle == needle and search.data is self._data:
                self._search = search
            else:
                self._search = UserSearch(self._data, needle)

        self._relayout(apply)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._sort_column, self._descending):
            return

        def apply() -> None:
            self._sort_column, self._descending = column, descending

        self._relayout(apply)

    def _relayout(self, change: Callable[[], None]) -> None:
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        keys = self._persistent_keys(old)
        change()
        self._recompute()
        self.changePersistentIndexList(old, self._moved_indexes(old, keys))
        self.layoutChanged.emit()

    # -- what a model says ------------------------------------------------------------------

    def _recompute(self) -> None:
        """Build the shown rows from the data, the search and the sort order."""
        raise NotImplementedError

    def _persistent_keys(self, old: list[QModelIndex]) -> list[Any]:
        """A name for the row behind each index that survives a change of the shown rows."""
        raise NotImplementedError

    def _moved_indexes(self, old: list[QModelIndex], keys: list[Any]) -> list[QModelIndex]:
        """Where each named row is now (an invalid index: no longer shown)."""
        raise NotImplementedError
