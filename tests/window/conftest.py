"""Fixtures for the window's dialogs."""

from __future__ import annotations

import pytest

from viewer.connections import Connections
from viewer.credentials import CredentialStore
from viewer.window.connections_dialog import ConnectionsDialog


@pytest.fixture
def dialog(qtbot, settings):
    connections = Connections()
    dlg = ConnectionsDialog(connections, settings, CredentialStore())
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg
    dlg.reject()
    connections.close()
