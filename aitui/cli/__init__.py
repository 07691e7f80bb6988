"""The ``aitui`` command line.

Sub-commands live in ``aitui/cli/``, one module each; every module exposes
``register(subparsers)`` which adds its parser and sets ``func`` (a callable taking the parsed
arguments and returning an exit status). Adding a command is one line in ``COMMAND_MODULES``.
The CLI uses the headless core only; the dashboard is imported lazily when it is started.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from aitui.__about__ import __version__
from aitui.cli.dashboard import add_dashboard_options
from aitui.cli.server_commands import add_socket_options
from aitui.core.errors import AituiError

COMMAND_MODULES: tuple[str, ...] = (
    "aitui.cli.run_command",
    "aitui.cli.replay",
    "aitui.cli.config",
    "aitui.cli.serve",
    "aitui.cli.compress",
    "aitui.cli.server_commands",
    "aitui.cli.scripting",
    "aitui.cli.agent_commands",
    "aitui.cli.mcp_command",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aitui",
        description="Run and watch many AI coding agents at once.",
    )
    parser.add_argument("--version", action="version", version=f"aitui {__version__}")
    add_dashboard_options(parser)
    add_socket_options(parser)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        from aitui.cli.dashboard import run_dashboard

        func = run_dashboard
    try:
        status: int = func(args)
    except KeyboardInterrupt:
        return 130
    except AituiError as exc:  # one place: every command's errors are one line, never a trace
        print(f"aitui: {exc}", file=sys.stderr)
        return 1
    return status
