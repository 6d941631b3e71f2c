"""How the window names things: each service's title, and advice as the Connections dialog
says it, where the fields it names are in view (the window elsewhere says "in
Connections"; see ``viewer.api.errors.Advice``)."""

from __future__ import annotations

from collections.abc import Mapping

from viewer.api.errors import IN_THE_WINDOW, Advice
from viewer.connections import ACTIVITY_SERVICE, PATHWAY_SERVICE

#: Each service as the window and its dialogs name it.
SERVICE_TITLES = {PATHWAY_SERVICE: "Pathway logs", ACTIVITY_SERVICE: "Activity log"}

#: Advice as said inside this dialog, where the fields it names are in view.
IN_CONNECTIONS: Mapping[Advice, str] = {
    **IN_THE_WINDOW,
    Advice.NEW_TOKEN: "Enter a new token above and Save.",
    Advice.SIGN_IN: "Sign in again above, then Save.",
    Advice.APP_CREDENTIALS: "Check the client ID and secret above.",
    Advice.ALLOW_INSECURE_HTTP: "Use https, or tick “Allow insecure HTTP for this server”.",
    Advice.PORT_RANGE: "Close the program using them, or set other redirect ports.",
}
