"""The details pane: everything about one activity, all of it shown as plain text.

Text too long to lay out at once (a title or metadata of megabytes) is shown cut short, and
"Show full text" opens the whole of it.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from viewer.api.activity_types import Activity
from viewer.formats import elided, exact_time, parse_time
from viewer.inbox.rows import humanize, rich_tooltip
from viewer.widgets.elided_label import ElidedLabel
from viewer.widgets.empty_state import EmptyState
from viewer.widgets.full_text import LINE_CHARS, displayable, show_full_text

#: The most characters a label of the pane shows (a word-wrapped label lays out all of it).
LABEL_CHARS = 2000
#: The most characters of metadata the pane shows.
META_CHARS = 100_000


def format_meta(activity: Activity) -> tuple[str, str]:
    """``(heading, text)`` for the metadata: pretty JSON, or the raw text when not JSON."""
    value, is_json = activity.meta()
    if activity.meta_data is None:
        return "Metadata", ""
    if not is_json:
        return "Metadata (not JSON, shown as received)", str(value)
    return "Metadata", _pretty(value)


def _pretty(value: Any) -> str:
    try:
        return json.dumps(value, indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def _plain_label(parent: QWidget, *, selectable: bool = True, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class InboxDetails(QStackedWidget):
    """Shows one activity; an empty state when none is chosen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inboxDetails")
        self._uuid: str | None = None
        self.empty = EmptyState("No activity selected", "Choose an activity to see it here.", self)
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 4, 4, 4)

        self.title = _plain_label(page)
        self.title.setObjectName("detailsTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.description = _plain_label(page)
        self.description.setObjectName("detailsDescription")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind = _plain_label(page)
        self.state = _plain_label(page)
        # UUIDs keep both ends when cut ("3f2a…9c41"), whole in the tooltip and when copied.
        middle = Qt.TextElideMode.ElideMiddle
        self.reference = ElidedLabel("", page, mode=middle, copyable=True)
        self.identity = ElidedLabel("", page, mode=middle, copyable=True)
        self.created = _plain_label(page)
        self.updated = _plain_label(page)
        self.uuid = ElidedLabel("", page, mode=middle, copyable=True)
        for text, widget in (
            ("Type:", self.kind),
            ("State:", self.state),
            ("Created:", self.created),
            ("Updated:", self.updated),
            ("Reference:", self.reference),
            ("Identity:", self.identity),
            ("Activity:", self.uuid),
        ):
            label = _plain_label(page, selectable=False, wrap=False)
            label.setText(text)
            # A field name is never squeezed: the value beside it gives way.
            label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
            label.setBuddy(widget)
            form.addRow(label, widget)

        self.meta_heading = _plain_label(page, selectable=False)
        self.meta = QPlainTextEdit(page)
        self.meta.setObjectName("detailsMeta")
        self.meta.setAccessibleName("Details")
        self.meta.setReadOnly(True)
        self.meta.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.meta.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

        layout.addWidget(self.title)
        layout.addWidget(self.description)
        layout.addLayout(form)
        self.full_text_button = QPushButton("Show full text", page)
        self.full_text_button.setObjectName("showFullText")
        self.full_text_button.setToolTip("Show the whole title, description and metadata")
        self.full_text_button.clicked.connect(self.show_full_text)
        self.full_text_button.hide()
        self._full_text = ""
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.full_text_button)

        layout.addWidget(self.meta_heading)
        layout.addWidget(self.meta, 1)
        layout.addLayout(buttons)
        self.page = page
        self.addWidget(self.empty)
        self.addWidget(page)

    @property
    def current_uuid(self) -> str | None:
        return self._uuid

    def show_activity(self, activity: Activity | None, subtype_label: str = "") -> None:
        if activity is None:
            self._uuid = None
            self.setCurrentWidget(self.empty)
            return
        changed = activity.uuid != self._uuid
        self._uuid = activity.uuid
        self.title.setText(elided(activity.title or "(no title)", LABEL_CHARS))
        self.description.setText(elided(activity.description or "", LABEL_CHARS))
        self.description.setVisible(bool(activity.description))
        kind = humanize(activity.type) or "—"
        raw = activity.type or ""
        if subtype_label:
            kind += f" / {humanize(subtype_label)}"
            raw += f" / {subtype_label}"
        self.kind.setText(kind)
        self.kind.setToolTip(rich_tooltip(raw) if raw else "")
        self.state.setText("Read" if activity.is_read else "Unread")
        self.created.setText(_when(activity.created_at))
        self.updated.setText(_when(activity.updated_at))
        self.reference.setText(activity.reference_uuid or "—")
        self.identity.setText(activity.gid_uuid or "—")
        self.uuid.setText(activity.uuid)
        if changed:
            heading, text = format_meta(activity)
            self.meta_heading.setText(heading if text else "No metadata")
            self.meta.setPlainText(displayable(text, META_CHARS))
            self.meta.setVisible(bool(text))
            self._offer_full_text(activity, heading, text)
        self.setCurrentWidget(self.page)

    def _offer_full_text(self, activity: Activity, heading: str, meta: str) -> None:
        title, description = activity.title or "", activity.description or ""
        cut = max(len(title), len(description)) > LABEL_CHARS or len(meta) > META_CHARS
        if not cut:
            cut = any(len(line) > LINE_CHARS for line in meta.split("\n"))
        self._full_text = f"{title}\n\n{description}\n\n{heading}:\n{meta}" if cut else ""
        self.full_text_button.setVisible(cut)

    def show_full_text(self) -> None:
        if self._full_text:
            show_full_text(self, "Activity", self._full_text)


def _when(text: str | None) -> str:
    when = parse_time(text)
    if when is None:
        return text or "—"
    return exact_time(when)
