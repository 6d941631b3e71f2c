"""The names of what a tab can export, and the file names it offers.

Kept apart from the writers (``rows``, ``views``, the CSV and Excel files): the tabs name
their scopes and views when they are built, while the writers load only when something is
exported, so the window opens without them.
"""

from __future__ import annotations

#: The scopes a tab can offer.
SCREEN, EVERYTHING, MATRIX = "screen", "all", "matrix"
#: The pathway's views, as the export command names them.
LOGS, GROUPS, FOLLOW_UP, PROGRESS = "logs", "groups", "follow-up", "progress"
VIEWS = (LOGS, MATRIX, GROUPS, FOLLOW_UP, PROGRESS)


def safe_file_name(name: str, suffix: str = ".csv") -> str:
    """A file name made of ``name``'s harmless characters, never empty."""
    kept = "".join(ch if ch.isalnum() or ch in " -_.()" else "_" for ch in name).strip(" .")
    return (kept[:80] or "export") + suffix
