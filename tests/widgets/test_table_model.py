"""The flat-table base: counts, headers, and sorting that keeps selections on their rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPersistentModelIndex, Qt

from viewer.widgets.table_model import RowTableModel


class Words(RowTableModel[str]):
    """Column 0 sorts by the word, column 1 (its length) does not sort."""

    def __init__(self) -> None:
        super().__init__(("Word", "Length"))

    def cell(self, item: str, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return item if column == 0 else len(item)

    def sort_key(self, column: int):
        return str.lower if column == 0 else None


def words(model: Words) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_table_passes_the_model_tester_and_sorts_in_the_model(qtmodeltester):
    model = Words()
    model.set_rows(["pear", "Apple", "fig"])
    qtmodeltester.check(model)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Length"
    assert model.index(2, 1).data() == 3
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert words(model) == ["Apple", "fig", "pear"]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert words(model) == ["pear", "fig", "Apple"]
    qtmodeltester.check(model)


def test_sorting_keeps_persistent_indexes_on_their_rows():
    model = Words()
    model.set_rows(["pear", "Apple", "fig"])
    held = QPersistentModelIndex(model.index(0, 1))  # "pear", its length column
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert (held.row(), held.column(), held.data()) == (2, 1, 4)
    assert model.row_at(held.row()) == "pear"


def test_new_rows_keep_the_sort_order_and_unsortable_columns_leave_it():
    model = Words()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_rows(["b", "c", "a"])
    assert words(model) == ["c", "b", "a"]
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert words(model) == ["c", "b", "a"]
    assert model.row_at(3) is None and model.row_at(-1) is None
