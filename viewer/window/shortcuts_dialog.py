"""Help > Keyboard shortcuts: every key of the window, read from its actions and shortcuts.

The table is built from the ``QAction`` and ``QShortcut`` objects the window holds when it
opens, so it lists what the keys really do and cannot fall behind them. A ``QShortcut``
says what it does in its ``whatsThis``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

EVERYWHERE = "Everywhere"
_COUNT = re.compile(r"\s*\([^()]*\)$")


@dataclass(frozen=True)
class ShortcutRow:
    keys: str
    what: str
    where: str


def _words(text: str) -> str:
    """An action's text as read: without its mnemonic ``&`` or a tab-separated key."""
    return text.split("\t", 1)[0].replace("&&", "\0").replace("&", "").replace("\0", "&")


def _where(owner: QObject | None, tabs: QTabWidget) -> str:
    """The tab an action or shortcut belongs to, or ``EVERYWHERE``."""
    while owner is not None:
        if isinstance(owner, QWidget) and (index := tabs.indexOf(owner)) >= 0:
            return _COUNT.sub("", tabs.tabText(index))
        owner = owner.parent()
    return EVERYWHERE


def shortcut_rows(window: QWidget, tabs: QTabWidget) -> list[ShortcutRow]:
    """Every key sequence of ``window``'s actions and shortcuts, window-wide ones first."""
    rows: list[ShortcutRow] = []
    native = QKeySequence.SequenceFormat.NativeText
    for action in window.findChildren(QAction):
        keys = [k.toString(native) for k in action.shortcuts() if not k.isEmpty()]
        if keys:
            rows.append(ShortcutRow(", ".join(keys), _words(action.text()), _where(action, tabs)))
    for shortcut in window.findChildren(QShortcut):
        keys = [k.toString(native) for k in shortcut.keys() if not k.isEmpty()]  # noqa: SIM118
        if keys:
            what = shortcut.whatsThis() or shortcut.objectName()
            rows.append(ShortcutRow(", ".join(keys), what, _where(shortcut, tabs)))
    order = {EVERYWHERE: 0}
    return sorted(rows, key=lambda row: (order.get(row.where, 1), row.where))


class ShortcutsDialog(QDialog):
    """A table of keys, what they do and where they work."""

    def __init__(self, rows: list[ShortcutRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.rows = rows
        table = QTableWidget(len(rows), 3, self)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels(["Keys", "Does", "Where"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        for number, row in enumerate(rows):
            for column, text in enumerate((row.keys, row.what, row.where)):
                table.setItem(number, column, QTableWidgetItem(text))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(560, 520)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
