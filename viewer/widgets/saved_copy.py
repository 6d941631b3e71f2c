"""The offer of a saved copy, made on a tab's banner when its server cannot be reached."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from viewer.snapshots import Snapshot
from viewer.widgets.banner import Banner

SHOW_SAVED_COPY = "Show saved copy"


def saved_copy_text(snapshot: Snapshot, *, offline: bool) -> str:
    """What the status line says of a shown copy: "Offline" only when a fetch failed for lack
    of network, not when the copy was opened by choice."""
    text = f"saved copy from {snapshot.age()} ({snapshot.fetched_utc})"
    return f"Offline — {text}" if offline else text[0].upper() + text[1:]


class SavedCopyOffer(QObject):
    """A "Show saved copy" button on ``banner``, shown while a copy is on offer.

    ``accepted`` carries the offered snapshot when the button is clicked.
    """

    accepted = Signal(object)

    def __init__(self, banner: Banner, tooltip: str = "") -> None:
        super().__init__(banner)
        self.snapshot: Snapshot | None = None
        self.button = banner.add_button(SHOW_SAVED_COPY, "showSavedCopy", tooltip)
        self.button.clicked.connect(self._clicked)
        banner.dismissed.connect(self.withdraw)

    def offer(self, snapshot: Snapshot | None) -> str:
        """Offer ``snapshot`` (or nothing); the sentence to add to the error message."""
        self.snapshot = snapshot
        self.button.setVisible(snapshot is not None)
        return "" if snapshot is None else f" A copy saved {snapshot.age()} can be shown instead."

    def withdraw(self) -> None:
        self.snapshot = None
        self.button.hide()

    def _clicked(self) -> None:
        snapshot = self.snapshot
        if snapshot is not None:
            self.accepted.emit(snapshot)
