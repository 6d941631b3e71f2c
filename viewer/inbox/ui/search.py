"""The inbox's search box: words looked for in the loaded activities' titles and
descriptions, with Ctrl+F to reach it and Esc to clear it.

It filters what is loaded, as "unread only" does, not the server's list: the placeholder
says so, and the tab offers to look further when nothing loaded matches.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

#: Typing settles for this long before the list is filtered again.
SEARCH_DELAY_MS = 200
PLACEHOLDER = "Search loaded titles and descriptions ({})"


class InboxSearch(QObject):
    """The box (``edit``) and its two actions, which act within ``scope`` (the tab)."""

    #: The words searched for changed (once typing settles, at once on Esc or Enter).
    changed = Signal(str)

    def __init__(self, scope: QWidget) -> None:
        super().__init__(scope)
        self.edit = QLineEdit(scope)
        self.edit.setObjectName("inboxSearch")
        self.edit.setClearButtonEnabled(True)
        # Made here, not at import: standard keys need the running application's platform.
        find_key = QKeySequence(QKeySequence.StandardKey.Find)
        keys = find_key.toString(QKeySequence.SequenceFormat.NativeText)
        self.edit.setPlaceholderText(PLACEHOLDER.format(keys))
        self.edit.setAccessibleName("Search loaded activities")
        self.edit.setToolTip(
            "Show only the loaded activities whose title or description holds every word; "
            "the server's filters are the type, subtype and reference"
        )
        self._applied = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._settled)
        self.edit.textChanged.connect(self._typed)
        self.edit.returnPressed.connect(self._settled)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.find_action = QAction("&Find in loaded activities", scope)
        self.find_action.setObjectName("inboxFindAction")
        self.find_action.setShortcut(find_key)
        self.find_action.setShortcutContext(context)
        self.find_action.triggered.connect(self.focus)
        self.clear_action = QAction("&Clear the search", scope)
        self.clear_action.setObjectName("inboxClearSearchAction")
        self.clear_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.clear_action.setShortcutContext(context)
        self.clear_action.setEnabled(False)  # Esc stays free for others while there is none
        self.clear_action.triggered.connect(self.clear)
        scope.addAction(self.find_action)
        scope.addAction(self.clear_action)

    def text(self) -> str:
        """The words the list is filtered by now."""
        return self._applied

    @Slot()
    def focus(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    @Slot()
    def clear(self) -> None:
        self.edit.clear()
        self._settled()

    @Slot(str)
    def _typed(self, text: str) -> None:
        self.clear_action.setEnabled(bool(text))
        self._timer.start()

    @Slot()
    def _settled(self) -> None:
        self._timer.stop()
        text = self.edit.text().strip()
        if text != self._applied:
            self._applied = text
            self.changed.emit(text)

    def stop(self) -> None:
        self._timer.stop()
