"""What every item model of the app shares."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

#: The index types Qt passes to model methods.
AnyIndex = QModelIndex | QPersistentModelIndex
