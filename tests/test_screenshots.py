"""The README's screenshots script: it makes every picture, at the window's size, filled in."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QColor, QImage

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "screenshots.py"
README = SCRIPT.parents[1] / "README.md"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def colours(image: QImage, step: int = 4) -> int:
    """How many colours a grid of the picture's pixels holds: a blank one has one or two."""
    return len(
        {
            image.pixel(x, y)
            for y in range(0, image.height(), step)
            for x in range(0, image.width(), step)
        }
    )


def test_the_script_makes_every_picture_at_the_window_size_and_filled_in(
    qapp, script, tmp_path, memory_keyring
) -> None:
    assert script.main(["--out", str(tmp_path)]) == 0
    images = {name: QImage(str(tmp_path / f"{name}.png")) for name in script.SHOTS}
    for name, image in images.items():
        assert not image.isNull(), name
        if name == "sign-in":  # the dialog at the size its fields need
            assert 540 <= image.width() < 1200 and 300 <= image.height() < 780, image.size()
        else:
            assert (image.width(), image.height()) == script.WINDOW_SIZE, name
        assert colours(image) >= 20, f"{name} looks blank"
        assert (tmp_path / f"{name}.png").stat().st_size < 250_000, name
    window_shots = [images[name] for name in script.SHOTS if name != "sign-in"]
    assert all(a != b for i, a in enumerate(window_shots) for b in window_shots[i + 1 :])
    assert memory_keyring.passwords == {}  # the demo keeps no token anywhere


def test_a_picture_of_few_colours_is_kept_exactly_with_a_palette(qapp, script) -> None:
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("#e8e8ec"))
    for x in range(10, 30):
        image.setPixelColor(x, 5, QColor("#2e9b57"))
    small = script.compact(image)
    assert small.format() == QImage.Format.Format_Indexed8
    assert small.convertToFormat(QImage.Format.Format_RGB32) == image


def test_a_picture_of_many_distinct_colours_stays_in_full_colour(qapp, script) -> None:
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    for y in range(64):
        for x in range(64):
            image.setPixelColor(x, y, QColor(x * 4, y * 4, 128))
    assert script.compact(image).format() == QImage.Format.Format_RGB32


def test_the_readme_shows_every_picture_the_script_makes(script) -> None:
    text = README.read_text(encoding="utf-8")
    for name in script.SHOTS:
        assert f"(resources/screenshots/{name}.png)" in text, name
