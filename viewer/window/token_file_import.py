"""Connections > Import token file…: Falkor's downloaded token file fills URL and token.

Only the two values are taken, into the form; they are kept (the URL in the settings, the
token in the keyring) when the dialog is saved. The file's name is not remembered.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget

from viewer.auth.token_file import TokenFile, read_token_file


class TokenForm(Protocol):
    """What the import fills: a panel of the Connections dialog."""

    url: QLineEdit
    token: QLineEdit

    def show_result(self, text: str, kind: str) -> None: ...


def import_token_file(panel: QWidget) -> TokenFile | None:
    """Ask for the file, then fill the form from it."""
    path, _ = QFileDialog.getOpenFileName(
        panel, "Import a token file", "", "Token files (*.json *.txt *.token);;All files (*)"
    )
    if not path:
        return None
    return apply_token_file(panel, path)  # type: ignore[arg-type]


def apply_token_file(panel: TokenForm, path: str) -> TokenFile:
    """Fill what was found; say what was not, and leave those fields as they were."""
    found = read_token_file(path)
    if found.base_url is not None:
        panel.url.setText(found.base_url)
    if found.token is not None:
        panel.token.setText(found.token)
    if found.complete:
        panel.show_result(
            "The server URL and the token were filled in from the file. Save to keep them.",
            "ok",
        )
    else:
        filled = [
            name
            for name, value in (("server URL", found.base_url), ("token", found.token))
            if value is not None
        ]
        lead = f"The {' and '.join(filled)} were filled in. " if filled else ""
        lead = lead.replace(" were ", " was ") if len(filled) == 1 else lead
        panel.show_result(lead + " ".join(found.problems), "warning")
    return found
