"""Dialogs and message boxes that are opened without blocking and delete themselves on close."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

D = TypeVar("D", bound=QDialog)


def open_transient(dialog: D, gone: Callable[[], object]) -> D:
    """Open ``dialog`` window-modal without blocking; Qt deletes it once it closes.

    ``gone`` runs as it is deleted, so whoever keeps a reference to the dialog can drop it
    then instead of holding a deleted widget; pass a slot of a ``QObject``, so that Qt
    drops the connection if the owner goes first.
    """
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.destroyed.connect(gone)
    dialog.open()
    return dialog
