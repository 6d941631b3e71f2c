"""What marks activities read from the list: a click, the keys r, u and m, selecting one
(when "Mark read when selected" is on, so j and k triage like a mail client), and Mark all
read, which asks first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QModelIndex, QObject, QSettings, Qt, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from viewer.api.activity_types import Activity
from viewer.inbox.ui.filters import InboxFilters
from viewer.inbox.ui.marking import InboxMarker, mark_all_question
from viewer.inbox.ui.model import InboxModel
from viewer.inbox.ui.settings import mark_read_on_select
from viewer.inbox.ui.view import InboxView


class InboxReading(QObject):
    """Connects the list's clicks, keys and selection to the ``InboxMarker``."""

    def __init__(
        self,
        marker: InboxMarker,
        model: InboxModel,
        view: InboxView,
        filters: InboxFilters,
        settings: QSettings,
        known_types: Callable[[], list[str]],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._marker, self._model, self._view = marker, model, view
        self._filters, self._settings = filters, settings
        self._known_types = known_types
        self._parent = parent
        self._restoring = False
        view.clicked.connect(self._row_clicked)
        view.selectionModel().currentRowChanged.connect(self._current_changed)
        view.mark_read_action.triggered.connect(self.mark_selected_read)
        view.mark_unread_action.triggered.connect(self.mark_selected_unread)
        view.toggle_read_action.triggered.connect(self.toggle_selected)

    @contextmanager
    def restoring_selection(self) -> Iterator[None]:
        """Within it, rows selected again (after a refilter or a reload) are not read."""
        self._restoring = True
        try:
            yield
        finally:
            self._restoring = False

    @Slot(QModelIndex)
    def _row_clicked(self, index: QModelIndex) -> None:
        modifiers = QApplication.keyboardModifiers()
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            return  # extending the selection, not opening
        self._read(self._model.activity(index.row()))

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._restoring and mark_read_on_select(self._settings):
            self._read(self._model.activity(current.row()))

    def _read(self, activity: Activity | None) -> None:
        if activity is not None and not activity.is_read:
            self._marker.mark([activity.uuid], True)

    @Slot()
    def mark_selected_read(self) -> None:
        self._marker.mark(self._view.selected_uuids(), True)

    @Slot()
    def mark_selected_unread(self) -> None:
        self._marker.mark(self._view.selected_uuids(), False)

    @Slot()
    def toggle_selected(self) -> None:
        self._marker.toggle(self._view.selected_uuids())

    def confirm(self, question: str) -> bool:
        """Ask before a change that cannot be undone in one step. Tests replace this."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        box = QMessageBox(
            QMessageBox.Icon.Question, "Mark all read", question, buttons, self._parent
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # the question quotes server type names
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.exec()
        clicked = box.clickedButton()
        yes = clicked is not None and box.standardButton(clicked) == QMessageBox.StandardButton.Yes
        box.deleteLater()
        return yes

    @Slot()
    def mark_all_clicked(self) -> None:
        self.mark_all_read()

    def mark_all_read(self, confirm: Callable[[str], bool] | None = None) -> bool:
        """Mark every activity of the chosen type (and subtype) read, once confirmed."""
        filters = self._filters
        type_name = filters.type_name()
        question = mark_all_question(type_name, filters.subtype_text())
        if not (confirm or self.confirm)(question):
            return False
        self._marker.mark_all_read(
            type_name,
            filters.subtype_key(),
            filters.subtype_name(),
            all_types=[t.name for t in filters.types()] + self._known_types(),
        )
        return True
