"""``python -m viewer export``: write a pathway or the inbox as CSV without opening a window.

Exit status: 0 when the file is written; 1 when the server or the file system failed (the
reason goes to stderr and no file is left behind); 2 for bad usage or a missing token.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TextIO

import httpx

from viewer.api.activity import ActivityClient
from viewer.api.errors import ApiError, InsecureUrlError, InvalidUrlError
from viewer.api.http import DEFAULT_DEADLINE, DEFAULT_MAX_ANSWER_BYTES
from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.connections import ACTIVITY_SERVICE, PATHWAY_SERVICE
from viewer.credentials import CredentialError, CredentialStore, token_for_command_line
from viewer.export.csv_file import STDOUT, ExportError
from viewer.export.inbox_csv import export_inbox
from viewer.export.pathway_csv import export_pathway

OK, FAILED, USAGE = 0, 1, 2
PROG = "python -m viewer export"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", required=True, metavar="URL", help="the server's base URL")
    parser.add_argument(
        "--output",
        "-o",
        required=True,
        metavar="FILE",
        help="the CSV file to write, or '-' for standard output",
    )
    parser.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow a plain http:// address for a server other than this machine "
        "(the token travels unencrypted)",
    )
    parser.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help="certificate authorities to trust for https (a PEM file)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive(float),
        default=DEFAULT_DEADLINE,
        metavar="SECONDS",
        help="the longest the whole request may take, however slowly the server keeps "
        f"sending (default {DEFAULT_DEADLINE:g})",
    )
    parser.add_argument(
        "--max-answer-mb",
        type=_positive(int),
        default=DEFAULT_MAX_ANSWER_BYTES // 1_000_000,
        metavar="N",
        help="refuse an answer larger than N megabytes once decompressed "
        f"(default {DEFAULT_MAX_ANSWER_BYTES // 1_000_000})",
    )


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0 or value == float("inf"):
            raise argparse.ArgumentTypeError(f"{text!r} must be a positive number")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Write CSV (UTF-8 with BOM) without opening a window. The token comes "
        "from the VIEWER_TOKEN environment variable, or else from the keyring, where the "
        "app's Connections dialog keeps it.",
    )
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="{pathway,inbox}")
    pathway = kinds.add_parser(
        "pathway",
        prog=f"{PROG} pathway",
        help="one row per log of a pathway",
        description="One row per log of a pathway, with one column per fulfilment field.",
    )
    _common(pathway)
    pathway.add_argument("--pathway", required=True, metavar="NAME_OR_ID")
    pathway.add_argument(
        "--activity", action="append", default=[], metavar="A", help="only this activity"
    )
    pathway.add_argument("--type", action="append", default=[], metavar="T", help="only type T")
    pathway.add_argument(
        "--group", action="append", default=[], metavar="G", help="only users of group G"
    )
    pathway.add_argument("--user", action="append", default=[], metavar="U", help="only user U")
    inbox = kinds.add_parser(
        "inbox",
        prog=f"{PROG} inbox",
        help="one row per activity of the activity log",
        description="One row per activity of the activity log, newest first.",
    )
    _common(inbox)
    inbox.add_argument("--type", action="append", default=[], metavar="T", help="only type T")
    inbox.add_argument("--subtype", metavar="S", help="only subtype S")
    inbox.add_argument("--reference-uuid", metavar="U", help="only activities about U")
    inbox.add_argument("--unread-only", action="store_true", help="only unread activities")
    return parser


class _Progress:
    """Counts on one stderr line, only when stderr is a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()

    def download(self, done: int, total: int | None) -> None:
        of = f" of {total / 1e6:.1f}" if total else ""
        self._show(f"Received {done / 1e6:.1f}{of} MB")

    def rows(self, count: int) -> None:
        self._show(f"Wrote {count:,} rows")

    def _show(self, text: str) -> None:
        if self.enabled:
            self.stream.write(f"\r{text:<40}")
            self.stream.flush()

    def end(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def run(
    argv: Sequence[str],
    *,
    environ: Mapping[str, str] | None = None,
    store: CredentialStore | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    transport: httpx.BaseTransport | None = None,
) -> int:
    """Run the export command; bad arguments print the usage and exit with status 2."""
    args = build_parser().parse_args(list(argv))
    err = stderr if stderr is not None else sys.stderr
    service = PATHWAY_SERVICE if args.kind == "pathway" else ACTIVITY_SERVICE
    try:
        token = token_for_command_line(
            service, args.server, environ=os.environ if environ is None else environ, store=store
        )
    except CredentialError as exc:
        print(f"{PROG}: {exc.message}", file=err)
        return USAGE
    progress = _Progress(err)
    job: Callable[[], int]
    try:
        options = {
            "allow_insecure_http": args.allow_insecure_http,
            "verify": args.ca_bundle or True,
            "transport": transport,
            "deadline": args.timeout,
            "max_answer_bytes": args.max_answer_mb * 1_000_000,
            "limit_hint": f"To accept it, run again with a larger --max-answer-mb "
            f"(now {args.max_answer_mb}).",
        }
        if args.kind == "pathway":
            client: PathwayClient | ActivityClient = PathwayClient(args.server, token, **options)
            query = PathwayQuery(args.pathway, args.activity, args.type, args.group, args.user)

            def job() -> int:
                return export_pathway(
                    client,  # type: ignore[arg-type]
                    query,
                    args.output,
                    progress=progress.rows,
                    download_progress=progress.download,
                    stdout=stdout,
                )
        else:
            client = ActivityClient(args.server, token, **options)

            def job() -> int:
                return export_inbox(
                    client,  # type: ignore[arg-type]
                    args.output,
                    types=args.type,
                    subtype=args.subtype,
                    reference_uuid=args.reference_uuid,
                    unread_only=args.unread_only,
                    progress=progress.rows,
                    stdout=stdout,
                )
    except (InvalidUrlError, InsecureUrlError) as exc:
        print(f"{PROG}: {exc.message}", file=err)
        return USAGE
    except OSError as exc:  # an unreadable --ca-bundle
        print(f"{PROG}: {exc}", file=err)
        return USAGE
    try:
        with client:
            count = job()
    except ApiError as exc:
        progress.end()
        print(f"{PROG}: {exc.message}", file=err)
        return FAILED
    except ExportError as exc:
        progress.end()
        print(f"{PROG}: {exc}", file=err)
        return FAILED
    except KeyboardInterrupt:
        progress.end()
        print(f"{PROG}: interrupted; nothing was written.", file=err)
        return 130
    progress.end()
    if args.output != STDOUT and progress.enabled:
        print(f"Wrote {count:,} rows to {args.output}", file=err)
    return OK
