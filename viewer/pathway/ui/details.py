"""The details pane: every field of the selected pathway, activity or log, nothing dropped.

Fulfilment payloads of any type, documented or not, are shown as nested keys and values.
Server text only ever goes into item text (shown as plain text) or escaped tooltips. A value
too long to lay out is shown elided; "Show full text" opens the whole of it. The field names'
column is as wide as its longest name, up to a share of the pane, so values keep the most
room; a value cut by the pane's width is elided in its middle (an ID or a time keeps both
ends), and every field and value is whole in its tooltip.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.formats import elided, joined, local_time, percent
from viewer.pathway.data import OTHER, STATE_LABELS, ActivityData, PathwayData
from viewer.pathway.ui.style import tooltip
from viewer.widgets.elided_label import ElidedLabel
from viewer.widgets.full_text import show_full_text
from viewer.widgets.middle_elided import MiddleElidedDelegate

#: Nested payloads deeper than this are shown as their text, not expanded further.
_MAX_DEPTH = 12
#: A list or object with more members shows this many and says how many more there are.
_MAX_CHILDREN = 500
#: Where an item keeps the whole of a value it shows elided.
_FULL_TEXT = Qt.ItemDataRole.UserRole + 1
#: The field names' column: at least this many characters, and at most what leaves values
#: the room of a time to the second, or this share of the pane (whichever gives names more).
_LEAST_FIELD_CHARS = 8
_VALUE_SAMPLE = "0000-00-00 00:00:00"
_MOST_FIELD_SHARE = 0.4
#: Nested fields step in by this much (Qt's 20 px leaves names little room in a side pane).
_INDENT = 12


def scalar_text(value: Any) -> str:
    """A payload value as JSON would spell it: true, false, null, numbers, strings."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class DetailsPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathwayDetails")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)
        # One line whatever the pane's width; a long title is elided, whole in its tooltip.
        self.title = ElidedLabel("Select a row to see its details", self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("pathwayDetailsTree")
        self.tree.setAccessibleName("Details")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Field", "Value"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(_INDENT)
        self.tree.header().setStretchLastSection(True)
        self.tree.setItemDelegateForColumn(1, MiddleElidedDelegate(self.tree))
        #: How wide the field names' column would be to show every name whole.
        self.field_width = 0
        self.tree.viewport().installEventFilter(self)
        self._fit_fields()
        self.full_text_button = QPushButton("Show full text", self)
        self.full_text_button.setObjectName("showFullText")
        self.full_text_button.setToolTip("Show the whole of the selected value, which is long")
        self.full_text_button.setEnabled(False)
        self.full_text_button.clicked.connect(self.show_full_text)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemDoubleClicked.connect(self.show_full_text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.full_text_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)

    # -- what the tab calls ---------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.tree.viewport():
            self._fit_fields()
        return super().eventFilter(watched, event)

    def _fit_fields(self) -> None:
        """Field names as wide as the longest needs, within bounds that leave values room."""
        metrics = self.tree.fontMetrics()
        unit = metrics.averageCharWidth()
        room = self.tree.viewport().width()
        value = metrics.horizontalAdvance(_VALUE_SAMPLE) + unit + 4
        most = max(int(room * _MOST_FIELD_SHARE), room - value)
        least = _LEAST_FIELD_CHARS * unit
        self.tree.setColumnWidth(0, max(least, min(self.field_width, most)))

    def _measure_fields(self) -> int:
        metrics = self.tree.fontMetrics()
        indent = self.tree.indentation()
        pad = metrics.averageCharWidth() + 4  # the cell's margins
        widest = metrics.horizontalAdvance(self.tree.headerItem().text(0))

        def walk(item: QTreeWidgetItem | None, depth: int) -> None:
            nonlocal widest
            if item is None:
                return
            # Depth 0 still has its branch arrow's width before the text.
            width = (depth + 1) * indent + metrics.horizontalAdvance(item.text(0))
            widest = max(widest, width)
            for i in range(item.childCount()):
                walk(item.child(i), depth + 1)

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i), 0)
        return widest + pad

    def clear(self) -> None:
        self.title.setText("Select a row to see its details")
        self.tree.clear()
        self.field_width = 0
        self._fit_fields()

    def show_pathway(self, data: PathwayData) -> None:
        pathway = data.pathway
        self._begin(f"Pathway: {pathway.name or pathway.ID or ''}")
        self._add(None, "Name", pathway.name)
        self._add(None, "ID", pathway.ID)
        self._add(None, "Type", pathway.type)
        fetched = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(data.fetched_at))
        answer = self._add(None, "Answer", "")
        self._add(answer, "Fetched", fetched)
        self._add(answer, "Hash", data.hash)
        if data.response_time is not None:
            self._add(answer, "Response time", f"{data.response_time:.3f} s")
        self._add(answer, "Size (bytes)", f"{data.response_size:,}")
        if data.query is not None:
            self._add(answer, "Query", data.query.describe())
        counts = self._add(None, "Counts", "")
        self._add(counts, "Activities", f"{len(data.activities):,}")
        self._add(counts, "Required activities", f"{data.required_count:,}")
        self._add(counts, "Users", f"{len(data.users):,}")
        self._add(counts, "Logs", f"{data.log_count:,}")
        for code, count in enumerate(data.state_counts()):
            self._add(counts, STATE_LABELS[code], f"{count:,}")
        self._end()

    def show_activity(self, activity: ActivityData) -> None:
        self._begin(f"Activity: {activity.label}")
        self._add(None, "Name", activity.name)
        self._add(None, "ID", activity.ID)
        self._add(None, "Type", activity.type)
        self._add(None, "Fulfilment type", activity.fulfilment_type)
        self._add(None, "Required", activity.required)
        self._add(None, "Level", activity.level)
        stats = self._add(None, "Stats (from the server)", "")
        self._add(stats, "Total", activity.stats_total)
        self._add(stats, "Completed", activity.stats_completed)
        counted = self._add(None, "Logs received", f"{len(activity):,}")
        for code, count in enumerate(activity.counts):
            self._add(counted, STATE_LABELS[code], f"{count:,}")
        self._end()

    def show_user(self, data: PathwayData, uid: int) -> None:
        user = data.users[uid]
        self._begin(f"User: {user.name or user.email or ''}")
        self._add(None, "Name", user.name)
        self._add(None, "First name", user.firstname)
        self._add(None, "Last name", user.lastname)
        self._add(None, "Email", user.email)
        self._add(None, "Telephone", user.telephone)
        self._add(None, "Country", user.country)
        self._add(None, "City", user.city)
        self._add(None, "Groups", joined(user.groups))
        share = data.required_share[uid]
        self._add(None, "Required activities done", "—" if share != share else percent(share * 100))
        states = self._add(None, "Activities", "")
        for activity in data.activities:
            row = activity.by_user[uid]
            code = activity.states[row] if row >= 0 else None
            state = (
                "No log"
                if code is None
                else (code == OTHER and activity.state_text[row]) or STATE_LABELS.get(code, "")
            )
            self._add(states, activity.label, state)
        self._end()

    def show_log(self, data: PathwayData, activity: ActivityData, row: int) -> None:
        user = data.users[activity.users[row]]
        self._begin(f"{user.name or user.email or 'Log'} — {activity.label}")
        person = self._add(None, "User", user.name)
        self._add(person, "First name", user.firstname)
        self._add(person, "Last name", user.lastname)
        self._add(person, "Email", user.email)
        self._add(person, "Telephone", user.telephone)
        self._add(person, "Country", user.country)
        self._add(person, "City", user.city)
        self._add(person, "Groups", joined(user.groups))
        share = data.required_share[activity.users[row]]
        if share == share:
            self._add(person, "Required done", percent(share * 100))
        owner = self._add(None, "Activity", activity.label)
        self._add(owner, "ID", activity.ID)
        self._add(owner, "Type", activity.type)
        self._add(owner, "Fulfilment type", activity.fulfilment_type)
        status = self._add(None, "Status", activity.state_text[row])
        self._add(status, "Complete", activity.complete[row])
        self._add(status, "State", activity.state_text[row])
        progress = activity.progress[row]
        self._add(status, "Progress", None if progress != progress else percent(progress))
        stamp = activity.timestamps[row]
        self._add(status, "Timestamp", stamp)
        if stamp:
            self._add(status, "Local time", local_time(stamp))
        info = activity.fulfilment_at(row)
        if info is None:
            self._add(None, "Fulfilment", "nothing recorded")
        else:
            fulfilment = self._add(None, "Fulfilment", info.summary())
            self._add(fulfilment, "Type", info.type)
            self._add(fulfilment, "State", info.state)
            self._add(fulfilment, "Progress", info.progress)
            self._add(fulfilment, "Timestamp", info.timestamp)
            for key, value in info.payload.items():
                self._add_value(fulfilment, str(key), value, 0)
        self._end()

    # -- building -------------------------------------------------------------------------

    def _begin(self, title: str) -> None:
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        self.title.setText(elided(title))

    def _end(self) -> None:
        self.tree.expandAll()
        self.field_width = self._measure_fields()
        self._fit_fields()
        self.tree.setUpdatesEnabled(True)

    def _add(self, parent: QTreeWidgetItem | None, key: str, value: Any) -> QTreeWidgetItem:
        text = "" if value == "" else scalar_text(value)
        shown = elided(text)
        item = QTreeWidgetItem([elided(key), shown])
        item.setToolTip(0, elided(tooltip(item.text(0))))  # whole where the column cuts it
        if text:
            item.setToolTip(1, elided(tooltip(shown)))
        long_key = len(key) > len(item.text(0))
        if long_key or shown is not text:
            item.setData(0, _FULL_TEXT, f"{key}\n\n{text}" if long_key else text)
        if parent is None:
            self.tree.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def _add_value(self, parent: QTreeWidgetItem | None, key: str, value: Any, depth: int) -> None:
        if isinstance(value, dict | list) and depth < _MAX_DEPTH:
            pairs = (
                [(str(k), v) for k, v in value.items()]
                if isinstance(value, dict)
                else [(f"[{i}]", v) for i, v in enumerate(value)]
            )
            empty = "{}" if isinstance(value, dict) else "[]"
            node = self._add(parent, key, "" if pairs else empty)
            for child_key, child in pairs[:_MAX_CHILDREN]:
                self._add_value(node, child_key, child, depth + 1)
            if len(pairs) > _MAX_CHILDREN:
                self._add(node, "…", f"{len(pairs) - _MAX_CHILDREN:,} more not shown")
        else:
            self._add(parent, key, value)

    # -- the whole of a long value ---------------------------------------------------------

    @Slot()
    def _current_changed(self) -> None:
        item = self.tree.currentItem()
        self.full_text_button.setEnabled(item is not None and item.data(0, _FULL_TEXT) is not None)

    @Slot()
    def show_full_text(self) -> None:
        item = self.tree.currentItem()
        text = None if item is None else item.data(0, _FULL_TEXT)
        if item is not None and isinstance(text, str):
            show_full_text(self, item.text(0), text)

    def rows(self) -> list[tuple[int, str, str]]:
        """Every (depth, field, value) shown, in order; for tests and copying."""
        found: list[tuple[int, str, str]] = []

        def walk(item: QTreeWidgetItem | None, depth: int) -> None:
            if item is None:
                return
            found.append((depth, item.text(0), item.text(1)))
            for i in range(item.childCount()):
                walk(item.child(i), depth + 1)

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i), 0)
        return found
