"""The scripting commands: the server's sessions from a shell, as tmux and herdr drive theirs.

``aitui ls``, ``new``, ``send``, ``keys``, ``read``, ``wait``, ``kill`` and ``restart`` are each
one request to the server's HTTP API over its Unix socket (``aitui.client.http``); ``-L`` /
``-S`` before the command pick the server. As in tmux, the commands that make a session
(``new``, ``restart``) start a server when none runs, and so does ``ls`` when the server kept
sessions of an earlier run (it lists them as stopped); otherwise the others only report that
none runs (status 4): a server started to answer "no such session" would be left running for
nothing.
Exit statuses and ``--json`` are in ``script_output``.
"""

from __future__ import annotations

import argparse
import functools
import os
import shlex
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aitui.cli.script_output import (
    FAILED,
    OK,
    TIMED_OUT,
    UsageError,
    emit,
    guarded,
    program_status,
    table,
)
from aitui.cli.server_commands import server_socket

if TYPE_CHECKING:  # every ``aitui`` builds this parser, the dashboard too
    from aitui.client.http import ApiClient

#: ``aitui send`` splits longer text into requests of this many characters.
SEND_CHUNK = 16_384
#: The longest wait one request asks the server for (``models.MAX_TIMEOUT_MS``).
MAX_WAIT_S = 600.0
EPILOG = (
    "exit status: 0 done, 1 refused or failed, 2 bad argument, 3 no such session, 4 no server "
    "(or it could not start), 124 wait timed out"
)


def add_command(
    subparsers: Any, name: str, func: Any, help: str, description: str
) -> argparse.ArgumentParser:
    """A command that is one request to the server: ``--json``, the exit statuses, ``func``
    guarded so its errors are one line and a status."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help, description=description, epilog=EPILOG
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=guarded(func))
    return parser


def register(subparsers: Any) -> None:
    add = functools.partial(add_command, subparsers)

    add(
        "ls",
        run_ls,
        "list the server's sessions",
        "List the sessions of the server with what each is doing. No server: says so "
        "(status 4), as tmux ls does, unless it kept sessions of an earlier run: then it is "
        "started and lists them as stopped.",
    )
    new = add(
        "new",
        run_new,
        "start a session in the server (starting the server if none runs)",
        "Start a session as the dashboard does: your shell (or CMD after --), in the "
        "current directory unless --cwd.",
    )
    new.add_argument("name", metavar="NAME")
    new.add_argument("--cwd", metavar="DIR", help="its working directory (default: this one)")
    new.add_argument("--role", metavar="R", help="its agent role (capability)")
    new.add_argument(
        "--agent",
        metavar="PROFILE",
        help="start an agent CLI from its profile (claude, codex, gemini, aider, opencode; "
        "`aitui profiles` lists them) with its hooks wired; CMD, if given, is its command line",
    )
    new.add_argument(
        "command", nargs=argparse.REMAINDER, metavar="-- CMD...", help="instead of the shell"
    )
    new.set_defaults(new_parser=new)
    send = add(
        "send",
        run_send,
        "type text into a session",
        "Type TEXT into the session as if pasted, unchanged; --enter presses Enter after it. "
        "TEXT '-' reads it from stdin (UTF-8), for a prompt longer than a command line "
        "holds: aitui send NAME - < prompt.txt.",
    )
    send.add_argument("name", metavar="NAME")
    send.add_argument("text", metavar="TEXT", help="the text, or - for stdin")
    send.add_argument("--enter", action="store_true", help="press Enter after the text")
    keys = add(
        "keys",
        run_keys,
        "press keys by name in a session",
        "Press keys in order: ctrl+c, enter, tab, escape, space, backspace, delete, insert, "
        "up, down, left, right, home, end, pageup, pagedown, f1-f12, a single character, "
        "with ctrl+, alt+ or shift+ before (tmux's C-c, M-x, S-Up, BSpace, PPage too). "
        "An unknown name sends nothing (status 2).",
    )
    keys.add_argument("name", metavar="NAME")
    keys.add_argument("keys", nargs="+", metavar="KEY")
    read = add(
        "read",
        run_read,
        "print a session's screen",
        "Print the screen's rows as text (blank rows below the text and the cursor left "
        "out), or the last N lines of history and screen.",
    )
    read.add_argument("name", metavar="NAME")
    read.add_argument("--lines", "-n", type=_positive, metavar="N", help="the last N lines")
    read.add_argument("--ansi", action="store_true", help="keep colours (SGR sequences)")
    wait = add(
        "wait",
        run_wait,
        "wait until a session is idle, waits for you, is done, has exited, or shows a pattern",
        "Wait until: 'idle' (the shell's prompt came back after the last input, or no output "
        "nor input for 5 s; never while a command runs), 'waiting' (an agent needs you since "
        "the last input: it asks for input or an approval, or finished its turn), 'done' (an "
        "agent finished its turn, since the last input), 'exit' (the program exited: the "
        "status is then the program's own, 128+N for signal N) or a regular expression on "
        "the screen ('re:idle' for the words idle or exit; a word close to a state, such as "
        "'exited', is refused as a likely typo: 're:exited' waits for the text). An exit "
        "ends every wait: 1 if it was not what was waited for. "
        "Timeout: 124.",
    )
    wait.add_argument("name", metavar="NAME")
    wait.add_argument("--until", required=True, metavar="idle|waiting|done|exit|REGEX")
    wait.add_argument("--timeout", type=_seconds, metavar="S", help="give up after S seconds")
    kill = add(
        "kill",
        run_kill,
        "end a session (its program and all it started) and remove it",
        "End the session's program (its whole process group) and remove the session, as "
        "tmux kill-session does; an exited one is removed.",
    )
    kill.add_argument("name", metavar="NAME")
    restart = add(
        "restart",
        run_restart,
        "run a session's command again",
        "End the session's program if it runs and start its command again, in the same "
        "directory, under the same name (starting the server if none runs).",
    )
    restart.add_argument("name", metavar="NAME")


#: The most lines a server's ``/capture`` returns (``MAX_CAPTURE_LINES`` there; the scrollback
#: holds at most 1,000,000): a larger ``--lines`` asks for this many, not a refusal.
MAX_READ_LINES = 1_000_000


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError("must be a number of seconds, 0 or more")
    return value


def client_for(args: argparse.Namespace, start: bool = False) -> ApiClient:
    from aitui.client.http import ApiClient

    return ApiClient(server_socket(args), start=start)


def session_path(name: str, rest: str = "") -> str:
    return f"/sessions/{quote(name, safe='')}{rest}"


def run_ls(args: argparse.Namespace) -> int:
    from aitui.core.data_files import SESSIONS_FILE, server_file

    kept = server_file(SESSIONS_FILE, server_socket(args).name).exists()
    reply = client_for(args, start=kept).request("GET", "/host/sessions")
    for problem in reply.get("problems", []):
        print(f"aitui: warning: {problem}", file=sys.stderr)
    if args.json:
        emit(reply)
    elif reply["sessions"]:
        print(table(reply["sessions"]))
    return OK


def split_new(args: argparse.Namespace) -> list[str]:
    """The command of ``aitui new``: what follows ``--``, or the first word that is not an
    option of ``new`` and all after it. argparse hands over everything after NAME (its
    REMAINDER), so ``--cwd``/``--role``/``--json`` and ``--help`` written after NAME are read
    here. Any other word starting with ``-`` before ``--`` is refused: ``aitui new s1 --help``
    started a session running ``--help``, and a misspelt option would have done the same."""
    words = list(args.command)
    while words:
        word = words.pop(0)
        if word == "--":
            return words
        option, equals, value = word.partition("=")
        if option == "--json" and not equals:
            args.json = True
        elif option in ("-h", "--help") and not equals:
            args.new_parser.print_help()
            raise SystemExit(0)
        elif option in ("--cwd", "--role", "--agent"):
            if not equals:
                if not words:
                    raise UsageError(f"new: {option} needs a value")
                value = words.pop(0)
            setattr(args, option[2:], value)
        elif word.startswith("-"):
            raise UsageError(f"new: no option {word} (a command starting with '-' goes after --)")
        else:
            return [word, *words]
    return []


def run_new(args: argparse.Namespace) -> int:
    command = split_new(args)
    body: dict[str, Any] = {
        "name": args.name,
        "directory": str(Path(args.cwd or os.getcwd()).absolute()),
    }
    if command:
        body["command"] = shlex.join(command)
    if args.role:
        body["role"] = args.role
    if args.agent:
        body["agent"] = args.agent
    from aitui.core.limits import SEARCH_PATH_MAX

    path = os.environ.get("PATH", "")
    if path and len(path) <= SEARCH_PATH_MAX:  # found where this shell finds it, not on the
        body["search_path"] = path  # server's PATH (an overlong one: the server's, unrefused)
    reply = client_for(args, start=True).request("POST", "/host/sessions", body)
    if args.json:
        emit(reply)
    return OK


def run_send(args: argparse.Namespace) -> int:
    text = _stdin_text() if args.text == "-" else args.text
    client = client_for(args)
    sent = 0
    reply: dict[str, Any] = {}
    for start in range(0, max(len(text), 1), SEND_CHUNK):
        reply = client.request(
            "POST", session_path(args.name, "/input"), {"text": text[start : start + SEND_CHUNK]}
        )
        sent += int(reply["bytes_sent"])
    if args.enter:
        # Enter on its own, after a pause: in the same burst as the text Codex takes it for
        # part of a paste, a new line in its prompt, and the prompt is never submitted.
        from aitui.core.keys import ENTER_AFTER_S

        time.sleep(ENTER_AFTER_S)
        reply = client.request("POST", session_path(args.name, "/input"), {"text": "\r"})
        sent += int(reply["bytes_sent"])
    if args.json:
        emit({"session_name": reply["session_name"], "bytes_sent": sent})
    return OK


def _stdin_text() -> str:
    """All of stdin as text; bytes that are not UTF-8 are refused, not replaced (a prompt
    typed with a character swapped for another would not be what the user wrote)."""
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"stdin is not UTF-8 text ({exc}): nothing was sent") from None


def run_keys(args: argparse.Namespace) -> int:
    reply = client_for(args).request("POST", session_path(args.name, "/keys"), {"keys": args.keys})
    if args.json:
        emit(reply)
    return OK


def run_read(args: argparse.Namespace) -> int:
    # More than the server returns (more than any history holds) is all of it, as in tmux.
    query = [f"lines={min(args.lines, MAX_READ_LINES)}"] if args.lines else []
    if args.ansi:
        query.append("ansi=true")
    path = session_path(args.name, "/capture") + ("?" + "&".join(query) if query else "")
    reply = client_for(args).request("GET", path)
    if args.json:
        emit(reply)
    else:
        sys.stdout.write("".join(line + "\n" for line in reply["lines"]))
    return OK


WAIT_WORDS = ("idle", "exit", "waiting", "done")


def wait_body(until: str) -> dict[str, Any]:
    """``--until``'s request: ``idle``, ``exit``, else a pattern (``re:`` forces one).

    A plain word close to one of the states (``exited``, ``idel``, ``Done``) is refused with
    the state it may mean: as a pattern it waited, without ``--timeout`` for good, for a
    text the screen might never show."""
    if until in WAIT_WORDS:
        return {"until": until}
    if until.isascii() and until.isalpha():
        import difflib

        near = difflib.get_close_matches(until.lower(), WAIT_WORDS, n=1, cutoff=0.75)
        if near:
            raise UsageError(
                f"--until {until!r}: did you mean {near[0]!r}? (re:{until} waits for the text)"
            )
    return {"until": "pattern", "pattern": until.removeprefix("re:")}


def run_wait(args: argparse.Namespace) -> int:
    from aitui.client.http import REQUEST_TIMEOUT_S

    client = client_for(args)
    body = wait_body(args.until)
    deadline = None if args.timeout is None else time.monotonic() + args.timeout
    while True:
        left = MAX_WAIT_S if deadline is None else min(MAX_WAIT_S, deadline - time.monotonic())
        body["timeout_ms"] = max(1, round(left * 1000))
        reply = client.request(
            "POST", session_path(args.name, "/wait"), body, timeout=left + REQUEST_TIMEOUT_S
        )
        if reply["reason"] != "timeout" or (deadline is not None and time.monotonic() >= deadline):
            break
    if args.json:
        emit(reply)
    return _wait_status(args, reply)


def _wait_status(args: argparse.Namespace, reply: dict[str, Any]) -> int:
    name, reason = reply["session_name"], reply["reason"]
    if reason == "timeout":
        if not args.json:
            print(f"aitui: {name}: timed out after {args.timeout:g}s", file=sys.stderr)
        return TIMED_OUT
    if reply["until"] == "exit":
        return program_status(reply["exit_code"])
    if reason == "exited":
        if not args.json:
            code = reply["exit_code"]
            ended = "is not running" if code is None else f"exited (code {code})"
            print(f"aitui: {name} {ended}: the wait cannot be met", file=sys.stderr)
        return FAILED
    return OK


def run_kill(args: argparse.Namespace) -> int:
    reply = client_for(args).request("DELETE", session_path(args.name))
    if args.json:
        emit({"session_name": args.name, "message": reply.get("message", "")})
    return OK


def run_restart(args: argparse.Namespace) -> int:
    reply = client_for(args, start=True).request("POST", session_path(args.name, "/restart"), {})
    if args.json:
        emit(reply)
    return OK
