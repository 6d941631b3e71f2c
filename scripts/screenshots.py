"""Make the README's screenshots from the real window on the embedded demo data.

    python scripts/screenshots.py [--out resources/screenshots]

The demo server runs in this process on 127.0.0.1 with its data standing still (no clock),
the window opens at 1200x780 on Qt's offscreen platform, and each view is filled, given a
sensible selection and saved with ``QWidget.grab()``. Settings and saved copies go to a
temporary folder and the keyring is swapped for one that refuses every use, so the user's
own are never read or written. The same seed gives the same pictures, so running it again
changes only the images whose views changed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the checkout's own package, not one installed elsewhere
    sys.path.insert(0, str(ROOT))
os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt starts: no window ever appears

import keyring  # noqa: E402
from keyring.backends import fail  # noqa: E402
from PySide6.QtCore import (  # noqa: E402
    QDeadlineTimer,
    QEventLoop,
    QMessageLogContext,
    QModelIndex,
    QSettings,
    QStandardPaths,
    Qt,
    QTimer,
    QtMsgType,
    SignalInstance,
    qInstallMessageHandler,
)
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from viewer.app import application  # noqa: E402
from viewer.auth.settings import SIGN_IN  # noqa: E402
from viewer.connections import ACTIVITY_SERVICE, Connections  # noqa: E402
from viewer.demo.data import ANCHOR  # noqa: E402
from viewer.demo.server import DemoServer  # noqa: E402
from viewer.inbox.ui.settings import NOTIFY_NEW  # noqa: E402
from viewer.pathway.data import COMPLETED  # noqa: E402
from viewer.pathway.ui.matrix_model import FIXED_COLUMNS  # noqa: E402
from viewer.pathway.ui.tab import FETCH_KEY, PathwayTab  # noqa: E402
from viewer.snapshots import SnapshotStore  # noqa: E402
from viewer.window.connections_dialog import ConnectionsDialog  # noqa: E402
from viewer.window.main_window import MainWindow  # noqa: E402

DEFAULT_OUT = ROOT / "resources" / "screenshots"
WINDOW_SIZE = (1200, 780)
#: As ``--demo`` opens it (seed, users, inbox activities), minus the clock: data that
#: stands still gives the same pictures.
DEMO_SEED, DEMO_USERS, DEMO_INBOX = 1, 500, 1000
#: Tried first, so the Connections dialog shows the same address on every run.
PREFERRED_PORT = 47_810
PATHWAY = "Become A Store Owner"
#: The activity opened in the tree: a scored one, so the details show a fulfilment.
OPENED_ACTIVITY = "Hiring Story"
WAIT_MS = 30_000
#: What the pathway status line reads off a clock, and what it says instead (see
#: ``steady_status``): the demo's own "now", and plausible timings.
_CLOCK_READINGS = (
    (re.compile(r"Fetched \d{4}-\d\d-\d\d \d\d:\d\d:\d\d"), "Fetched {anchor}"),
    (re.compile(r"server \d+\.\d+ s"), "server 0.05 s"),
    (re.compile(r"shown in \d+\.\d+ s"), "shown in 0.3 s"),
)
#: Qt's notes that say nothing about the pictures (the offscreen platform has no window
#: manager to pass size hints to).
_QUIET = ("This plugin does not support propagateSizeHints",)
#: Colours of a picture closer than this (on every channel, of 255) share a palette entry.
_SPREAD = 6
#: The file names, in the order the README shows them.
SHOTS = ("pathway-logs", "by-user", "groups", "inbox", "sign-in")


def wait_until(
    condition: Callable[[], bool], *signals: SignalInstance, what: str, timeout_ms: int = WAIT_MS
) -> None:
    """Run the event loop until ``condition`` holds, looking again whenever a signal fires.

    A short timer looks too, for a change that comes with none of the signals.
    """
    deadline = QDeadlineTimer(timeout_ms)
    while not condition():
        if deadline.hasExpired():
            raise TimeoutError(f"Gave up waiting for {what}.")
        loop = QEventLoop()
        for signal in signals:
            signal.connect(loop.quit)
        QTimer.singleShot(min(250, max(1, deadline.remainingTime())), loop.quit)
        loop.exec()
        for signal in signals:
            signal.disconnect(loop.quit)


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if not message.startswith(_QUIET):
        print(message, file=sys.stderr)


def save(widget: QWidget, path: Path) -> Path:
    """The widget as drawn now, as a small PNG (see ``compact``) at Qt's best compression."""
    widget.repaint()
    image = compact(widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32))
    if not image.save(str(path), None, 0):  # the format from the name: PNG
        raise OSError(f"Could not write {path}.")
    return path


def compact(image: QImage) -> QImage:
    """The picture with at most 256 colours, when that changes no pixel by more than a
    shade: a third of the size of full colour, for a window drawn in a few flat colours.

    The palette takes the most frequent colours first, so that every large area keeps its
    exact colour, and skips those within ``_SPREAD`` of one kept (text's smoothed edges);
    a picture that needs more colours than that is kept in full colour.
    """
    pixels = array("I", bytes(image.constBits()))  # RGB32: one 0xffRRGGBB per pixel
    palette: list[int] = []
    for colour, _count in Counter(pixels).most_common():
        if all(_distance(colour, kept) > _SPREAD for kept in palette):
            palette.append(colour)
            if len(palette) > 256:
                return image
    return image.convertToFormat(
        QImage.Format.Format_Indexed8, palette, Qt.ImageConversionFlag.ThresholdDither
    )


def _distance(one: int, other: int) -> int:
    return max(abs((one >> shift & 255) - (other >> shift & 255)) for shift in (0, 8, 16))


def start_demo_server() -> DemoServer:
    """The demo server on its usual port when free, else on any free one."""
    try:
        return _demo_server(PREFERRED_PORT)
    except OSError:  # taken
        return _demo_server(0)


def _demo_server(port: int) -> DemoServer:
    return DemoServer(port=port, seed=DEMO_SEED, users=DEMO_USERS, inbox=DEMO_INBOX).start()


@contextmanager
def isolated(folder: Path) -> Iterator[QSettings]:
    """Settings in ``folder`` and a keyring that refuses every use, for the time of the run."""
    test_mode = QStandardPaths.isTestModeEnabled()
    QStandardPaths.setTestModeEnabled(True)  # any data folder Qt is asked for is a test one
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(NOTIFY_NEW, False)
    try:
        yield settings
    finally:
        keyring.set_keyring(previous)
        QStandardPaths.setTestModeEnabled(test_mode)


# -- the views --------------------------------------------------------------------------


def fetch_pathway(tab: PathwayTab) -> None:
    tab.pathway_input.setEditText(PATHWAY)
    tab.fetch_button.click()
    wait_until(
        lambda: tab.data is not None and not tab.runner.is_running(FETCH_KEY),
        tab.runner.activeChanged,
        what="the pathway's logs",
    )
    if not tab.banner.isHidden():
        raise RuntimeError(f"The fetch failed: {tab.banner.title}: {tab.banner.text}")
    steady_status(tab)


def steady_status(tab: PathwayTab) -> None:
    """Put the demo's "now" and fixed timings in place of the clock readings in the status
    line: they differ on every run, and would change every picture of the tab each time."""
    text = tab.status.text()
    anchor = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ANCHOR))
    for pattern, steady in _CLOCK_READINGS:
        text = pattern.sub(steady.format(anchor=anchor), text)
    tab.status.setText(text)


def select_log(tab: PathwayTab) -> None:
    """Open one activity and select a completed, scored log: the details show all of it."""
    views, model = tab.views, tab.views.tree_model
    root = model.index(0, 0)
    activity = model.index(0, 0, root)
    for row in range(model.rowCount(root)):
        index = model.index(row, 0, root)
        _kind, shown, _log = model.item_at(index)
        if shown is not None and shown.name == OPENED_ACTIVITY:
            activity = index
    views.tree.expand(activity)
    chosen = model.index(0, 0, activity)
    for row in range(2, min(model.rowCount(activity), 50)):  # from the third: rows around it
        index = model.index(row, 0, activity)
        _kind, shown, log = model.item_at(index)
        if shown is not None and shown.states[log] == COMPLETED:
            chosen = index
            break
    views.tree.setCurrentIndex(chosen)
    views.tree.scrollTo(chosen)
    views.tree.setFocus()


def select_matrix_cell(tab: PathwayTab) -> None:
    """Another person than in the tree, on an activity they completed."""
    views, data = tab.views, tab.data
    model = views.matrix_model
    views.setCurrentWidget(views.matrix)
    row, column = 4, len(FIXED_COLUMNS)
    if data is not None:
        uid = model.user_at(row)
        for a, activity in enumerate(data.activities):
            log = activity.by_user[uid]
            if log >= 0 and activity.states[log] == COMPLETED:
                column += a
                break
    views.matrix.setCurrentIndex(model.index(row, column, QModelIndex()))
    views.matrix.setFocus()


def show_groups(tab: PathwayTab) -> None:
    groups = tab.acting.groups
    tab.views.setCurrentWidget(groups)
    wait_until(lambda: bool(groups.rows()), groups.ready, what="the groups' counts")
    groups.table.selectRow(0)
    groups.table.setFocus()


def load_inbox(window: MainWindow) -> None:
    inbox = window.inbox_tab
    window.tabs.setCurrentWidget(inbox)
    wait_until(
        lambda: (
            inbox.model.rowCount() > 0
            and not inbox.model.loading
            and inbox.counts is not None
            and inbox.filters.type_combo.count() > 1
            and inbox.runner.active_count == 0
        ),
        inbox.runner.activeChanged,
        what="the inbox's first page and counts",
    )
    inbox.view.setCurrentIndex(inbox.model.index(1, 0))
    inbox.view.setFocus()


def sign_in_dialog(window: MainWindow) -> ConnectionsDialog:
    """The Connections dialog on the activity log, set to sign in with globaliD."""
    dialog = window.open_connections(ACTIVITY_SERVICE)
    fields = dialog.panels[ACTIVITY_SERVICE].sign_in
    if fields is None:
        raise RuntimeError("The activity panel has no sign-in rows.")
    fields.method.setCurrentIndex(fields.method.findData(SIGN_IN))
    fields.more.setChecked(False)  # the demo's own Connect URL and ports are no example
    application().processEvents()  # the layout takes the hidden rows out
    dialog.adjustSize()
    fields.sign_in_button.setFocus()
    return dialog


# -- the run ------------------------------------------------------------------------------


def take_screenshots(out: Path, folder: Path) -> list[Path]:
    """Every picture of ``SHOTS`` in ``out``; ``folder`` holds this run's settings and copies."""
    app = application()
    previous_handler = qInstallMessageHandler(_qt_message)
    out.mkdir(parents=True, exist_ok=True)
    server = start_demo_server()
    window: MainWindow | None = None
    try:
        with isolated(folder) as settings:
            connections = Connections.to_demo_server(server)
            window = MainWindow(
                connections, settings, snapshots=SnapshotStore(folder / "snapshots")
            )
            window.resize(*WINDOW_SIZE)
            window.show()
            saved: list[Path] = []
            tab = window.pathway_tab
            window.tabs.setCurrentWidget(tab)
            fetch_pathway(tab)
            select_log(tab)
            saved.append(save(window, out / "pathway-logs.png"))
            select_matrix_cell(tab)
            saved.append(save(window, out / "by-user.png"))
            show_groups(tab)
            saved.append(save(window, out / "groups.png"))
            tab.views.setCurrentWidget(tab.views.tree)
            load_inbox(window)
            saved.append(save(window, out / "inbox.png"))
            dialog = sign_in_dialog(window)
            saved.append(save(dialog, out / "sign-in.png"))
            dialog.reject()
            return saved
    finally:
        if window is not None:
            window.close()
            window.deleteLater()
        server.stop()
        app.processEvents()
        qInstallMessageHandler(previous_handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"folder for the PNGs (default {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="activity-viewer-shots-") as folder:
        saved = take_screenshots(args.out, Path(folder))
    for path in saved:
        print(f"{path} ({path.stat().st_size / 1000:.0f} KB)")
    print(f"{len(saved)} screenshots in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    # Times are shown in local time: one zone for every machine that makes the pictures.
    os.environ["TZ"] = "UTC"
    time.tzset()
    sys.exit(main())
