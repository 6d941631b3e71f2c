"""The inbox in the system tray: the unread count drawn on the icon and said in its tooltip,
and a desktop notification when new activities arrive while the window is not active.

The tray icon exists only where the desktop has a tray; the count, the tooltip and the
notifications are worked out here either way (``unread``, ``tooltip``,
``notificationRequested``), so they are the same with or without one. Clicking the icon or
a notification asks for the inbox (``showInboxRequested``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, QSettings, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from viewer.api.activity_types import Activity
from viewer.formats import plural
from viewer.inbox.rows import humanize
from viewer.inbox.ui.settings import notify_new
from viewer.widgets.painted_icon import painted_icon

if TYPE_CHECKING:  # the tray is made before the inbox tab it follows
    from viewer.inbox.ui.tab import InboxTab

#: The size the badged icon says it comes in (it is drawn at any size asked for).
ICON_SIZE = 64
#: How long a notification stays, where the desktop lets the application choose.
NOTIFICATION_MS = 10_000
#: Types named in a notification; the rest are counted.
_NAMED_TYPES = 3
_BADGE = QColor("#d1242f")


def badge_text(unread: int) -> str:
    """What the badge says: nothing for none, the count, or ``99+``."""
    if unread <= 0:
        return ""
    return str(unread) if unread < 100 else "99+"


def tooltip_for(app_name: str, unread: int | None) -> str:
    if unread is None:
        return app_name
    if unread == 0:
        return f"{app_name}: no unread activities"
    return f"{app_name}: {plural(unread, 'unread activity', 'unread activities')}"


def notification_for(activities: Sequence[Activity]) -> tuple[str, str]:
    """``("3 new activities", "2 Security, 1 Payment")``: counts and types only.

    Some notification servers read markup, so server text other than type names stays out,
    and those lose the characters markup is made of.
    """
    kinds = Counter(humanize(a.type) or "Other" for a in activities)
    named = [f"{count:,} {kind}" for kind, count in kinds.most_common(_NAMED_TYPES)]
    rest = sum(kinds.values()) - sum(count for _, count in kinds.most_common(_NAMED_TYPES))
    if rest:
        named.append(f"{rest:,} more")
    body = ", ".join(named).translate({ord(c): None for c in "<>&"})
    return plural(len(activities), "new activity", "new activities"), body


def badge_icon(base: QIcon, text: str, size: int = ICON_SIZE) -> QIcon:
    """``base`` with ``text`` in a red disc at its top right (``base`` alone for no text).

    Drawn afresh for each size and pixel density asked for: the tray of a 200% screen gets
    a sharp icon, not a small one enlarged. ``size`` is the size it says it comes in, for
    a platform that asks before it draws.
    """

    def draw(painter: QPainter, rect: QRectF) -> None:
        side = min(rect.width(), rect.height())
        if base.isNull():
            inset = side / 16
            painter.setBrush(QColor("#1f6feb"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset), side / 6, side / 6)
        else:
            base.paint(painter, rect.toAlignedRect())
        if text:
            disc = QRectF(rect.left() + side / 3, rect.top(), side - side / 3, side * 5 / 8)
            painter.setBrush(_BADGE)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(disc, disc.height() / 2, disc.height() / 2)
            font = QFont(painter.font())
            font.setBold(True)
            font.setPixelSize(max(1, int(disc.height() * (0.7 if len(text) < 3 else 0.55))))
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, text)

    return painted_icon(draw, sizes=(QSize(size, size),))


class InboxTray(QObject):
    """Follows the window's inbox tab; ``close`` takes the icon away."""

    showInboxRequested = Signal()
    #: A desktop notification was asked for: its title and text.
    notificationRequested = Signal(str, str)

    def __init__(
        self,
        window: QWidget,
        settings: QSettings,
        *,
        available: bool | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self.unread: int | None = None
        #: What the badge on the icon says ("" for no badge).
        self.badge = ""
        self.tooltip = tooltip_for(QApplication.applicationName(), None)
        self._base = window.windowIcon()
        if available is None:
            available = QSystemTrayIcon.isSystemTrayAvailable()
        self.icon: QSystemTrayIcon | None = None
        if available:
            self.icon = QSystemTrayIcon(badge_icon(self._base, ""), self)
            self.icon.setToolTip(self.tooltip)
            self.icon.activated.connect(self._activated)
            self.icon.messageClicked.connect(self.showInboxRequested)
            menu = QMenu(window)
            show = QAction("Show the &activity inbox", menu)
            show.triggered.connect(self.showInboxRequested)
            menu.addAction(show)
            self.icon.setContextMenu(menu)
            self.icon.show()

    def follow(self, tab: InboxTab) -> None:
        """Show the counts and news of ``tab`` (a new one after the connections changed)."""
        tab.unreadChanged.connect(self.set_unread)
        tab.activitiesArrived.connect(self.arrived)

    @Slot(int)
    def set_unread(self, unread: int) -> None:
        if unread == self.unread:
            return
        self.unread = unread
        self.badge = badge_text(unread)
        self.tooltip = tooltip_for(QApplication.applicationName(), unread)
        if self.icon is not None:
            self.icon.setIcon(badge_icon(self._base, self.badge))
            self.icon.setToolTip(self.tooltip)

    @Slot(object)
    def arrived(self, activities: list[Activity]) -> None:
        """New activities: a notification, unless the window is in use or it is turned off."""
        window = self._window
        in_use = window.isActiveWindow() and not window.isMinimized()
        if not activities or in_use or not notify_new(self._settings):
            return
        title, text = notification_for(activities)
        self.notificationRequested.emit(title, text)
        if self.icon is not None:
            self.icon.showMessage(title, text, badge_icon(self._base, ""), NOTIFICATION_MS)

    @Slot(QSystemTrayIcon.ActivationReason)
    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.showInboxRequested.emit()

    def close(self) -> None:
        if self.icon is not None:
            self.icon.hide()
