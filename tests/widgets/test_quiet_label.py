"""Secondary text stays readable when the application's palette turns dark at run time."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.palettes import dark_palette
from viewer.widgets.empty_state import EmptyState
from viewer.widgets.tones import contrast


def text_contrast(qtbot, label) -> float:
    """How far the label's drawn text stands out from its window: the strongest contrast
    of any pixel with the background (the core of a letter's stroke)."""
    label.resize(label.sizeHint())
    image = label.grab().toImage()
    window = image.pixelColor(0, 0)
    return max(
        contrast(image.pixelColor(x, y), window)
        for y in range(image.height())
        for x in range(image.width())
    )


def test_quiet_text_is_the_mid_tone_on_light_and_readable_on_dark(qtbot):
    light = QApplication.palette()
    empty = EmptyState("Nothing", "Fetch something to see it here.")
    qtbot.addWidget(empty)
    assert empty.text.styleSheet() == "color: palette(mid);"  # as it always was
    before = text_contrast(qtbot, empty.text)
    try:
        QApplication.setPalette(dark_palette())  # the desktop turned dark while running
        assert text_contrast(qtbot, empty.text) >= 4.5
    finally:
        QApplication.setPalette(light)
    assert empty.text.styleSheet() == "color: palette(mid);"
    assert text_contrast(qtbot, empty.text) == before
