"""``python -m viewer export``: write a pathway or the inbox as CSV without opening a window.

Exit status: 0 when the file is written; 1 when the server or the file system failed (the
reason goes to stderr and no file is left behind); 2 for bad usage or a missing or unusable
token; 130 after Ctrl+C and 143 after SIGTERM, with no file left behind either; 141 when
standard output was closed before the end (``--output - | head``), as for tools that SIGPIPE
stops. What it prints of a server's text is stripped of control characters, and so is CSV
written to a terminal.

An inbox walk that ends early is said on stderr, never silently. A server whose pages stop
bringing anything new is misbehaving: that is status 1 with no file, like any other server
failure, because what came before the loop may be incomplete and a script must not take it
for the whole log (status 1 always means no file). Reaching ``--max-activities`` is not a
failure: the limit is the caller's own, so the file with the newest N activities is written
and the status is 0, with a line on stderr saying that the server may have more.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TextIO

import httpx

from viewer.api.activity import DEFAULT_MAX_ACTIVITIES, LIMIT, ActivityClient, ActivityPager
from viewer.api.errors import ApiError, AuthError, InsecureUrlError, InvalidUrlError
from viewer.api.http import DEFAULT_DEADLINE, DEFAULT_MAX_ANSWER_BYTES
from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.connections import ACTIVITY_SERVICE, PATHWAY_SERVICE
from viewer.credentials import CredentialError, CredentialStore, credentials_for_command_line
from viewer.export.csv_file import STDOUT, ExportError
from viewer.export.inbox_csv import export_inbox
from viewer.export.view_options import add_view_arguments, view_job, view_usage_problem
from viewer.export.views import PathwayJob
from viewer.terminal import PrintableStream, printable

OK, FAILED, USAGE = 0, 1, 2
#: 128 + SIGPIPE: what a shell reports for a writer whose reader went away.
BROKEN_PIPE = 141
INTERRUPTED, TERMINATED = 128 + signal.SIGINT, 128 + signal.SIGTERM
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
        "from the VIEWER_TOKEN environment variable, or (for the inbox) from app credentials "
        "in VIEWER_CLIENT_ID and VIEWER_CLIENT_SECRET, or else from the keyring, where the "
        "app's Connections dialog and 'python -m viewer login' keep it.",
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
    add_view_arguments(pathway)
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
    inbox.add_argument(
        "--max-activities",
        type=_at_least_one,
        default=DEFAULT_MAX_ACTIVITIES,
        metavar="N",
        help="stop after N activities from the server, the newest first (default "
        f"{DEFAULT_MAX_ACTIVITIES:,}); bounds the file whatever the server sends",
    )
    return parser


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


class Terminated(BaseException):
    """SIGTERM, raised wherever the export is, so that its clean-up runs as for Ctrl+C."""


def _raise_terminated(_signum: int, _frame: object) -> None:
    raise Terminated


@contextlib.contextmanager
def _terminate_like_interrupt() -> Iterator[None]:
    """SIGTERM ends the export through the same clean-up as Ctrl+C (no ``.partial`` file)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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
    problem = view_usage_problem(args)
    if problem:
        _say(err, problem)
        return USAGE
    service = PATHWAY_SERVICE if args.kind == "pathway" else ACTIVITY_SERVICE
    try:
        token = credentials_for_command_line(
            service,
            args.server,
            environ=os.environ if environ is None else environ,
            store=store,
            renewable=service == ACTIVITY_SERVICE,
            allow_insecure_http=args.allow_insecure_http,
            verify=args.ca_bundle or True,
        )
    except (CredentialError, InvalidUrlError, InsecureUrlError) as exc:
        _say(err, exc.message)
        return USAGE
    progress = _Progress(err)
    own_stdout = stdout is None
    if args.output == STDOUT:
        stdout = _for_terminal(sys.stdout if stdout is None else stdout)
    walks: list[ActivityPager] = []
    pathway_job: PathwayJob | None = None
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
            pathways = PathwayClient(args.server, token, **options)
            client: PathwayClient | ActivityClient = pathways
            query = PathwayQuery(args.pathway, args.activity, args.type, args.group, args.user)

            pathway_job = view_job(args)

            def job() -> int:
                return pathway_job.run(
                    pathways,
                    query,
                    progress=progress.rows,
                    download_progress=progress.download,
                    stdout=stdout,
                )
        else:
            activities = ActivityClient(args.server, token, **options)
            client = activities

            def job() -> int:
                return export_inbox(
                    activities,
                    args.output,
                    types=args.type,
                    subtype=args.subtype,
                    reference_uuid=args.reference_uuid,
                    unread_only=args.unread_only,
                    max_activities=args.max_activities,
                    progress=progress.rows,
                    stdout=stdout,
                    walked=walks.append,
                )
    except (InvalidUrlError, InsecureUrlError, AuthError) as exc:
        _say(err, exc.message)
        return USAGE
    except OSError as exc:  # an unreadable --ca-bundle
        _say(err, str(exc))
        return USAGE
    try:
        with _terminate_like_interrupt(), client:
            count = job()
    except ApiError as exc:
        progress.end()
        _say(err, exc.message)
        return FAILED
    except ExportError as exc:
        progress.end()
        _say(err, str(exc))
        return FAILED
    except BrokenPipeError:
        # The reader stopped reading (``| head``): nothing is wrong, so no traceback.
        if own_stdout:
            _detach_stdout()
        return BROKEN_PIPE
    except KeyboardInterrupt:
        progress.end()
        _say(err, "interrupted; nothing was written.")
        return INTERRUPTED
    except Terminated:
        progress.end()
        _say(err, "terminated; nothing was written.")
        return TERMINATED
    progress.end()
    for note in pathway_job.notes if pathway_job is not None else ():
        _say(err, note)
    for pager in walks:
        if pager.stopped == LIMIT:
            print(
                f"{PROG}: stopped after {pager.seen_count:,} activities, the limit set by "
                "--max-activities; the server may have more.",
                file=err,
            )
    if args.output != STDOUT and progress.enabled:
        print(printable(f"Wrote {count:,} rows to {args.output}"), file=err)
    return OK


def _say(err: TextIO, text: str) -> None:
    print(f"{PROG}: {printable(text)}", file=err)


def _for_terminal(stream: TextIO) -> TextIO:
    """CSV for a person at a terminal is shown without control characters; a pipe or a file
    gets the exact text."""
    try:
        shown = stream.isatty()
    except (AttributeError, ValueError):
        shown = False
    return PrintableStream(stream) if shown else stream  # type: ignore[return-value]


def _detach_stdout() -> None:
    """Point a broken standard output at /dev/null, so flushing it at exit cannot fail too."""
    try:
        target = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file: nothing to flush at exit
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, target)
    finally:
        os.close(null)
