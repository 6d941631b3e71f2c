"""Tooltips that show server text exactly as written."""

from __future__ import annotations

import html


def tooltip(*lines: str | None) -> str:
    """Lines of untrusted text as one tooltip, each on its own line; ``""`` when all are empty.

    Qt decides per text whether a tooltip is rich (``Qt.mightBeRichText``, which looks only
    at its start), so escaped text taken as plain would show its entities (``&amp;``), and a
    line break early on would show a literal ``<br>``. ``<qt>`` makes it rich every time, and
    escaping makes its markup show as text.
    """
    shown = [html.escape(line) for line in lines if line]
    return f"<qt>{'<br>'.join(shown)}</qt>" if shown else ""
