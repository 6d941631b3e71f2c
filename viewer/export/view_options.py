"""The options of ``export pathway`` that choose its view and file format, and the job they
make (Qt-free)."""

from __future__ import annotations

import argparse

from viewer.data_folder import snapshot_store
from viewer.export.csv_file import STDOUT
from viewer.export.csv_parts import processes
from viewer.export.rows import is_xlsx
from viewer.export.views import LOGS, PROGRESS, VIEWS, PathwayJob

CSV, XLSX = "csv", "xlsx"


def add_view_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--view",
        choices=VIEWS,
        default=LOGS,
        help="what to write: one row per log (default), the by-user matrix, completion by "
        "group, who has something missing, or the progress history of saved copies "
        "(in that view, --group adds rows for the groups named instead of filtering)",
    )
    parser.add_argument(
        "--format",
        choices=(CSV, XLSX),
        help="the file's format (default: from the output's extension; csv for '-')",
    )
    parser.add_argument(
        "--no-snapshot",
        action="store_true",
        help="do not keep this fetch as a saved copy (by default it is kept with the "
        "window's saved copies and added to the progress history)",
    )


def output_format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    return XLSX if args.output != STDOUT and is_xlsx(args.output) else CSV


def view_usage_problem(args: argparse.Namespace) -> str | None:
    """Why these options cannot be run together, or None."""
    if getattr(args, "kind", None) != "pathway":
        return None
    if output_format(args) == XLSX and args.output == STDOUT:
        return "an Excel file cannot go to standard output; name a .xlsx file with --output."
    return None


def view_job(args: argparse.Namespace) -> PathwayJob:
    return PathwayJob(
        view=args.view,
        output=args.output,
        xlsx=output_format(args) == XLSX,
        store=snapshot_store(),
        keep=not args.no_snapshot,
        groups=tuple(args.group) if args.view == PROGRESS else (),
        processes=processes(),
    )
