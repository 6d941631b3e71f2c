"""What the export command says on stderr when it is done: one line on what it wrote, and a
warning for each filter that matched nothing (a misspelt name silently gives an empty file).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable, Sequence

from viewer.api.pathway import PathwayHead
from viewer.export.csv_file import STDOUT
from viewer.formats import plural


def written(count: int, destination: str, seconds: float) -> str:
    """``Wrote 12,345 rows (3.2 MB) to out.csv in 1.4 s``."""
    if destination == STDOUT:
        where, size = "standard output", ""
    else:
        where = destination
        try:
            size = f" ({_megabytes(os.path.getsize(destination))})"
        except OSError:
            size = ""
    return f"Wrote {plural(count, 'row')}{size} to {where} in {seconds:.1f} s"


def _megabytes(size: int) -> str:
    if size < 100_000:
        return f"{max(1, round(size / 1000)) if size else 0} kB"
    return f"{size / 1_000_000:.1f} MB"


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def unmatched_pathway_filters(
    head: PathwayHead, activities: Sequence[str], types: Sequence[str]
) -> list[str]:
    """The options that matched no activity of the answer: each ``--activity`` that is not
    the name or ID of one, and every ``--type`` when no activity came back (a server may
    accept several spellings of a type, so a type is not compared with the answer's)."""
    names = {_fold(a.name) for a in head.activities} | {_fold(a.ID) for a in head.activities}
    found = [f"--activity “{value}”" for value in activities if _fold(value) not in names]
    if not head.activities:
        found += [f"--type “{value}”" for value in types]
    return found


def nothing_matched(count: int, given: Iterable[str]) -> str:
    """A warning when filters left nothing to write; empty when something was written or no
    filter was given."""
    named = list(given)
    if count or not named:
        return ""
    return f"warning: nothing matched {', '.join(named)}; the file holds only the header."


def no_match_warnings(unmatched: Sequence[str]) -> list[str]:
    return [f"warning: {option} matched nothing; check its spelling." for option in unmatched]


def finished(
    args: argparse.Namespace, count: int, heads: Sequence[PathwayHead], seconds: float
) -> tuple[list[str], str]:
    """The warnings for filters that matched nothing, and the one-line summary."""
    unmatched = [
        option
        for head in heads
        for option in unmatched_pathway_filters(head, getattr(args, "activity", []), args.type)
    ]
    warnings = no_match_warnings(unmatched) or [nothing_matched(count, given_filters(args))]
    return [line for line in warnings if line], written(count, args.output, seconds)


_LISTS = (("--activity", "activity"), ("--type", "type"), ("--group", "group"), ("--user", "user"))
_SINGLE = (("--subtype", "subtype"), ("--reference-uuid", "reference_uuid"))


def given_filters(args: argparse.Namespace) -> list[str]:
    """The filter options given, as typed."""
    given = [f"{option} “{value}”" for option, key in _LISTS for value in getattr(args, key, [])]
    given += [
        f"{option} “{getattr(args, key)}”" for option, key in _SINGLE if getattr(args, key, None)
    ]
    if getattr(args, "unread_only", False):
        given.append("--unread-only")
    return given
