"""A dashboard started in a few milliseconds: ``aitui`` hands its terminal to a warm process.

Importing Textual and the dashboard takes ~0.4 s of CPython's time on every ``aitui``
(``textual.app`` alone ~0.25 s), before anything is drawn; tmux attaches in ~10 ms. So once a
dashboard has attached to a server, a *warm dashboard* (``aitui/cli/warm_server.py``) is
started beside that server: a process that has imported everything, waits on the Unix socket
``<server socket>.dashboard`` (0600, in the server's 0700 directory) and forks one child per
``aitui`` that asks. The child takes the asking process's terminal, working directory,
environment and arguments and runs ``aitui`` exactly as a fresh process would (the same
``main``), so every option behaves the same; emacs's ``emacsclient -t`` works this way.

This side, the *launcher*, is what ``aitui`` runs first when it is started in a terminal with
no command or ``attach`` (anything else goes the usual way). It imports only the standard
library: it sends its terminal's three descriptors (``SCM_RIGHTS``) with a JSON request, then
relays what only it receives, being in the terminal's foreground process group: a window
size change becomes ``winch`` (the child re-reads the size). When the launcher dies (the
terminal closed, kill -9), the child sees its socket close and hangs up, as a dashboard whose
terminal closed does. The child's exit status becomes the launcher's.

Nothing waits forever: a warm process that does not answer in ``ANSWER_TIMEOUT_S`` or answers
with a refusal (it was started from other code: a changed install or checkout, another Python)
leaves ``aitui`` to start the usual way, having lost only the connect.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
from pathlib import Path

TYPE_CHECKING = False  # ``typing`` is not imported here: see the module's docstring
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

#: Protocol version of the request and its answers (both sides of one install).
VERSION = 1
ANSWER_TIMEOUT_S = 2.0
WARM_SUFFIX = ".dashboard"


def warm_socket(server_socket: Path) -> Path:
    """Where the warm dashboard of the server on ``server_socket`` listens."""
    return server_socket.with_name(server_socket.name + WARM_SUFFIX)


def code_identity() -> dict[str, str]:
    """What a warm process must share with its launcher: the Python and the aitui it runs."""
    import aitui

    return {
        "executable": os.path.realpath(sys.executable),
        "prefix": sys.prefix,
        "package": str(Path(aitui.__file__).resolve().parent),
    }


def send_line(conn: socket.socket, message: dict[str, Any], fds: Sequence[int] = ()) -> None:
    data = (json.dumps(message) + "\n").encode()
    if fds:
        socket.send_fds(conn, [data], list(fds))
    else:
        conn.sendall(data)


class LineReader:
    """JSON lines from a stream socket (the descriptors passed with the first one too)."""

    def __init__(self, conn: socket.socket, *, max_fds: int = 0) -> None:
        self.conn = conn
        self.fds: list[int] = []
        self._max_fds = max_fds
        self._buffer = b""

    def read(self, limit: int = 1 << 20) -> dict[str, Any] | None:
        """The next message; None at end of stream. ``ValueError`` for one that is not a JSON
        object or is longer than ``limit`` bytes."""
        while b"\n" not in self._buffer:
            if len(self._buffer) > limit:
                raise ValueError("message too long")
            if self._max_fds:
                chunk, fds, _, _ = socket.recv_fds(self.conn, 65536, self._max_fds)
                self.fds.extend(fds)
                self._max_fds = 0  # only the first message carries descriptors
            else:
                chunk = self.conn.recv(65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        message = json.loads(line)
        if not isinstance(message, dict):
            raise ValueError("a message is a JSON object")
        return message


def launch_warm(argv: Sequence[str]) -> int | None:
    """Run ``aitui argv`` in the warm dashboard of its server, if one answers: the dashboard's
    exit status, or None when ``aitui`` should start the usual way (no warm process, a
    refusal, not a terminal, or a command other than the dashboard's)."""
    if not _in_terminal():
        return None
    path = _dashboard_socket(argv)
    if path is None:
        return None
    modes = _terminal_modes()  # before the child makes the terminal raw
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(ANSWER_TIMEOUT_S)
        conn.connect(str(warm_socket(path)))
        request = {
            "version": VERSION,
            **code_identity(),
            "argv": list(argv),
            "cwd": os.getcwd(),
            "env": dict(os.environ),
            "encoding": sys.stdout.encoding,
        }
        send_line(conn, request, fds=(0, 1, 2))
        reader = LineReader(conn)
        answer = reader.read()
        if answer is None or "started" not in answer:
            conn.close()
            return None
    except (OSError, ValueError):
        conn.close()
        return None
    return _relay(conn, reader, modes)


def _in_terminal() -> bool:
    # A closed descriptor leaves its stream None (``aitui compress <&-``): not a terminal.
    stdin, stdout = sys.stdin, sys.stdout
    return stdin is not None and stdout is not None and stdin.isatty() and stdout.isatty()


def _terminal_modes() -> list[Any] | None:
    import termios

    try:
        return termios.tcgetattr(0)
    except termios.error:
        return None


def _restore_terminal(modes: list[Any] | None) -> None:
    """After a dashboard that died without restoring the terminal (kill -9): its modes back,
    the main screen, the cursor shown, mouse reports and bracketed paste off."""
    import termios

    with contextlib.suppress(OSError):
        os.write(1, b"\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?1049l\x1b[?25h")
    if modes is not None:
        with contextlib.suppress(termios.error):
            termios.tcsetattr(0, termios.TCSADRAIN, modes)


def _relay(conn: socket.socket, reader: LineReader, modes: list[Any] | None) -> int:
    """Wait for the child's exit status, passing on window size changes meanwhile."""
    conn.settimeout(None)

    def on_winch(signum: int, frame: object) -> None:
        with contextlib.suppress(OSError):
            send_line(conn, {"signal": "winch"})

    previous = signal.signal(signal.SIGWINCH, on_winch)
    try:
        while True:
            try:
                message = reader.read()
            except ValueError:
                continue
            if message is None:  # the child died without a word: its terminal may be raw
                _restore_terminal(modes)
                print("aitui: the dashboard ended unexpectedly", file=sys.stderr)
                return 1
            if "exit" in message:
                code = message["exit"]
                return code if isinstance(code, int) else 1
    finally:
        signal.signal(signal.SIGWINCH, previous)
        conn.close()


def _dashboard_socket(argv: Sequence[str]) -> Path | None:
    """The server socket of ``aitui argv`` when it starts the dashboard on a server: no
    command, or ``attach`` with at most ``-t NAME``, after at most one ``-L NAME`` or
    ``-S PATH`` (resolved as ``aitui`` resolves them). None for anything else, which goes the
    usual way: other options, other commands, a bad server name."""
    from aitui.core.errors import AituiError
    from aitui.core.sockets import socket_path

    rest = list(argv)
    name = path = None
    if len(rest) >= 2 and rest[0] in ("-L", "-S"):
        name, path = (rest[1], None) if rest[0] == "-L" else (None, rest[1])
        rest = rest[2:]
    if rest and not (rest == ["attach"] or (len(rest) == 3 and rest[:2] == ["attach", "-t"])):
        return None
    try:
        return socket_path(name, path)
    except AituiError:
        return None
