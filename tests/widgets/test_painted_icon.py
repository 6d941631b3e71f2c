"""Drawn icons stay sharp at 200%: each size and pixel density asked for is drawn afresh,
not a fixed pixmap scaled to fit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap

from viewer.inbox.ui.tray import badge_icon
from viewer.pathway.data import COMPLETED, IN_PROGRESS, NOT_STARTED, OTHER
from viewer.pathway.ui.style import state_icon
from viewer.widgets.painted_icon import painted_icon

ROOT = Path(__file__).resolve().parents[2]
APP_ICON = ROOT / "resources" / "icons" / "app.svg"


@pytest.mark.parametrize("code", [COMPLETED, IN_PROGRESS, NOT_STARTED, OTHER])
@pytest.mark.parametrize("side", [16, 32])
def test_a_state_icon_at_200_percent_has_twice_the_device_pixels(qapp, code, side):
    pixmap = state_icon(code).pixmap(QSize(side, side), 2.0)
    assert pixmap.devicePixelRatio() == 2.0
    assert pixmap.size() == QSize(2 * side, 2 * side)
    # Drawn at those device pixels: the same picture as the icon twice as big at 100%.
    same = state_icon(code).pixmap(QSize(2 * side, 2 * side), 1.0)
    assert pixmap.toImage().convertToFormat(same.toImage().format()) == same.toImage()


def test_the_badged_tray_icon_is_drawn_at_the_trays_density(qapp):
    pixmap = badge_icon(QIcon(str(APP_ICON)), "7").pixmap(QSize(64, 64), 2.0)
    assert pixmap.devicePixelRatio() == 2.0 and pixmap.size() == QSize(128, 128)
    red = pixmap.toImage().pixelColor(120, 40)  # the disc, top right, in device pixels
    assert red.red() > 180 and red.green() < 80


def test_the_app_icon_is_drawn_at_the_screens_density(qapp):
    pixmap = QIcon(str(APP_ICON)).pixmap(QSize(16, 16), 2.0)
    assert pixmap.devicePixelRatio() == 2.0 and pixmap.size() == QSize(32, 32)


def test_a_painted_icon_is_drawn_into_the_rectangle_it_is_given(qapp):
    seen: list[QRectF] = []

    def draw(painter: QPainter, rect: QRectF) -> None:
        seen.append(rect)
        painter.fillRect(rect, QColor("red"))

    icon = painted_icon(draw, sizes=(QSize(22, 22),))
    assert icon.availableSizes() == [QSize(22, 22)]
    image = icon.pixmap(QSize(10, 10), 1.5).toImage()
    assert image.size() == QSize(15, 15) and image.pixelColor(14, 14) == QColor("red")
    assert seen == [QRectF(0, 0, 10, 10)]  # logical units, the painter scales to the pixels


_AT_200 = """
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication
app = QApplication([])
from viewer.inbox.ui.tray import badge_icon
from viewer.pathway.data import COMPLETED
from viewer.pathway.ui.style import state_icon
icons = {"state": state_icon(COMPLETED), "app": QIcon(APP), "badge": badge_icon(QIcon(APP), "3")}
print(app.devicePixelRatio())
for name, icon in icons.items():
    # What a view asks for at the screen's density: a size in logical pixels, no ratio.
    pixmap = icon.pixmap(16, 16)
    print(name, pixmap.width(), pixmap.height(), pixmap.devicePixelRatio())
"""


def test_with_qt_scale_factor_2_views_get_32_pixel_icons_for_16(tmp_path):
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    script = f"APP = {str(APP_ICON)!r}\n" + _AT_200
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    assert lines[0] == "2.0"
    assert lines[1:4] == ["state 32 32 2.0", "app 32 32 2.0", "badge 32 32 2.0"]


def test_an_icon_painted_in_many_cells_is_drawn_once_per_size_and_palette(qapp):
    drawn: list[float] = []

    def draw(painter: QPainter, rect: QRectF) -> None:
        drawn.append(rect.width())
        painter.fillRect(rect, QColor("red"))

    icon = painted_icon(draw)
    target = QPixmap(64, 64)
    target.fill(QColor("white"))
    painter = QPainter(target)
    for row in range(5):  # one column of a view: the same icon, moved down a row each time
        icon.paint(painter, QRect(0, row * 12, 10, 10))
    icon.paint(painter, QRect(0, 0, 20, 20))
    painter.end()
    assert drawn == [10, 20]
    assert target.toImage().pixelColor(5, 4 * 12 + 5) == QColor("red")
    old = qapp.palette()
    try:
        qapp.setPalette(QPalette(QColor("#202020")))  # colours may follow the palette
        painter = QPainter(target)
        icon.paint(painter, QRect(0, 0, 10, 10))
        painter.end()
    finally:
        qapp.setPalette(old)
    assert drawn == [10, 20, 10]
