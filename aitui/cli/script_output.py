"""Exit statuses and output of the scripting commands (``aitui ls``, ``send``, ``wait``...).

Every failure has its own status, so a script can tell "no such session" from "no server"
without reading messages; with ``--json`` every result and every error is one JSON object on
stdout (the API's own bodies, and ``{"error", "code"}`` as the API's errors), and without it a
failure is one line on stderr.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

from aitui.core.errors import AituiError, ConfigError
from aitui.core.sockets import SocketDirError

OK = 0
#: The server refused or failed the request (the session is not running, the name is taken,
#: the program exited before the wait was met...).
FAILED = 1
#: A bad argument: argparse's, or one the server refused (a key name, a regular expression,
#: a session name, a directory that does not exist).
USAGE = 2
NO_SESSION = 3
#: No server runs (for the commands that do not start one) or one could not be started.
NO_SERVER = 4
#: ``aitui wait`` gave up (the status of GNU ``timeout``).
TIMED_OUT = 124


class UsageError(AituiError):
    """A bad command line that argparse could not see (status 2)."""


def status_of(exc: AituiError) -> tuple[int, str]:
    """The exit status and the error code (the API's, or the CLI's own) of a failure."""
    from aitui.client.http import ApiRequestError, ServerDownError

    if isinstance(exc, ApiRequestError):
        if exc.status == 404 and exc.code == "SESSION_NOT_FOUND":
            return NO_SESSION, exc.code
        if exc.status in (400, 422):
            return USAGE, exc.code
        return FAILED, exc.code
    if isinstance(exc, ServerDownError):
        return NO_SERVER, "NO_SERVER"
    if isinstance(exc, SocketDirError):
        return NO_SERVER, "UNSAFE_SOCKET"
    from aitui.client.spawn import ServerStartError

    if isinstance(exc, ServerStartError):
        return NO_SERVER, "SERVER_START_FAILED"
    if isinstance(exc, UsageError):
        return USAGE, "USAGE"
    if isinstance(exc, ConfigError):  # a bad value given (a server name, a size...)
        return USAGE, "INVALID_CONFIG"
    return FAILED, "FAILED"


def fail(exc: AituiError, as_json: bool) -> int:
    status, code = status_of(exc)
    report(status, str(exc), code, as_json)
    return status


def report(status: int, message: str, code: str, as_json: bool) -> int:
    """Say what went wrong (stdout as JSON, or stderr) and return ``status``."""
    if as_json:
        emit({"error": message, "code": code})
    else:
        print(f"aitui: {message}", file=sys.stderr)
    return status


def emit(body: dict[str, Any]) -> None:
    print(json.dumps(body, ensure_ascii=False))


def guarded(run: Callable[[Any], int]) -> Callable[[Any], int]:
    """``run(args)``, its ``AituiError`` turned into a status and a message."""

    def wrapper(args: Any) -> int:
        try:
            return run(args)
        except AituiError as exc:  # --json is read now: ``aitui new`` may set it late
            return fail(exc, bool(getattr(args, "json", False)))
        except BrokenPipeError:  # stdout's reader left: nothing to say to it (aitui.cli.main)
            raise
        except OSError as exc:  # the socket, a file: said plainly, no traceback
            return report(FAILED, str(exc), "OS_ERROR", bool(getattr(args, "json", False)))

    return wrapper


def table(rows: list[dict[str, Any]]) -> str:
    """``aitui ls``: one line per session under a header, columns aligned. ``FOR`` is how
    long the activity has lasted, ``FROM`` where it came from (an agent's hook, its screen,
    shell integration...)."""
    header = ("NAME", "ACTIVITY", "FOR", "FROM", "DETAIL", "ROLE", "COMMAND")
    now = time.time()
    lines = [header] + [
        (
            row["name"],
            row["activity"],
            _for(now, row.get("since")),
            row.get("source") or "-",
            _detail(row),
            row["role"] or "-",
            row["command"],
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False))
        + "  "
        + line[-1]
        for line in lines
    )


def _detail(row: dict[str, Any]) -> str:
    """The row's detail, but not the dashboard's "from its hook", which ``FROM`` says."""
    detail = row["detail"] or "-"
    return "-" if detail == f"from its {row.get('source')}" else detail


def _for(now: float, since: object) -> str:
    from aitui.core.durations import duration

    return duration(max(0.0, now - since)) if isinstance(since, int | float) else "-"


def program_status(exit_code: int | None) -> int:
    """A program's exit code as a shell reports it: 128+N for one ended by signal N (the
    engine's code is -N); 1 when none is known (it never started)."""
    if exit_code is None:
        return FAILED
    return 128 - exit_code if exit_code < 0 else exit_code & 0xFF
