"""How the pathway tree's fitted columns share a width too small for all of them."""

from __future__ import annotations

from viewer.pathway.columns import EMAIL, NAME, PROGRESS, RESULT, STATE, UPDATED
from viewer.pathway.ui.tree_columns import fitted_widths

NATURAL = {NAME: 200, STATE: 100, PROGRESS: 80, RESULT: 100, EMAIL: 180, UPDATED: 120}
LEAST = {NAME: 150, EMAIL: 80, RESULT: 70}


def test_name_takes_the_room_to_spare():
    widths = fitted_widths(NATURAL, LEAST, 900)
    assert widths[NAME] == 200 + 900 - sum(NATURAL.values())
    assert {c: w for c, w in widths.items() if c != NAME} == {
        c: w for c, w in NATURAL.items() if c != NAME
    }


def test_the_email_gives_up_width_first():
    widths = fitted_widths(NATURAL, LEAST, sum(NATURAL.values()) - 60)
    assert widths[EMAIL] == 120
    assert widths[NAME] == 200 and widths[RESULT] == 100
    assert sum(widths.values()) == sum(NATURAL.values()) - 60


def test_name_and_result_share_the_loss_once_the_email_is_at_its_least():
    room = sum(NATURAL.values()) - 100 - 40
    widths = fitted_widths(NATURAL, LEAST, room)
    assert widths[EMAIL] == 80
    assert 150 < widths[NAME] < 200 and 70 < widths[RESULT] < 100
    assert sum(widths.values()) <= room


def test_below_every_least_the_essential_columns_still_fit():
    widths = fitted_widths(NATURAL, LEAST, 470)
    assert widths[NAME] + widths[STATE] + widths[PROGRESS] + widths[RESULT] <= 470
    assert widths[NAME] >= 150 and widths[STATE] == 100 and widths[PROGRESS] == 80
    assert widths[EMAIL] == 80 and widths[UPDATED] == 120  # off to the right, not crushed
