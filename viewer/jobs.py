"""What a background job is: a plain function given a cancel token and a progress callback.

Jobs are written without Qt, so the same function runs in a ``QThread`` of the window's
``TaskRunner`` (``viewer.tasks``) and directly in the headless commands. A job checks
``cancel`` between steps (or passes it to the API clients, which check it while reading)
and reports ``progress(done, total)`` as it goes; ``total`` is ``None`` when unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from viewer.api.http import CancelToken

__all__ = ["CancelToken", "Job", "Progress"]

#: Called with (done so far, expected total or None).
Progress = Callable[[int, int | None], None]
#: A job: ``job(cancel, progress) -> result``, run off the GUI thread.
Job = Callable[[CancelToken, Progress], Any]
