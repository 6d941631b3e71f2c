"""Command line: the GUI (default), the demo server, and headless export."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from viewer import APP_NAME, __version__

_SUBCOMMANDS = ("demo-server", "export", "login")


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m viewer",
        description=f"{APP_NAME}: pathway logs and activity logs on your desktop.",
        epilog="Subcommands: 'demo-server' runs the demo server alone; 'export' writes CSV "
        "without opening a window; 'login' signs in with globaliD for later exports. "
        "Run 'python -m viewer SUBCOMMAND --help' for details.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open on the built-in demo server with generated data (no account needed)",
    )
    parser.add_argument("--demo-seed", type=int, default=1, metavar="N", help=argparse.SUPPRESS)
    parser.add_argument("--demo-users", type=int, default=500, metavar="N", help=argparse.SUPPRESS)
    parser.add_argument("--demo-inbox", type=int, default=1000, metavar="N", help=argparse.SUPPRESS)
    return parser


def parse_gui_args(argv: list[str]) -> argparse.Namespace:
    """Arguments of the GUI; bad ones print usage and exit with status 2."""
    return _gui_parser().parse_args(argv)


def _demo_server_parser() -> argparse.ArgumentParser:
    from viewer.demo import cli as demo_cli

    parser = argparse.ArgumentParser(
        prog="python -m viewer demo-server",
        description="Serve both APIs with generated data on this machine, for trying the "
        "app and for tests. Prints 'url=… pathway_token=… activity_token=… client_id=… "
        "client_secret=…' on one line.",
    )
    demo_cli.add_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args and args[0] in _SUBCOMMANDS else None
    if command == "demo-server":
        from viewer.demo import cli as demo_cli

        return demo_cli.run(_demo_server_parser().parse_args(args[1:]))
    if command == "export":
        from viewer.export import command as export_command

        return export_command.run(args[1:])
    if command == "login":
        from viewer import login

        return login.run(args[1:])
    gui_args = parse_gui_args(args)  # usage errors exit 2 before any window is made
    from viewer.app import run_gui

    return run_gui(gui_args)
