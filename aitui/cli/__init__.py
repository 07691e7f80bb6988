"""The ``aitui`` command line.

Sub-commands live in ``aitui/cli/``, one module each; every module exposes
``register(subparsers)`` which adds its parser and sets ``func`` (a callable taking the parsed
arguments and returning an exit status). Adding a command is one line in ``COMMAND_MODULES``
and its names in ``COMMANDS`` (``tests/test_cli_parser.py`` checks the two agree).
The CLI uses the headless core only; the dashboard is imported lazily when it is started.

This module imports nothing at the top: ``aitui`` first offers a dashboard's start to a warm
dashboard (``aitui.cli.warm``), whose launcher should cost little more than Python's start.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

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

#: Which module registers each command: a command line naming one builds that module's
#: parsers only. Building all 23 (each asking for the terminal's size and gettext's catalogue)
#: and importing their modules was ~10 ms of each ``aitui ls`` / ``send`` / ``read``.
COMMANDS: dict[str, str] = {
    "exec": "aitui.cli.run_command",
    "replay": "aitui.cli.replay",
    "config": "aitui.cli.config",
    "serve": "aitui.cli.serve",
    "compress": "aitui.cli.compress",
    **dict.fromkeys(("attach", "kill-server", "server"), "aitui.cli.server_commands"),
    **dict.fromkeys(
        ("keys", "kill", "ls", "new", "read", "restart", "send", "wait"), "aitui.cli.scripting"
    ),
    **dict.fromkeys(
        ("answer", "auto-accept", "decisions", "hook", "profiles"), "aitui.cli.agent_commands"
    ),
    "mcp": "aitui.cli.mcp_command",
}


def modules_for(argv: Sequence[str] | None) -> tuple[str, ...]:
    """The command modules ``argv`` needs: those of every word in it that names a command (an
    option's value or a program's argument too: one more module is harmless, a missing one
    would not be), or all of them when none does (the dashboard, ``--help``, a typo)."""
    if argv is None:
        return COMMAND_MODULES
    named = {COMMANDS[word] for word in argv if word in COMMANDS}
    return tuple(m for m in COMMAND_MODULES if m in named) or COMMAND_MODULES


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser: for ``argv``'s command only when it names one
    (``modules_for``), else every command's."""
    import argparse
    import importlib

    from aitui.__about__ import __version__
    from aitui.cli.dashboard import add_dashboard_options
    from aitui.cli.server_commands import add_socket_options

    parser = argparse.ArgumentParser(
        prog="aitui",
        description="Run and watch many AI coding agents at once.",
    )
    parser.add_argument("--version", action="version", version=f"aitui {__version__}")
    add_dashboard_options(parser)
    add_socket_options(parser)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module_name in modules_for(argv):
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    warm: bool = True,
    parser: argparse.ArgumentParser | None = None,
) -> int:
    """``aitui argv``. With ``warm``, a dashboard's start is first offered to the server's warm
    dashboard (``aitui.cli.warm``), which runs this same function in its own forked child,
    with the ``parser`` it built once (building it takes ~20 ms)."""
    import sys

    if warm:
        from aitui.cli.warm import launch_warm

        warm_status = launch_warm(sys.argv[1:] if argv is None else argv)
        if warm_status is not None:
            return warm_status
    from aitui.core.errors import AituiError, ConfigError

    args = (parser or build_parser(sys.argv[1:] if argv is None else argv)).parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        from aitui.cli.dashboard import run_dashboard

        func = run_dashboard
    try:
        status: int = func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # ``aitui ls | head -1``: the reader left, as it may
        return _reader_gone()
    except AituiError as exc:  # one place: every command's errors are one line, never a trace
        print(f"aitui: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, ConfigError) else 1  # a bad value given: a bad argument
    return status


def _reader_gone() -> int:
    """End quietly, as ``tmux ls | head -1`` does, when stdout's reader has gone: the status
    a shell reports for SIGPIPE (128+13). Without this the user saw ``[Errno 32] Broken
    pipe`` or a traceback. Stdout becomes ``/dev/null``, or the interpreter's last flush at
    exit would fail again ("Exception ignored ... BrokenPipeError")."""
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 141
