"""The one-line label that elides instead of widening its window, and the bar's text."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QWidget

from viewer.pathway.ui.delegates import text_colour_on
from viewer.widgets.elided_label import ElidedLabel


def test_a_long_text_is_elided_to_the_room_and_kept_whole(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    label = ElidedLabel("", window)
    QHBoxLayout(window).addWidget(label)
    window.resize(300, 40)
    window.show()
    qtbot.waitExposed(window)
    text = "Fetched 2026-12-02 10:04:57 · " + "a very long status line " * 20
    label.setText(text)
    qtbot.wait(1)
    assert window.width() == 300  # the window did not grow
    assert label.text() == text
    shown = super(ElidedLabel, label).text()
    assert shown.endswith("…") and len(shown) < len(text)
    assert "a very long status line" in label.toolTip()
    label.setText("short")
    assert super(ElidedLabel, label).text() == "short" and label.toolTip() == ""


def test_bar_text_is_white_on_dark_fills_and_dark_on_light_ones():
    assert text_colour_on(QColor("#2e9e5b")) == QColor("#ffffff")  # completed green
    assert text_colour_on(QColor("#ef9a2a")) != QColor("#ffffff")  # in-progress orange
    assert text_colour_on(QColor("#e8eaed")) != QColor("#ffffff")  # the empty track
