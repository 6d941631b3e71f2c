"""Work put off until a window's first paint runs once, after that paint."""

from __future__ import annotations

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget

from viewer.widgets.first_paint import after_first_paint


class Recording(QWidget):
    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self.events = events

    def paintEvent(self, event: QPaintEvent) -> None:
        self.events.append("paint")
        super().paintEvent(event)


def test_put_off_work_runs_once_after_the_first_paint(qtbot):
    events: list[str] = []
    widget = Recording(events)
    qtbot.addWidget(widget)
    after_first_paint(widget, lambda: events.append("work"), at_latest_ms=60_000)
    widget.show()
    assert "work" not in events  # not from show(): only from the event loop
    qtbot.waitUntil(lambda: "work" in events)
    assert events.index("paint") < events.index("work")
    widget.repaint()
    widget.repaint()
    qtbot.waitUntil(lambda: events.count("paint") >= 3)
    assert events.count("work") == 1


def test_put_off_work_runs_at_the_latest_after_its_wait_when_nothing_paints(qtbot):
    events: list[str] = []
    widget = Recording(events)
    qtbot.addWidget(widget)
    after_first_paint(widget, lambda: events.append("work"), at_latest_ms=50)
    qtbot.waitUntil(lambda: "work" in events)
    assert events == ["work"]
