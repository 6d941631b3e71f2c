"""A searchable list of checkable entries that also accepts typed entries.

Entries are ``(value, label, search text)``; checking one selects its value. Checked values
that are not among the entries (typed by the user, or remembered from an earlier run) stay at
the top of the list, so a choice is never silently dropped when the entries change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.formats import elided
from viewer.widgets.quiet_label import QuietLabel
from viewer.widgets.table_model import NO_PARENT, AnyIndex

Entry = tuple[str, str, str]
_CHECKABLE = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsUserCheckable
    | Qt.ItemFlag.ItemNeverHasChildren
)

_CHECKED, _UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


def entry(value: str, label: str | None = None, search: str | None = None) -> Entry:
    label = label or value
    return (value, label, (search or f"{label}\n{value}").lower())


class ChecklistModel(QAbstractListModel):
    checkedChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []
        self._known: set[str] | None = set()  # the entries' values, once asked for
        self._checked: dict[str, None] = {}  # ordered set of checked values
        self._filter = ""
        self._rows: list[Entry] = []

    # -- contents ----------------------------------------------------------------------

    def set_entries(self, entries: Iterable[Entry], *, unique: bool = False) -> None:
        """Offer ``entries``; of two with the same value, the last label wins. With
        ``unique`` (no value twice, as the caller knows), the values are gathered only once
        something needs them: for 100,000 users, 10-30 ms saved as an answer is shown."""
        self.beginResetModel()
        self._entries = list(entries)
        self._known = None
        if not unique and len(self._values()) != len(self._entries):
            self._entries = list(dict((e[0], e) for e in self._entries).values())
        self._rows = self._visible()
        self.endResetModel()

    def _values(self) -> set[str]:
        if self._known is None:
            self._known = set(map(itemgetter(0), self._entries))  # C speed
        return self._known

    def set_filter(self, text: str) -> None:
        text = text.strip().lower()
        if text != self._filter:
            self.beginResetModel()
            self._filter = text
            self._rows = self._visible()
            self.endResetModel()

    def _visible(self) -> list[Entry]:
        typed = [entry(v, v) for v in self._checked if v not in self._values()]
        words = self._filter.split()
        rows = typed + self._entries
        if not words:
            return rows
        return [e for e in rows if all(word in e[2] for word in words)]

    def checked(self) -> list[str]:
        return list(self._checked)

    def set_checked(self, values: Iterable[str]) -> None:
        cleaned = dict.fromkeys(v.strip() for v in values if v and v.strip())
        if list(cleaned) == list(self._checked):
            return
        self.beginResetModel()
        self._checked = cleaned
        self._rows = self._visible()
        self.endResetModel()
        self.checkedChanged.emit()

    def add_typed(self, value: str) -> bool:
        """Check ``value`` (typed by the user), adding it when no entry has it."""
        value = value.strip()
        if not value or value in self._checked:
            return False
        self.set_checked([*self._checked, value])
        return True

    def entry_count(self) -> int:
        return len(self._entries)

    # -- model -------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _CHECKABLE if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        value, label, _search = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return elided(label)  # the value itself is sent to the server whole
        if role == Qt.ItemDataRole.CheckStateRole:
            return _CHECKED if value in self._checked else _UNCHECKED
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole and value not in self._values():
            return "Typed entry, sent to the server as written"
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        entry_value = self._rows[index.row()][0]
        on = Qt.CheckState(value) == _CHECKED if not isinstance(value, bool) else value
        if on == (entry_value in self._checked):
            return False
        if on:
            self._checked[entry_value] = None
        else:
            del self._checked[entry_value]
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checkedChanged.emit()
        return True


class Checklist(QWidget):
    """A filter line, the checkable list, and buttons to add a typed entry or clear all."""

    checkedChanged = Signal()

    def __init__(
        self,
        placeholder: str = "Filter, or type to add…",
        parent: QWidget | None = None,
        *,
        title: str = "Entries",
    ) -> None:
        super().__init__(parent)
        self.model = ChecklistModel(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(placeholder)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 8)
        self.add_button = QToolButton(self)
        self.add_button.setText("Add")
        self.add_button.setToolTip("Check the typed text as an entry of its own (Enter)")
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Uncheck every entry")
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        # Wrapped, so neither line asks the filter pane to be wider than its buttons.
        self.hint = QLabel(self)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        self.hint.hide()
        self.view.setAccessibleName(title)
        self.summary = QuietLabel("", self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.add_button)
        top.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._debounce.start)
        self.filter_edit.returnPressed.connect(self._add_typed)
        self.add_button.clicked.connect(self._add_typed)
        self.clear_button.clicked.connect(self._clear)
        self.model.checkedChanged.connect(self._on_checked)
        self.model.modelReset.connect(self._update_summary)
        self._update_summary()

    def set_entries(self, entries: Iterable[Entry], *, unique: bool = False) -> None:
        self.model.set_entries(entries, unique=unique)

    def set_hint(self, text: str) -> None:
        """A line above the list that says what it offers."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def checked(self) -> list[str]:
        return self.model.checked()

    def set_checked(self, values: Sequence[str]) -> None:
        self.model.set_checked(values)

    @Slot()
    def _apply_filter(self) -> None:
        self.model.set_filter(self.filter_edit.text())

    @Slot()
    def _add_typed(self) -> None:
        text = self.filter_edit.text().strip()
        if text and self.model.add_typed(text):
            self.filter_edit.clear()
            self.model.set_filter("")

    @Slot()
    def _clear(self) -> None:
        self.model.set_checked([])

    @Slot()
    def _on_checked(self) -> None:
        self._update_summary()
        self.checkedChanged.emit()

    @Slot()
    def _update_summary(self) -> None:
        checked = len(self.model.checked())
        total = self.model.entry_count()
        text = f"{checked:,} checked" if checked else "None checked: all are fetched"
        self.summary.setText(f"{text} · {total:,} known")
