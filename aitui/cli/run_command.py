"""``aitui exec``: run one command in a real PTY session and report what ``execute`` saw.

Handy for trying the engine from a shell and for scripts: the output is printed as the command
printed it (ANSI removed), and the exit status is the command's own.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aitui.core.errors import AituiError

#: ``execute``'s own default (``aitui.core.executor.DEFAULT_TIMEOUT_S``, which this module does
#: not import while building the parser; a test checks they agree).
EXEC_TIMEOUT_MS = 30_000

if TYPE_CHECKING:  # every ``aitui`` builds this parser: ``exec`` loads its engine when it runs
    from aitui.core.config import SessionConfig


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "exec",
        help="run a command in a PTY session and print its output and exit code",
        description="Run COMMAND in a fresh shell on a real PTY, wait for it to finish "
        "(shell integration, no sleeping), print its output and exit with its exit code.",
    )
    parser.add_argument(
        "command",
        nargs="+",
        help="the command: one argument is a command line, run as the shell reads it "
        "('make test | tail -5'); several are its words, quoted as such "
        "(aitui exec -- ls -la 'my dir'), as aitui new takes them",
    )
    parser.add_argument("--shell", default=None, help="shell to use (default: $SHELL)")
    parser.add_argument("--cwd", type=Path, default=Path.cwd(), help="working directory")
    parser.add_argument(
        "--timeout-ms",
        type=int,
        default=None,
        help=f"interrupt after N ms (default {EXEC_TIMEOUT_MS}; exit status 124 if interrupted)",
    )
    parser.add_argument("--json", action="store_true", help="print the ExecResult as JSON")
    parser.set_defaults(func=run_exec)


def command_line(words: list[str]) -> str:
    """What the shell runs: one word as it is (a command line), several quoted as words.
    Only one was taken: ``aitui exec -- ls -la`` was refused ("unrecognized arguments")."""
    import shlex

    return words[0] if len(words) == 1 else shlex.join(words)


def run_exec(args: argparse.Namespace) -> int:
    import asyncio

    from aitui.core.config import SessionConfig

    config = SessionConfig(shell=args.shell, working_directory=args.cwd)
    try:
        result = asyncio.run(_execute(config, command_line(args.command), args.timeout_ms))
    except (AituiError, ValueError) as exc:
        print(f"aitui exec: {exc}", file=sys.stderr)
        return 2
    if args.json:
        payload = {
            "success": result.success,
            "output": result.output,
            "exit_code": result.exit_code,
            "execution_time_ms": result.execution_time_ms,
            "timed_out": result.timed_out,
            "truncated": result.truncated,
            "error": result.error,
        }
        print(json.dumps(payload, ensure_ascii=False))
    else:
        sys.stdout.write(result.output)
        if result.error:
            print(f"aitui exec: {result.error}", file=sys.stderr)
    if result.timed_out:
        return 124
    return result.exit_code if result.exit_code is not None else 1


async def _execute(config: SessionConfig, command: str, timeout_ms: int | None) -> Any:
    # Imported here: every ``aitui`` builds this parser, and the dashboard has no use for the
    # session engine (its sessions are the server's).
    from aitui.core.session import AISession

    session = AISession(config)
    try:
        await session.start()
        return await session.execute(command, timeout_ms=timeout_ms)
    finally:
        await session.stop()
