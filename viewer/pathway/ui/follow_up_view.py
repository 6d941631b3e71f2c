"""The Follow-up view: who has not completed the chosen activities, and what is missing.

By default every required activity counts; the Activities button chooses others. Copy
e-mails puts the addresses on the clipboard as mail clients take them; Write e-mail…
opens the mail client with them in BCC, in several messages when one link would be too
long for mail clients to accept (it says so first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from viewer.export.scopes import FOLLOW_UP
from viewer.formats import elided
from viewer.pathway.data import ActivityData, PathwayData
from viewer.pathway.follow_up import FollowUpRow, follow_up_rows, mail_addresses, mailto_urls
from viewer.pathway.ui.computed_view import ComputedView
from viewer.pathway.ui.style import ALIGN_RIGHT, ALIGNMENT, DISPLAY, TOOLTIP, tooltip
from viewer.tasks import TaskRunner
from viewer.widgets.table_model import RowTableModel
from viewer.widgets.transient import open_transient

FOLLOW_UP_SCOPE = FOLLOW_UP
HEADERS = ("Name", "E-mail", "Groups", "Done", "Missing")
NAME, EMAIL, GROUPS, DONE, MISSING = range(5)


def full_name(row: FollowUpRow) -> str:
    return " ".join(part for part in (row.firstname, row.lastname) if part) or row.email or ""


class FollowUpModel(RowTableModel[FollowUpRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(HEADERS, parent)

    def cell(self, item: FollowUpRow, column: int, role: int) -> Any:
        if role == DISPLAY:
            if column == NAME:
                return elided(full_name(item))
            if column == EMAIL:
                return elided(item.email or "")
            if column == GROUPS:
                return elided(", ".join(item.groups))
            if column == DONE:
                return f"{item.required_completed} of {item.required_total}"
            return elided("; ".join(item.missing))
        if role == ALIGNMENT and column == DONE:
            return ALIGN_RIGHT
        if role == TOOLTIP:
            return elided(tooltip(full_name(item), "Missing:", *item.missing))
        return None

    def sort_key(self, column: int) -> Callable[[FollowUpRow], Any]:
        keys: tuple[Callable[[FollowUpRow], Any], ...] = (
            lambda row: full_name(row).casefold(),
            lambda row: (row.email or "").casefold(),
            lambda row: ", ".join(row.groups).casefold(),
            lambda row: (row.required_completed, -len(row.missing)),
            lambda row: "; ".join(row.missing).casefold(),
        )
        return keys[column]


class FollowUpView(ComputedView[FollowUpRow]):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(
            runner,
            FollowUpModel(),
            name="pathwayFollowUp",
            scope=FOLLOW_UP_SCOPE,
            waiting="Finding who has something left to do…",
            parent=parent,
        )
        self.table.setAccessibleName("People with something missing")
        self.model.setParent(self)
        self.question: QMessageBox | None = None
        #: The activities that count, by position; ``None``: the required ones.
        self.chosen: list[int] | None = None
        self.activity_list = QListWidget(self)
        self.activity_list.setObjectName("followUpActivities")
        self.activity_list.setAccessibleName("Activities that count")
        self.activity_list.setMinimumWidth(320)
        self.activity_list.itemChanged.connect(self._activity_toggled)
        self.choose_button = QToolButton(self)
        self.choose_button.setObjectName("followUpChoose")
        self.choose_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.choose_button.setToolTip("Which activities someone must have completed")
        menu = QMenu(self.choose_button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.activity_list)
        menu.addAction(holder)
        menu.addSeparator()
        menu.addAction("Every required activity", self.choose_required)
        self.choose_button.setMenu(menu)
        self.copy_button = QPushButton("Copy e-mails", self)
        self.copy_button.setObjectName("followUpCopy")
        self.copy_button.setToolTip("Put these people's addresses on the clipboard")
        self.copy_button.clicked.connect(self.copy_emails)
        self.mail_button = QPushButton("Write e-mail…", self)
        self.mail_button.setObjectName("followUpMail")
        self.mail_button.setToolTip("Open the mail client with these people in BCC")
        self.mail_button.clicked.connect(self.write_email)
        self.buttons.insertWidget(0, self.choose_button)
        for button in (self.copy_button, self.mail_button):
            self.buttons.insertWidget(self.buttons.count() - 1, button)
        # The missing activities (the last column) take what the others leave.
        samples = ("Emily Søndergaard", "emily.sondergaard@example.com", "Group A, Sales")
        self.set_widths((*samples, "10 of 10 ·", "Sales Targets Workshop"))
        self._update_choice_text()
        self.rows_shown([])

    # -- which activities count -----------------------------------------------------------

    def set_pathway_data(self, data: PathwayData | None) -> None:
        old = self.data
        same = (
            old is not None
            and data is not None
            and [a.label for a in old.activities] == [a.label for a in data.activities]
        )
        if not same:
            self.chosen = None
        self._fill_activities(data)
        super().set_pathway_data(data)

    def _fill_activities(self, data: PathwayData | None) -> None:
        box = self.activity_list
        box.blockSignals(True)
        box.clear()
        for position, activity in enumerate(data.activities if data else ()):
            text = activity.label + ("" if activity.required else " (optional)")
            item = QListWidgetItem(elided(text), box)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = activity.required if self.chosen is None else position in self.chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        box.setFixedHeight(min(18, max(box.count(), 1)) * (box.sizeHintForRow(0) or 20) + 8)
        box.blockSignals(False)
        self._update_choice_text()

    def chosen_activities(self) -> list[ActivityData] | None:
        data = self.data
        if data is None or self.chosen is None:
            return None
        return [data.activities[p] for p in self.chosen if p < len(data.activities)]

    def choose(self, positions: Sequence[int] | None) -> None:
        """Count ``positions`` of the data's activities (``None``: the required ones)."""
        self.chosen = None if positions is None else sorted(set(positions))
        self._fill_activities(self.data)
        self.recompute()

    @Slot()
    def choose_required(self) -> None:
        self.choose(None)

    @Slot(QListWidgetItem)
    def _activity_toggled(self, _item: QListWidgetItem) -> None:
        box = self.activity_list
        checked = [
            r for r in range(box.count()) if box.item(r).checkState() == Qt.CheckState.Checked
        ]
        self.chosen = checked
        self._update_choice_text()
        self.recompute()

    def _update_choice_text(self) -> None:
        text = "all required" if self.chosen is None else f"{len(self.chosen)} chosen"
        self.choose_button.setText(f"Activities: {text}")

    def compute(self, data: PathwayData) -> Callable[[], list[FollowUpRow]]:
        chosen = self.chosen_activities()
        if chosen is not None and not chosen:
            return lambda: []
        return lambda: follow_up_rows(data, chosen)

    def describe(self, rows: list[FollowUpRow]) -> str:
        if self.chosen is not None and not self.chosen:
            return "No activity chosen: choose the activities people must have completed."
        what = "every required activity" if self.chosen is None else "the chosen activities"
        if not rows:
            return f"Everyone has completed {what}."
        people = "person has" if len(rows) == 1 else "people have"
        return f"{len(rows):,} {people} not completed {what}."

    def rows_shown(self, rows: list[FollowUpRow]) -> None:
        has_mail = any(row.email for row in rows)
        self.copy_button.setEnabled(has_mail)
        self.mail_button.setEnabled(has_mail)

    # -- writing to them ------------------------------------------------------------------

    def _emails(self) -> list[str | None]:
        return [row.email for row in self.rows()]

    @Slot()
    def copy_emails(self) -> str:
        text = mail_addresses(self._emails())
        QGuiApplication.clipboard().setText(text)
        count = len(text.split(", ")) if text else 0
        self.statusMessage.emit(f"Copied {count:,} {'address' if count == 1 else 'addresses'}")
        return text

    @Slot()
    def write_email(self) -> list[str]:
        """Open a message per link; with more than one, ask first (without blocking)."""
        urls = mailto_urls(self._emails())
        if len(urls) <= 1:
            self._open(urls)
            return urls
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Write e-mail",
            f"These addresses need {len(urls)} messages: a mail link may hold about 2,000 "
            f"characters, so each message gets some of the people in BCC. Open "
            f"{len(urls)} messages in your mail client?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("followUpMailQuestion")
        box.setTextFormat(Qt.TextFormat.PlainText)
        open_button = box.button(QMessageBox.StandardButton.Open)
        box.buttonClicked.connect(lambda b: self._open(urls) if b is open_button else None)
        self.question = box
        open_transient(box, self._question_gone)
        return urls

    def _open(self, urls: Sequence[str]) -> None:
        strict = QUrl.ParsingMode.StrictMode
        failed = sum(not QDesktopServices.openUrl(QUrl(url, strict)) for url in urls)
        if failed:
            self.statusMessage.emit("No mail client opened: copy the e-mails instead.")
        elif urls:
            count = len(urls)
            self.statusMessage.emit(f"Opened {count} {'message' if count == 1 else 'messages'}")

    @Slot()
    def _question_gone(self) -> None:
        self.question = None
