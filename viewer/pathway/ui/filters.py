"""The filter lists of the pathway tab: activities, types, groups and users."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal, Slot
from PySide6.QtWidgets import QToolBox, QVBoxLayout, QWidget

from viewer.pathway.choices import Choice, filter_choices
from viewer.widgets.checklist import Checklist

#: (key in PathwayQuery and QSettings, tab title, filter-line hint)
FILTERS = (
    ("activities", "Activities", "Filter, or type a name or ID…"),
    ("types", "Types", "Filter, or type a type name…"),
    ("groups", "Groups", "Filter, or type a group…"),
    ("users", "Users", "Filter, or type an e-mail or name…"),
)
_SETTINGS = "pathway/filters/"


class FilterPanel(QToolBox):
    """One checklist per filter, one open at a time; what is checked goes with the next fetch."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathwayFilters")
        self.setMinimumWidth(200)
        self.lists: dict[str, Checklist] = {}
        for key, title, hint in FILTERS:
            page = QWidget(self)
            layout = QVBoxLayout(page)
            layout.setContentsMargins(2, 2, 2, 2)
            checklist = Checklist(hint, page, title=title)
            checklist.setObjectName(f"{key}Filter")
            checklist.checkedChanged.connect(self._on_changed)
            layout.addWidget(checklist)
            self.addItem(page, title)
            self.lists[key] = checklist
        self.set_choices(filter_choices(None))

    def set_choices(self, choices: dict[str, list[Choice]]) -> None:
        for key, checklist in self.lists.items():
            checklist.set_entries(choices.get(key, []))

    def values(self) -> dict[str, tuple[str, ...]]:
        return {key: tuple(checklist.checked()) for key, checklist in self.lists.items()}

    def set_values(self, values: dict[str, list[str] | tuple[str, ...]]) -> None:
        for key, checklist in self.lists.items():
            checklist.set_checked(list(values.get(key, ())))

    @Slot()
    def _on_changed(self) -> None:
        for position, (key, title, _hint) in enumerate(FILTERS):
            count = len(self.lists[key].checked())
            self.setItemText(position, f"{title} ({count:,} checked)" if count else title)
        self.changed.emit()

    def save(self, settings: QSettings) -> None:
        for key, checklist in self.lists.items():
            settings.setValue(_SETTINGS + key, checklist.checked())

    def restore(self, settings: QSettings) -> None:
        values = {}
        for key in self.lists:
            stored = settings.value(_SETTINGS + key, [])
            if isinstance(stored, str):  # QSettings hands back a one-item list as a string
                stored = [stored]
            values[key] = [str(v) for v in stored or []]
        self.set_values(values)
