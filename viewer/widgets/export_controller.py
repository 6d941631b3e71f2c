"""Export CSV from a tab: choose what and where, then write it off the GUI thread.

Each tab hands an ``ExportController`` its scopes (what can be exported) and a function
that, in the GUI thread, takes a snapshot of the chosen scope and returns the job to run.
The job makes the rows and writes the file in a worker thread through the tab's
``TaskRunner``; a progress dialog shows how far it got and offers Cancel. A cancelled or
failed export leaves no file (``write_csv`` writes to a temporary file first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from viewer.api.errors import ApiError
from viewer.formats import plural
from viewer.tasks import TaskHandle, TaskRunner
from viewer.widgets.accessibility import name_controls
from viewer.widgets.transient import open_transient

if TYPE_CHECKING:  # the writers load at the first export, not with the window
    from viewer.export.rows import Prepare

SHORTCUT = "Ctrl+E"
_LAST_FOLDER = "export/folder"
#: What Browse… offers; a name ending in .xlsx is written as an Excel workbook.
_FILE_FILTERS = ("CSV files (*.csv)", "Excel workbooks (*.xlsx)", "All files (*)")


class ExportDialog(QDialog):
    """What to export and where; Browse… opens a file dialog for the destination.

    Save asks for the export (``saveRequested``) and the dialog stays open while it runs: it
    closes when the file is written, and after a failure it says why, with the choices kept.
    """

    saveRequested = Signal()

    def __init__(
        self,
        scopes: Sequence[tuple[str, str]],
        path: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export CSV")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Export:", self))
        self.scope_group = QButtonGroup(self)
        self.scope_group.setExclusive(True)
        self.scope_buttons: dict[str, QRadioButton] = {}
        for number, (key, label) in enumerate(scopes):
            button = QRadioButton(label, self)
            button.setObjectName(f"exportScope_{key}")
            self.scope_group.addButton(button, number)
            self.scope_buttons[key] = button
            layout.addWidget(button)
            button.setChecked(number == 0)
        self._keys = [key for key, _label in scopes]
        row = QHBoxLayout()
        self.path_edit = QLineEdit(path, self)
        self.path_edit.setObjectName("exportPath")
        self.path_edit.setMinimumWidth(360)
        self.path_edit.setAccessibleName("File")
        self.browse_button = QPushButton("&Browse…", self)
        self.browse_button.setObjectName("exportBrowse")
        self.browse_button.clicked.connect(self.browse)
        file_label = QLabel("&File:", self)
        file_label.setBuddy(self.path_edit)
        row.addWidget(file_label)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        #: Why the last try failed; plain text, since it may quote a server or a path.
        self.error_label = QLabel(self)
        self.error_label.setObjectName("exportError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept_if_named)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons
        name_controls(self)

    def scope(self) -> str:
        return self._keys[max(0, self.scope_group.checkedId())]

    def path(self) -> str:
        return self.path_edit.text().strip()

    @Slot()
    def browse(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export CSV", self.path(), ";;".join(_FILE_FILTERS)
        )
        if path:
            if not Path(path).suffix:
                path += ".xlsx" if chosen == _FILE_FILTERS[1] else ".csv"
            self.path_edit.setText(path)

    def set_busy(self, busy: bool) -> None:
        """Choices locked while an export runs (Cancel is in the progress dialog)."""
        for widget in (*self.scope_buttons.values(), self.path_edit, self.browse_button):
            widget.setEnabled(not busy)
        self.buttons.setEnabled(not busy)
        if busy:
            self.error_label.hide()

    def show_error(self, title: str, message: str) -> None:
        self.set_busy(False)
        self.error_label.setText(f"{title}: {message}")
        self.error_label.show()
        self.path_edit.setFocus()

    @Slot()
    def _accept_if_named(self) -> None:
        if self.path():
            self.saveRequested.emit()
        else:
            self.show_error("No file chosen", "Enter the file to write, or choose it with Browse…")


class ExportController(QObject):
    """The Export CSV… action of one tab, its dialog, and the running export."""

    #: An export ended: (ok, message). The message is also shown to the user.
    finished = Signal(bool, str)

    def __init__(
        self,
        tab: QWidget,
        runner: TaskRunner,
        scopes: Sequence[tuple[str, str]],
        snapshot: Callable[[str], Prepare | None],
        *,
        status: Callable[[str], None],
        default_name: Callable[[], str],
        settings: Any = None,
    ) -> None:
        super().__init__(tab)
        self.tab = tab
        self.runner = runner
        self.scopes = list(scopes)
        self._snapshot = snapshot
        self._status = status
        self._default_name = default_name
        self._settings = settings
        self.handle: TaskHandle | None = None
        self.progress: QProgressDialog | None = None
        self.dialog: ExportDialog | None = None
        self.message_box: QMessageBox | None = None
        self._path = ""
        self.action = QAction("Export CSV…", tab)
        self.action.setObjectName("exportCsvAction")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action.setToolTip(f"Write what this tab shows to a CSV file ({SHORTCUT})")
        self.action.triggered.connect(self.open_dialog)
        tab.addAction(self.action)

    @property
    def running(self) -> bool:
        return self.handle is not None

    # -- choosing -------------------------------------------------------------------------

    def _folder(self) -> str:
        stored = self._settings.value(_LAST_FOLDER, "") if self._settings is not None else ""
        if stored and Path(str(stored)).is_dir():
            return str(stored)
        return suggested_folder(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        )

    @Slot()
    def open_dialog(self, scope: str | None = None) -> ExportDialog | None:
        """Show the dialog (without blocking), ``scope`` chosen; Save starts the export."""
        if self.running:
            self._status("An export is already running.")
            return None
        path = str(Path(self._folder()) / self._default_name())
        dialog = ExportDialog(self.scopes, path, self.tab)
        if scope in dialog.scope_buttons:
            dialog.scope_buttons[scope].setChecked(True)
        dialog.saveRequested.connect(self._dialog_save)
        self.dialog = dialog
        return open_transient(dialog, self._dialog_gone)

    @Slot()
    def _dialog_save(self) -> None:
        dialog = self.dialog
        if dialog is not None and self.export_to(dialog.path(), dialog.scope()) is not None:
            dialog.set_busy(True)

    @Slot()
    def _dialog_gone(self) -> None:
        self.dialog = None

    # -- exporting ------------------------------------------------------------------------

    def export_to(self, path: str, scope: str) -> TaskHandle | None:
        """Write ``scope`` to ``path`` in the background; None when there is nothing to do."""
        if self.running:
            self._status("An export is already running.")
            return None
        prepare = self._snapshot(scope)
        if prepare is None:
            self._show_result(False, "Nothing to export yet: load some data first.")
            return None
        self._path = path
        if self._settings is not None and Path(path).parent.is_dir():
            self._settings.setValue(_LAST_FOLDER, str(Path(path).parent))
        progress = QProgressDialog("Writing CSV…", "Cancel", 0, 0, self.dialog or self.tab)
        progress.setObjectName("exportProgress")
        progress.setWindowTitle("Export CSV")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumDuration(0)
        progress.canceled.connect(self.cancel)
        self.progress = progress
        from viewer.export.rows import run_export  # the writers load at the first export

        self.handle = self.runner.run(
            lambda cancel, report: run_export(prepare, path, cancel, report),
            on_success=self._on_done,
            on_error=self._on_error,
            on_progress=self._on_progress,
            on_cancelled=self._on_cancelled,
        )
        progress.show()
        self._status(f"Exporting to {path}…")
        return self.handle

    @Slot()
    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()

    def _on_progress(self, done: int, total: int | None) -> None:
        progress = self.progress
        if progress is None:
            return
        if total:
            progress.setRange(0, total)
            progress.setValue(min(done, total))
            progress.setLabelText(f"Writing CSV… {done:,} of {total:,} rows")
        else:
            progress.setLabelText(f"Writing CSV… {done:,} rows")

    def _on_done(self, count: int) -> None:
        self._finish()
        name = Path(self._path).name
        if self.dialog is not None:
            self.dialog.accept()
        self._show_result(True, f"Exported {plural(count, 'row')} to {name}")

    def _on_error(self, error: ApiError) -> None:
        self._finish()
        self._show_result(False, error.message, title=error.title)

    def _on_cancelled(self) -> None:
        self._finish()
        if self.dialog is not None:
            self.dialog.show_error("Cancelled", "No file was written.")
        self._status("Export cancelled; no file was written.")
        self.finished.emit(False, "Export cancelled; no file was written.")

    def _finish(self) -> None:
        self.handle = None
        progress, self.progress = self.progress, None
        if progress is not None:
            progress.canceled.disconnect(self.cancel)
            progress.close()
            progress.deleteLater()

    def _show_result(self, ok: bool, message: str, title: str = "Export failed") -> None:
        if ok:
            self._status(message)
        elif self.dialog is not None:
            self._status(title)
            self.dialog.show_error(title, message)
        else:
            self._status(title)
            box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self.tab)
            box.setObjectName("exportMessage")
            box.setTextFormat(Qt.TextFormat.PlainText)
            self.message_box = box
            open_transient(box, self._box_gone)
        self.finished.emit(ok, message)

    @Slot()
    def _box_gone(self) -> None:
        self.message_box = None


def suggested_folder(documents: str) -> str:
    """Where a first export is suggested: the documents folder when it exists, or else the
    home folder (a fresh account or a minimal desktop may have no documents folder, and
    opening a dialog should not make one)."""
    if documents and Path(documents).is_dir():
        return documents
    return str(Path.home())
