"""What every item model of the app shares, and the base of its flat tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

#: The index types Qt passes to model methods.
AnyIndex = QModelIndex | QPersistentModelIndex

Row = TypeVar("Row")

#: The root index, as a default argument (one instance, not one per call).
NO_PARENT = QModelIndex()


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """A read-only table of one Python object a row, sorted inside the model.

    A subclass says what a cell shows (``cell``) and how a column sorts (``sort_key``);
    counting, headers and the sort itself are here, so every flat table sorts the way the
    design asks (``list.sort`` and ``layoutChanged``, never a proxy) and keeps selections
    on their rows while it does.
    """

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = tuple(headers)
        self._rows: list[Row] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Iterable[Row]) -> None:
        """Show ``rows`` instead, in the order last asked for by ``sort`` (if any)."""
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- what a subclass says ---------------------------------------------------------------

    def cell(self, item: Row, column: int, role: int) -> Any:
        """What ``column`` of ``item``'s row shows in ``role`` (``None``: nothing)."""
        raise NotImplementedError

    def sort_key(self, column: int) -> Callable[[Row], Any] | None:
        """The key ``column`` sorts by; ``None`` when it does not sort."""
        return None

    # -- what the views ask -----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self._headers):
            return None
        item = self.row_at(index.row())
        return None if item is None else self.cell(item, index.column(), role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._headers) or self.sort_key(column) is None:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        held = [self._rows[index.row()] for index in old]
        self._sort = (column, order)
        self._sort_rows(column, order)
        if old:
            where = {id(item): row for row, item in enumerate(self._rows)}
            new = [
                self.index(where[id(item)], index.column())
                for index, item in zip(old, held, strict=True)
            ]
            self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        key = self.sort_key(column)
        if key is not None:
            self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
