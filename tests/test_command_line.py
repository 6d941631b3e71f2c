"""Advice in an error is worded for where the person is: the window or the command line."""

from __future__ import annotations

import pytest

from viewer.api.errors import IN_THE_WINDOW, Advice, AuthError, InsecureUrlError
from viewer.api.http import check_transport_security
from viewer.command_line import ON_THE_COMMAND_LINE, worded


@pytest.mark.parametrize("advice", list(Advice))
def test_every_advice_has_a_command_line_wording_without_a_dialog(advice):
    assert advice in IN_THE_WINDOW
    said = ON_THE_COMMAND_LINE[advice]
    assert said.endswith(".")
    assert "Connections" not in said and "dialog" not in said


def test_an_insecure_address_names_the_option_on_the_command_line():
    with pytest.raises(InsecureUrlError) as raised:
        check_transport_security("http://example.invalid", allow_insecure_http=False)
    error = raised.value
    assert error.message.endswith("allow insecure HTTP for this server in Connections.")
    assert worded(error).endswith(
        "run again with --allow-insecure-http if the token may travel unencrypted."
    )
    assert error.what in worded(error) and error.what in error.message


def test_a_refused_token_asks_for_viewer_token_on_the_command_line():
    error = AuthError.for_status(401, "pathway logs")
    assert "Connections" in error.message and str(error) == error.message
    assert "VIEWER_TOKEN" in worded(error) and "Connections" not in worded(error)


def test_an_error_without_advice_reads_the_same_everywhere():
    error = AuthError.for_status(403, "activity log")
    assert error.advice is None
    assert worded(error) == error.message == error.worded({})
