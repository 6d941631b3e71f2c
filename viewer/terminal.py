"""Text from a server made safe to print on a terminal.

A terminal obeys the control characters and escape sequences in whatever it is sent, so a
server's message or a name in its data could retitle the window, clear the screen, move the
cursor over earlier lines or write to the clipboard (OSC 52). Whatever the command line prints
that did not come from the program itself goes through ``printable``.
"""

from __future__ import annotations

import re
from typing import TextIO

_UNSAFE = re.compile(
    "|".join(
        (
            # Strings (OSC, DCS, SOS, PM, APC) with their terminators, payload and all.
            # The payload excludes every introducer, so no text costs more than one scan.
            r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x90\x98\x9c-\x9f]*(?:\x07|\x1b\\|\x9c)",
            # Control sequences (CSI), in their 7-bit and 8-bit forms.
            r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]",
            # Any other escape sequence, or what is left of an unterminated one.
            r"\x1b[\x20-\x2f]*[\x30-\x7e]?",
            # The remaining C0 controls but tab and newline, DEL, and the C1 controls.
            r"[\x00-\x08\x0b-\x1f\x7f-\x9f]",
        )
    )
)


def printable(text: str) -> str:
    """``text`` without escape sequences and control characters; tab and newline are kept."""
    return _UNSAFE.sub("", text)


class PrintableStream:
    """Writes to ``stream`` only what ``printable`` keeps: for data shown on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()
