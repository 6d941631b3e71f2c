"""Command-line front of the demo server.

Prints one line, ``url=... pathway_token=... activity_token=... client_id=...
client_secret=...``, then serves until interrupted (SIGINT or SIGTERM) and exits with
status 0.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time

from viewer.demo.auth_routes import DEFAULT_TOKEN_TTL
from viewer.demo.server import DemoServer
from viewer.demo.store import StoreMismatch
from viewer.terminal import printable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (0)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data (1)")
    parser.add_argument("--users", type=int, default=200, help="users per pathway (200)")
    parser.add_argument("--inbox", type=int, default=500, help="activity-log entries (500)")
    parser.add_argument("--activities", type=int, default=12, help="activities per pathway (12)")
    parser.add_argument(
        "--token-ttl",
        type=_positive_seconds,
        default=DEFAULT_TOKEN_TTL,
        metavar="SECONDS",
        help="how long signed-in and app-credential tokens live (%(default)s)",
    )
    parser.add_argument(
        "--moving",
        action="store_true",
        help="let the data move by itself: logs progress every minute, activities arrive "
        "every few minutes (default: it stays as generated)",
    )
    parser.add_argument(
        "--db",
        metavar="FILE",
        default=None,
        help="SQLite file keeping read marks across runs (default: memory only)",
    )


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a number of seconds") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError("the token lifetime must be more than 0 seconds")
    return value


def run(args: argparse.Namespace) -> int:
    stop = threading.Event()
    previous = {}
    for number in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[number] = signal.signal(number, lambda *_: stop.set())
        except ValueError:  # not the main thread: the caller handles stopping
            break
    try:
        try:
            server = DemoServer(
                host=args.host,
                port=args.port,
                seed=args.seed,
                users=args.users,
                inbox=args.inbox,
                activities=args.activities,
                db_path=args.db,
                token_ttl=args.token_ttl,
                clock=time.monotonic if args.moving else None,
            )
        except StoreMismatch as exc:
            print(printable(f"demo server: {exc}"), file=sys.stderr)  # text from the --db file
            return 2
        try:
            server.start()
        except OSError as exc:
            server.stop()
            message = f"demo server: cannot listen on {args.host}:{args.port}: {exc}"
            print(printable(message), file=sys.stderr)
            return 2
        with server:
            print(
                f"url={server.url} pathway_token={server.pathway_token} "
                f"activity_token={server.activity_token} "
                f"client_id={server.client_id} client_secret={server.client_secret}",
                flush=True,
            )
            while not stop.wait(1.0):
                pass
        return 0
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m viewer.demo.cli", description="Run the demo server for both APIs."
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
