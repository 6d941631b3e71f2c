"""A small window listing people (name, e-mail, groups), with their addresses to copy.

The groups view opens one for the users behind a count; it never blocks the tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viewer.formats import elided
from viewer.pathway.data import PathwayData, User
from viewer.pathway.follow_up import mail_addresses, unique_addresses
from viewer.pathway.ui.style import DISPLAY, TOOLTIP, tooltip
from viewer.widgets.table_model import RowTableModel
from viewer.widgets.table_view import one_line_rows

_HEADERS = ("Name", "E-mail", "Groups")


class UsersModel(RowTableModel[User]):
    def __init__(self, users: Sequence[User], parent: QWidget | None = None) -> None:
        super().__init__(_HEADERS, parent)
        self.set_rows(users)

    def cell(self, item: User, column: int, role: int) -> Any:
        if role == DISPLAY:
            return elided((item.name, item.email or "", ", ".join(item.groups))[column])
        if role == TOOLTIP:
            return elided(tooltip(item.name, item.email, ", ".join(item.groups)))
        return None

    def sort_key(self, column: int) -> Any:
        keys = (
            lambda u: u.name.casefold(),
            lambda u: (u.email or "").casefold(),
            lambda u: ", ".join(u.groups).casefold(),
        )
        return keys[column]


class UsersWindow(QDialog):
    """``title`` and the users ``uids`` of ``data``; Copy e-mails puts their addresses on
    the clipboard in the form mail clients take."""

    def __init__(
        self, title: str, data: PathwayData, uids: Sequence[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("usersWindow")
        self.setWindowTitle(title)
        self.users = [data.users[uid] for uid in uids]
        people = "person" if len(self.users) == 1 else "people"
        self.summary = QLabel(f"{title}: {len(self.users):,} {people}", self)
        self.summary.setObjectName("usersSummary")
        self.summary.setWordWrap(True)
        self.model = UsersModel(self.users, self)
        self.table = QTableView(self)
        self.table.setObjectName("usersTable")
        self.table.setModel(self.model)
        # Shown sorted by name, as given; the indicator says so before sorting is on.
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        width = self.fontMetrics().averageCharWidth()
        self.table.setColumnWidth(0, 24 * width)
        self.table.setColumnWidth(1, 30 * width)
        one_line_rows(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("Copy e-mails", self)
        self.copy_button.setObjectName("copyEmails")
        self.copy_button.setToolTip("Put these people's addresses on the clipboard")
        self.copy_button.setEnabled(bool(unique_addresses(u.email for u in self.users)))
        self.copy_button.clicked.connect(self.copy_emails)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy_emails(self) -> str:
        text = mail_addresses(user.email for user in self.users)
        QGuiApplication.clipboard().setText(text)
        return text
