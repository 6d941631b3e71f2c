"""Where the app keeps its data, found without Qt, so a headless export adds to the same
saved copies and progress history as the window.

The answers match Qt's ``QStandardPaths.AppDataLocation`` and ``QSettings`` for the app's
organisation and name: ``$XDG_DATA_HOME`` (or ``~/.local/share``) on Linux,
``~/Library/Application Support`` on macOS, ``%APPDATA%`` on Windows. The snapshot size cap
is read from the window's settings file where that is a plain INI file (Linux); elsewhere
the default cap is used.
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from viewer import APP_NAME, ORG_NAME
from viewer.snapshots import DEFAULT_MAX_BYTES, SnapshotStore

SNAPSHOTS = "snapshots"


def _xdg(environ: Mapping[str, str], name: str, fallback: str) -> Path:
    value = environ.get(name, "")
    # Like Qt, only an absolute path counts.
    return Path(value) if value and os.path.isabs(value) else Path.home() / fallback


def app_data_folder(environ: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """The app's data folder, as Qt's ``AppDataLocation`` names it."""
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if system == "darwin":
        base = Path.home() / "Library" / "Application Support"
    elif system == "win32":
        base = Path(env.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = _xdg(env, "XDG_DATA_HOME", ".local/share")
    return base / ORG_NAME / APP_NAME


def settings_file(environ: Mapping[str, str] | None = None) -> Path:
    """The window's settings on Linux (``QSettings`` in its native INI format)."""
    env = os.environ if environ is None else environ
    return _xdg(env, "XDG_CONFIG_HOME", ".config") / ORG_NAME / f"{APP_NAME}.conf"


def snapshot_cap(environ: Mapping[str, str] | None = None) -> int:
    """The setting ``snapshots/maxMegabytes`` in bytes, or the default where unreadable."""
    if sys.platform in ("darwin", "win32"):
        return DEFAULT_MAX_BYTES
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(settings_file(environ), encoding="utf-8")
        return max(1, int(parser.get("snapshots", "maxMegabytes"))) * 1_000_000
    except (configparser.Error, OSError, UnicodeDecodeError, ValueError):
        return DEFAULT_MAX_BYTES


def snapshot_store(environ: Mapping[str, str] | None = None) -> SnapshotStore:
    """The saved copies the window uses, within the cap its settings set."""
    return SnapshotStore(app_data_folder(environ) / SNAPSHOTS, max_bytes=snapshot_cap(environ))
