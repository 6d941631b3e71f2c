"""What the headless commands tell a person to do: their own options and environment
variables, never a dialog of the window they are not in."""

from __future__ import annotations

from collections.abc import Mapping

from viewer.api.errors import Advice, ApiError
from viewer.credentials import CLIENT_ID_VARIABLE, CLIENT_SECRET_VARIABLE, TOKEN_VARIABLE

LOGIN = "python -m viewer login activity"

#: Each advice in terms of the command line.
ON_THE_COMMAND_LINE: Mapping[Advice, str] = {
    Advice.NEW_TOKEN: f"Set a new token in {TOKEN_VARIABLE} (or, for the activity log, sign "
    f"in again with “{LOGIN}”).",
    Advice.SIGN_IN: f"Sign in again with “{LOGIN}”, or set {TOKEN_VARIABLE}.",
    Advice.APP_CREDENTIALS: f"Check {CLIENT_ID_VARIABLE} (or --client-id) and "
    f"{CLIENT_SECRET_VARIABLE}.",
    Advice.ALLOW_INSECURE_HTTP: "Use https, or run again with --allow-insecure-http if the token "
    "may travel unencrypted.",
    Advice.PORT_RANGE: "Close the program using them, or choose other ports with --ports.",
}


def worded(error: ApiError) -> str:
    """The error's message with its advice in command-line terms."""
    return error.worded(ON_THE_COMMAND_LINE)
