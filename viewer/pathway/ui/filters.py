"""The filter lists of the pathway tab: activities, types, groups and users."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Signal, Slot
from PySide6.QtWidgets import QLabel, QStyle, QToolBox, QVBoxLayout, QWidget

from viewer.api.pathway import PathwayQuery
from viewer.pathway.choices import TYPES_HINT, Choice, canonical_type, filter_choices
from viewer.widgets.checklist import Checklist

#: (key in PathwayQuery and QSettings, tab title, filter-line hint)
FILTERS = (
    ("activities", "Activities", "Filter, or type a name or ID…"),
    ("types", "Types", "Filter, or type a type name…"),
    ("groups", "Groups", "Filter, or type a group…"),
    ("users", "Users", "Filter, or type an e-mail or name…"),
)
_SETTINGS = "pathway/filters/"
#: Shown under the lists while they differ from the filters of the answer on screen.
APPLY_NOTE = "The lists differ from what is shown: press Fetch to apply them."


class FilterPanel(QToolBox):
    """One checklist per filter, one open at a time; what is checked goes with the next fetch.

    ``note`` (placed by the tab under the lists) says when the checked values differ from
    the filters of the answer on screen.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathwayFilters")
        self.lists: dict[str, Checklist] = {}
        self._applied: dict[str, frozenset[str]] | None = None
        self.note = QLabel(APPLY_NOTE, self)
        self.note.setObjectName("pathwayFiltersNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("font-weight: bold;")
        self.note.hide()
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
        self.lists["types"].set_hint(TYPES_HINT)
        self.set_choices(filter_choices(None))

    def minimumSizeHint(self) -> QSize:
        """Wide enough for every page, so no list is clipped behind a scroll bar."""
        hint = super().minimumSizeHint()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        pages = [self.widget(i) for i in range(self.count())]
        widest = max((page.minimumSizeHint().width() for page in pages if page), default=0)
        return QSize(max(hint.width(), widest + bar + 2), hint.height())

    def set_choices(self, choices: dict[str, list[Choice]]) -> None:
        """Offer ``choices``: no value twice in a list (``ChoiceMemory`` keys them by it)."""
        for key, checklist in self.lists.items():
            checklist.set_entries(choices.get(key, []), unique=True)

    def values(self) -> dict[str, tuple[str, ...]]:
        return {key: tuple(checklist.checked()) for key, checklist in self.lists.items()}

    def set_values(self, values: dict[str, list[str] | tuple[str, ...]]) -> None:
        for key, checklist in self.lists.items():
            checked = list(values.get(key, ()))
            if key == "types":  # once spelt as the answers do ("assessment")
                checked = list(dict.fromkeys(canonical_type(v) for v in checked))
            checklist.set_checked(checked)

    def set_applied(self, query: PathwayQuery | None) -> None:
        """The filters of the answer on screen (none: nothing is shown)."""
        self._applied = None
        if query is not None:
            self._applied = {key: frozenset(getattr(query, key)) for key in self.lists}
            self._applied["types"] = frozenset(canonical_type(t) for t in query.types)
        self._update_note()

    def differs(self) -> bool:
        """Whether the next fetch would ask for something else than what is shown."""
        if self._applied is None:
            return False
        return any(frozenset(v) != self._applied[k] for k, v in self.values().items())

    @Slot()
    def _on_changed(self) -> None:
        for position, (key, title, _hint) in enumerate(FILTERS):
            count = len(self.lists[key].checked())
            self.setItemText(position, f"{title} ({count:,} checked)" if count else title)
        self._update_note()
        self.changed.emit()

    def _update_note(self) -> None:
        self.note.setVisible(self.differs())

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
