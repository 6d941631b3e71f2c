"""Work put off until a window has painted for the first time.

Whatever the first paint does not need (loading the demo server, a tab's first requests)
slows the moment the window appears if done before it. ``after_first_paint`` runs it from
the event loop just after that paint instead, or after ``at_latest_ms`` if the window is
never painted (hidden, or started minimized).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtWidgets import QWidget

#: How long work waits for a window that never paints.
AT_LATEST_MS = 2000


class _FirstPaint(QObject):
    """Watches one widget's events until its first paint, then runs ``callback`` once."""

    def __init__(self, widget: QWidget, callback: Callable[[], object], at_latest_ms: int) -> None:
        super().__init__(widget)
        self._widget: QWidget | None = widget
        self._callback: Callable[[], object] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(at_latest_ms, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self._widget:
            # After this paint has reached the screen, not in the middle of it.
            QTimer.singleShot(0, self, self._run)
        return False

    @Slot()
    def _run(self) -> None:
        callback, self._callback = self._callback, None
        if self._widget is not None:
            self._widget.removeEventFilter(self)
            self._widget = None
        if callback is not None:
            callback()


def after_first_paint(
    widget: QWidget, callback: Callable[[], object], *, at_latest_ms: int = AT_LATEST_MS
) -> None:
    """Run ``callback`` from the event loop once ``widget`` has painted (or after
    ``at_latest_ms``); not at all if the widget is deleted first."""
    _FirstPaint(widget, callback, at_latest_ms)
