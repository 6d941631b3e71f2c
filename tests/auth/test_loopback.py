"""The loopback redirect listener: one callback, checked, answered, then it stops."""

from __future__ import annotations

import logging
import socket
import threading
import urllib.request

import httpx
import pytest

from viewer.api.errors import Cancelled
from viewer.api.http import CancelToken
from viewer.auth.loopback import LoopbackListener, SignInError
from viewer.auth.settings import PortRange, SettingsError

ANY_PORT = PortRange(0, 0)


def visit(listener: LoopbackListener, query: str, path: str = "/callback") -> httpx.Response:
    return httpx.get(f"http://127.0.0.1:{listener.port}{path}?{query}", timeout=10)


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def nobody_listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


def test_a_matching_callback_gives_the_code_and_a_page_saying_the_window_can_close():
    with LoopbackListener(ANY_PORT) as listener:
        assert listener.redirect_uri == f"http://127.0.0.1:{listener.port}/callback"
        page = visit(listener, f"code=the-code&state={listener.state}")
        assert page.status_code == 200
        assert "close this window" in page.text
        assert page.headers["Cache-Control"] == "no-store"
        assert listener.wait(timeout=10) == "the-code"
        port = listener.port
    assert nobody_listens(port)


def test_only_the_first_callback_counts_and_other_paths_are_not_answers():
    with LoopbackListener(ANY_PORT) as listener:
        assert visit(listener, "", path="/favicon.ico").status_code == 404
        visit(listener, f"code=first&state={listener.state}")
        late = visit(listener, f"code=second&state={listener.state}")
        assert late.status_code == 409
        assert listener.wait(timeout=10) == "first"


def test_a_wrong_state_ends_the_sign_in_with_a_clear_message():
    with LoopbackListener(ANY_PORT) as listener:
        page = visit(listener, "code=stolen&state=someone-elses")
        assert page.status_code == 400
        with pytest.raises(SignInError, match="did not belong to this sign-in"):
            listener.wait(timeout=10)


def test_a_missing_state_is_a_wrong_state():
    with LoopbackListener(ANY_PORT) as listener:
        visit(listener, "code=x")
        with pytest.raises(SignInError, match="state did not match"):
            listener.wait(timeout=10)


def test_an_error_callback_ends_with_the_reason_shown_as_text():
    with LoopbackListener(ANY_PORT) as listener:
        page = visit(
            listener,
            f"error=access_denied&error_description=%3Cb%3ENo%3C%2Fb%3E&state={listener.state}",
        )
        assert "<b>No</b>" not in page.text and "&lt;b&gt;No&lt;/b&gt;" in page.text
        with pytest.raises(SignInError, match="declined") as raised:
            listener.wait(timeout=10)
    assert "access_denied: <b>No</b>" in raised.value.message


def test_another_error_says_globalid_did_not_sign_in():
    with LoopbackListener(ANY_PORT) as listener:
        visit(listener, f"error=server_error&state={listener.state}")
        with pytest.raises(SignInError, match=r"did not sign you in \(server_error\)"):
            listener.wait(timeout=10)


def test_a_callback_without_a_code_is_refused():
    with LoopbackListener(ANY_PORT) as listener:
        visit(listener, f"state={listener.state}")
        with pytest.raises(SignInError, match="held no sign-in code"):
            listener.wait(timeout=10)


def test_no_answer_in_time_ends_with_a_timeout_message():
    with LoopbackListener(ANY_PORT) as listener:
        port = listener.port
        with pytest.raises(SignInError, match="within 1 second"):
            listener.wait(timeout=0.3)
    assert nobody_listens(port)


def test_cancel_stops_the_wait_from_another_thread():
    cancel = CancelToken()
    with LoopbackListener(ANY_PORT) as listener:
        port = listener.port
        threading.Thread(target=cancel.cancel).start()
        with pytest.raises(Cancelled):
            listener.wait(timeout=60, cancel=cancel)
    assert nobody_listens(port)


def test_the_first_free_port_of_the_range_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        # The next port up may be free or not; the listener must skip the busy one either way.
        first_free = next(p for p in range(busy + 1, busy + 50) if port_is_free(p))
        with LoopbackListener(PortRange(busy, first_free)) as listener:
            assert listener.port == first_free


def test_a_range_with_no_free_port_says_so():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        with pytest.raises(SignInError, match=f"No port between {busy} and {busy}"):
            LoopbackListener(PortRange(busy, busy))


def test_the_listener_answers_on_127_0_0_1_only():
    with LoopbackListener(ANY_PORT) as listener:
        assert listener._server.server_address[0] == "127.0.0.1"


def test_the_code_is_never_logged(caplog, capsys):
    caplog.set_level(logging.DEBUG)
    with LoopbackListener(ANY_PORT) as listener:
        # urllib, not httpx: the test's own browser must not log the address itself.
        url = f"http://127.0.0.1:{listener.port}/callback?code=secret-code-123&state="
        urllib.request.urlopen(url + listener.state, timeout=10).close()
        listener.wait(timeout=10)
    captured = capsys.readouterr()
    assert "secret-code-123" not in caplog.text + captured.out + captured.err


@pytest.mark.parametrize(
    ("text", "expected"),
    [("53682-53691", (53682, 53691)), ("50000", (50000, 50000)), ("0", (0, 0))],
)
def test_port_ranges_are_read(text, expected):
    ports = PortRange.parse(text)
    assert (ports.first, ports.last) == expected


@pytest.mark.parametrize("text", ["", "abc", "80-90", "60000-50000", "1024-65535", "70000"])
def test_unusable_port_ranges_say_how_to_write_one(text):
    with pytest.raises(SettingsError):
        PortRange.parse(text)
