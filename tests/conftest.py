"""Shared fixtures: an offscreen Qt, isolated settings and keyring, a real demo server."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QSettings

from viewer.connections import Connections, ServiceConfig


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything at the end of a test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Never the developer's own keyring."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True, scope="session")
def _isolated_settings_root(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Any QSettings() made without a path writes under a temporary folder."""
    root = tmp_path_factory.mktemp("settings-root")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(root))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(root / "system"))


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def demo_server():
    """A fresh demo server on 127.0.0.1 with small generated data."""
    from viewer.demo.server import DemoServer

    server = DemoServer(seed=7, users=60, inbox=230, activities=8).start()
    yield server
    server.stop()


@pytest.fixture
def connections(demo_server) -> Iterator[Connections]:
    conns = Connections(
        ServiceConfig(demo_server.url, demo_server.pathway_token),
        ServiceConfig(demo_server.url, demo_server.activity_token),
        demo=True,
    )
    yield conns
    conns.close()
