"""The filter bar of the inbox: type, subtype, reference UUID and "unread only".

Types and subtypes come from the server's ``/types``; each entry shows its name in words
(the name as sent is in its tooltip) and its unread count. A saved choice that the server
does not list (yet) is kept as an entry of its own, so the list can be filtered before
``/types`` has answered. ``note`` says when the counts of the parts do not add up.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from viewer.api.activity_types import ActivityType, Subtype, UnreadCount
from viewer.inbox.counts import gap_note, with_unread
from viewer.inbox.query import InboxQuery
from viewer.inbox.rows import humanize, rich_tooltip
from viewer.inbox.ui.count_combo import CountCombo

#: Item data of a combo entry: the type name, or the subtype key; "" means "all".
_KEY_ROLE = Qt.ItemDataRole.UserRole
#: The subtype's name, which the unread counts and "mark all read" use.
_NAME_ROLE = Qt.ItemDataRole.UserRole + 1
#: The entry's text without its count.
_LABEL_ROLE = Qt.ItemDataRole.UserRole + 2

_REFERENCE_DELAY_MS = 400


class InboxFilters(QWidget):
    """Emits ``queryChanged`` when a server-side filter changes (typing is debounced)."""

    queryChanged = Signal()
    unreadOnlyChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inboxFilters")
        self._types: list[ActivityType] = []
        self._counts: UnreadCount | None = None

        self.type_combo = CountCombo(self)
        self.type_combo.setObjectName("typeFilter")
        self.type_combo.setToolTip("Show only activities of this type")
        self.subtype_combo = CountCombo(self)
        self.subtype_combo.setObjectName("subtypeFilter")
        self.subtype_combo.setToolTip("Show only activities of this subtype")
        self.reference_edit = QLineEdit(self)
        self.reference_edit.setObjectName("referenceFilter")
        self.reference_edit.setPlaceholderText("Reference UUID")
        self.reference_edit.setClearButtonEnabled(True)
        self.reference_edit.setToolTip("Show only activities with this reference UUID")
        uuid_width = self.reference_edit.fontMetrics().horizontalAdvance("0" * 36) + 40
        self.reference_edit.setMinimumWidth(min(260, uuid_width))
        self.reference_edit.setMaximumWidth(uuid_width)  # a UUID, whole; no more
        # Placed by the tab, beside the search: both filter what is loaded.
        self.unread_check = QCheckBox("&Unread only", self)
        self.unread_check.setObjectName("unreadOnly")
        self.unread_check.setToolTip("Show only the unread activities of those loaded")
        #: Placed by the tab under the list: says when the counts of the parts fall short.
        self.note = QLabel(self)
        self.note.setObjectName("inboxCountNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        type_label = QLabel("&Type:", self)
        type_label.setBuddy(self.type_combo)
        subtype_label = QLabel("&Subtype:", self)
        subtype_label.setBuddy(self.subtype_combo)
        layout.addWidget(type_label)
        layout.addWidget(self.type_combo)
        layout.addWidget(subtype_label)
        layout.addWidget(self.subtype_combo)
        layout.addWidget(self.reference_edit, 1)
        layout.addStretch(0)

        self._reference_timer = QTimer(self)
        self._reference_timer.setSingleShot(True)
        self._reference_timer.setInterval(_REFERENCE_DELAY_MS)
        self._reference_timer.timeout.connect(self._reference_settled)
        self._applied_reference = ""

        self._fill_types(None, None)
        self.type_combo.currentIndexChanged.connect(self._type_chosen)
        self.subtype_combo.currentIndexChanged.connect(self._subtype_chosen)
        self.reference_edit.textChanged.connect(self._reference_timer.start)
        self.reference_edit.returnPressed.connect(self._reference_settled)
        self.unread_check.toggled.connect(self.unreadOnlyChanged)

    # -- what is chosen -----------------------------------------------------------------

    def type_name(self) -> str | None:
        return self.type_combo.currentData(_KEY_ROLE) or None

    def subtype_key(self) -> str | None:
        return self.subtype_combo.currentData(_KEY_ROLE) or None

    def subtype_name(self) -> str | None:
        return self.subtype_combo.currentData(_NAME_ROLE) or None

    def subtype_text(self) -> str | None:
        """What to call the chosen subtype in messages."""
        return self.subtype_name() or self.subtype_key()

    def reference(self) -> str:
        return self.reference_edit.text().strip()

    def unread_only(self) -> bool:
        return self.unread_check.isChecked()

    def query(self) -> InboxQuery:
        return InboxQuery(self.type_name(), self.subtype_key(), self._applied_reference or None)

    def types(self) -> list[ActivityType]:
        return list(self._types)

    def subtype_labels(self) -> dict[str, str]:
        return {sub.key: sub.label for t in self._types for sub in (t.subtypes or []) if sub.key}

    # -- what the server says -----------------------------------------------------------

    def set_types(self, types: list[ActivityType]) -> None:
        """Fill the combos from ``/types``, keeping the current choice."""
        self._types = list(types)
        type_name, subtype_key = self.type_name(), self.subtype_key()
        self._fill_types(type_name, subtype_key)

    def set_counts(self, counts: UnreadCount) -> None:
        self._counts = counts
        self._show_counts()

    def restore(
        self, type_name: str | None, subtype_key: str | None, reference: str, unread_only: bool
    ) -> None:
        """Put back a saved choice without emitting ``queryChanged``."""
        with QSignalBlocker(self.unread_check), QSignalBlocker(self.reference_edit):
            self.unread_check.setChecked(unread_only)
            self.reference_edit.setText(reference)
        self._applied_reference = reference.strip()
        self._fill_types(type_name, subtype_key)

    def select_type(self, type_name: str | None) -> None:
        """Choose a type as a user would (emits ``queryChanged``)."""
        index = self.type_combo.findData(type_name or "", _KEY_ROLE)
        if index >= 0:
            self.type_combo.setCurrentIndex(index)

    def select_subtype(self, key: str | None) -> None:
        index = self.subtype_combo.findData(key or "", _KEY_ROLE)
        if index >= 0:
            self.subtype_combo.setCurrentIndex(index)

    # -- filling the combos -------------------------------------------------------------

    def _fill_types(self, type_name: str | None, subtype_key: str | None) -> None:
        combo = self.type_combo
        with QSignalBlocker(combo):
            combo.clear()
            combo.addItem("All types", "")
            combo.setItemData(0, "All types", _LABEL_ROLE)
            names = [t.name for t in self._types]
            if type_name and type_name not in names:
                names.append(type_name)
            for name in names:
                description = next((t.description for t in self._types if t.name == name), None)
                self._add_entry(combo, name, name, name, description)
            combo.setItemData(0, "Activities of every type", Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(0, combo.findData(type_name or "", _KEY_ROLE)))
        self._fill_subtypes(subtype_key)

    def _fill_subtypes(self, subtype_key: str | None) -> None:
        chosen = next((t for t in self._types if t.name == self.type_name()), None)
        subtypes: list[Subtype] = list(chosen.subtypes or []) if chosen else []
        if subtype_key and subtype_key not in [s.key for s in subtypes]:
            subtypes.append(Subtype(id=subtype_key))
        combo = self.subtype_combo
        with QSignalBlocker(combo):
            combo.clear()
            combo.addItem("All subtypes", "")
            combo.setItemData(0, "All subtypes", _LABEL_ROLE)
            for sub in subtypes:
                if sub.key:
                    self._add_entry(combo, sub.key, sub.label, sub.name or "", sub.description)
            combo.setCurrentIndex(max(0, combo.findData(subtype_key or "", _KEY_ROLE)))
        combo.setEnabled(combo.count() > 1)
        self._show_counts()

    @staticmethod
    def _add_entry(
        combo: QComboBox, key: str, label: str, name: str, description: str | None
    ) -> None:
        """An entry showing ``label`` in words; its tooltip gives the name as sent."""
        words = humanize(label)
        combo.addItem(words, key)
        row = combo.count() - 1
        combo.setItemData(row, words, _LABEL_ROLE)
        combo.setItemData(row, name, _NAME_ROLE)
        tip = label + (f"\n{description}" if description else "")
        combo.setItemData(row, rich_tooltip(tip), Qt.ItemDataRole.ToolTipRole)

    def _show_counts(self) -> None:
        """Put the unread counts into the entries' texts, in place (an open list stays open)."""
        counts = self._counts
        type_name = self.type_name()
        for row in range(self.type_combo.count()):
            key = self.type_combo.itemData(row, _KEY_ROLE)
            count = None if counts is None else counts.for_type(key) if key else counts.unread
            label = self.type_combo.itemData(row, _LABEL_ROLE)
            self.type_combo.setItemText(row, with_unread(label, count))
        for row in range(self.subtype_combo.count()):
            count = None
            if counts is not None and type_name:
                name = self.subtype_combo.itemData(row, _NAME_ROLE)
                key = self.subtype_combo.itemData(row, _KEY_ROLE)
                count = (
                    counts.for_subtype(type_name, name) or counts.for_subtype(type_name, key)
                    if key
                    else counts.for_type(type_name)
                )
            label = self.subtype_combo.itemData(row, _LABEL_ROLE)
            self.subtype_combo.setItemText(row, with_unread(label, count))
        note = gap_note(counts, type_name, humanize(type_name))
        self.note.setText(note)
        self.note.setVisible(bool(note))

    # -- user choices -------------------------------------------------------------------

    @Slot(int)
    def _type_chosen(self, _index: int) -> None:
        self._fill_subtypes(None)
        self.queryChanged.emit()

    @Slot(int)
    def _subtype_chosen(self, _index: int) -> None:
        self.queryChanged.emit()

    @Slot()
    def _reference_settled(self) -> None:
        self._reference_timer.stop()
        reference = self.reference()
        if reference != self._applied_reference:
            self._applied_reference = reference
            self.queryChanged.emit()

    def stop(self) -> None:
        self._reference_timer.stop()
