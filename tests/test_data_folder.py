"""The headless export finds the window's data folder and settings without Qt."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

from viewer import APP_NAME, ORG_NAME
from viewer.data_folder import app_data_folder, snapshot_cap, snapshot_store
from viewer.snapshots import DEFAULT_MAX_BYTES


def test_the_data_folder_is_the_one_qt_gives_the_window(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QStandardPaths.setTestModeEnabled(False)
    try:
        qt = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    finally:
        QStandardPaths.setTestModeEnabled(True)
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])
    assert Path(qt) == app_data_folder()
    assert app_data_folder() == tmp_path / "share" / ORG_NAME / APP_NAME


def test_a_relative_xdg_folder_is_ignored_like_qt_does(monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")
    assert app_data_folder() == Path.home() / ".local/share" / ORG_NAME / APP_NAME


def test_the_snapshot_cap_comes_from_the_window_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert snapshot_cap() == DEFAULT_MAX_BYTES  # no settings file
    conf = tmp_path / ORG_NAME / f"{APP_NAME}.conf"
    conf.parent.mkdir()
    conf.write_text("[snapshots]\nmaxMegabytes=1200\n")
    assert snapshot_cap() == 1_200_000_000
    assert snapshot_store().max_bytes == 1_200_000_000
    conf.write_text("[snapshots]\nmaxMegabytes=lots\n")
    assert snapshot_cap() == DEFAULT_MAX_BYTES
