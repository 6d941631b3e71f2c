"""Server text printed by the command line cannot drive the terminal it is printed on."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from tests.security.canned import canned_server
from viewer.terminal import printable

#: Retitle the window, write "evil" to the clipboard, clear the screen, the same in 8-bit
#: form, a carriage return over the line and a bell.
HOSTILE = (
    "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x1b\\\x1b[2J\x1b[H\x9b2J\x9d0;t\x9c"
    "Nothing\r here\x07 \x00\x7f\x85is wrong"
)
VISIBLE = "Nothing here is wrong"
CONTROLS = [chr(c) for c in (*range(0, 9), *range(11, 32), *range(127, 160))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HOSTILE, VISIBLE),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("Zoë 日本 — “quoted”", "Zoë 日本 — “quoted”"),
        ("\x1b]0;never ended", "0;never ended"),
        ("\x1bPq#0;2;0\x1b\\sixel gone", "sixel gone"),
        ("\x1bc\x1b(Breset", "reset"),
    ],
)
def test_printable_drops_escape_sequences_and_control_characters(text, expected):
    assert printable(text) == expected


def _pathway_answer(name: str) -> bytes:
    log = {"firstname": name, "email": "a@example.test", "status": {"state": "completed"}}
    activity = {"ID": "A1", "name": name, "logs": [log]}
    data = [{"pathway": {"ID": "P1", "name": name}, "activities": [activity]}]
    return json.dumps({"status": "success", "data": data}).encode()


def _export(url: str, *, stdout=subprocess.PIPE, kind: str = "pathway"):
    env = {**os.environ, "VIEWER_TOKEN": "t"}
    env.pop("QT_QPA_PLATFORM", None)
    extra = ["--pathway", "P1"] if kind == "pathway" else []
    command = [sys.executable, "-m", "viewer", "export", kind, "--server", url, *extra]
    return subprocess.Popen(
        [*command, "--output", "-"], stdout=stdout, stderr=subprocess.PIPE, env=env
    )


@pytest.mark.parametrize("kind", ["pathway", "inbox"])
def test_a_hostile_error_message_reaches_stderr_without_its_escape_sequences(kind):
    if kind == "pathway":
        answers = {"/v1/logs/pathway-logs": (400, json.dumps({"message": HOSTILE}).encode())}
    else:
        error = {"statusCode": 500, "error_code": HOSTILE, "trace_id": HOSTILE}
        answers = {"/v1/activities": (500, json.dumps(error).encode())}
    with canned_server(answers) as url:
        process = _export(url, kind=kind)
        _, err = process.communicate(timeout=60)
    text = err.decode("utf-8")
    assert process.returncode == 1, text
    assert VISIBLE in text
    assert not [c for c in text if c in CONTROLS and c != "\n"], repr(text)


def test_csv_on_a_terminal_is_shown_without_control_characters_and_a_pipe_gets_it_exactly():
    answers = {"/v1/logs/pathway-logs": (200, _pathway_answer(HOSTILE))}
    with canned_server(answers) as url:
        piped = _export(url)
        exact, _ = piped.communicate(timeout=60)
        leader, follower = pty.openpty()
        try:
            shown_process = _export(url, stdout=follower)
            os.close(follower)
            chunks = []
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the other end closed: everything was read
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            shown_process.communicate(timeout=60)
        finally:
            os.close(leader)
    assert piped.returncode == 0 and shown_process.returncode == 0
    assert HOSTILE.encode() in exact  # the data itself is not changed
    # The terminal turns each line end into CR LF; nothing else may drive it.
    shown = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert shown.count(VISIBLE) == 3, repr(shown)
    assert not [c for c in shown if c in CONTROLS], repr(shown)
