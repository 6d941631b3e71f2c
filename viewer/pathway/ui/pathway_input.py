"""The pathway field: a name or ID typed, or one of the pathways fetched lately.

The recent pathways are kept in the settings, newest first; with the demo data the demo's
own pathways are offered after them.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QWidget

_RECENT = "pathway/recent"
_MAX_RECENT = 12
_DEMO_PATHWAYS = ("Become A Store Owner", "Pathway A")


class PathwayInput(QComboBox):
    """An editable combo box of recent pathways; ``remember`` puts one on top."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("pathwayInput")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(14)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        edit = self.lineEdit()
        if edit is not None:
            edit.setPlaceholderText("Pathway name or ID")
        self.setToolTip("The pathway to fetch: its exact name or its ID")

    def recent(self) -> list[str]:
        stored = self.settings.value(_RECENT, [])
        items = [stored] if isinstance(stored, str) else stored if isinstance(stored, list) else []
        return [str(item) for item in items if str(item).strip()]

    def remember(self, text: str) -> None:
        """``text`` was fetched: first in the list from now on, here and in the settings."""
        recent = [text, *(item for item in self.recent() if item != text)][:_MAX_RECENT]
        self.settings.setValue(_RECENT, recent)
        self._fill(recent, text)

    def restore(self, *, demo: bool) -> None:
        """The recent pathways (and the demo's), the newest in the field."""
        recent = self.recent()
        suggestions = list(recent)
        if demo:
            suggestions += [name for name in _DEMO_PATHWAYS if name not in suggestions]
        self._fill(suggestions, recent[0] if recent else "")

    def _fill(self, items: list[str], current: str) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItems(items)
        self.setEditText(current)
        self.blockSignals(False)
