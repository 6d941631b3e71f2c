"""Dialogs opened without blocking: deleted once closed, their owner told as they go."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from viewer.widgets.transient import open_transient


class Owner(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.dialog: QDialog | None = None

    @Slot()
    def gone(self) -> None:
        self.dialog = None


def test_a_transient_dialog_is_deleted_on_close_and_its_owner_forgets_it(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    owner = Owner()
    dialog = owner.dialog = QDialog(parent)
    assert open_transient(dialog, owner.gone) is dialog
    assert dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal
    with qtbot.waitSignal(dialog.destroyed):
        dialog.reject()
    assert owner.dialog is None
    assert not shiboken6.isValid(dialog)


def test_a_transient_message_box_goes_the_same_way(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    owner = Owner()
    box = owner.dialog = QMessageBox(QMessageBox.Icon.Warning, "Title", "Text", parent=parent)
    open_transient(box, owner.gone)
    with qtbot.waitSignal(box.destroyed):
        box.close()
    assert owner.dialog is None
