"""Starting a server when none answers, and attaching to it.

The server runs as ``python -m aitui.server.daemon --detach`` in a new session (no terminal;
it forks once more so that it is nobody's child) and says on a pipe when it listens, or why it
could not; its output goes to its log in the state dir, where an error names it. The client
never imports the server: it only starts the process.

Starting is two steps, ``ServerLaunch(sock)`` (the process is running) and ``wait()`` (it
listens), so that ``aitui`` can start a server before it imports its dashboard and let the
server's start-up (about a second of imports) overlap its own. Until ``attach`` this module
loads no websocket stack (``aitui.client.connection``): ``aitui`` imports it that early.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aitui.core.errors import AituiError
from aitui.core.paths import open_private, private_dir
from aitui.core.sockets import check_socket_owner, ensure_socket_dir, log_path

if TYPE_CHECKING:
    from aitui.client.remote import RemoteHost

START_TIMEOUT_S = 20.0
READY_TIMEOUT_S = 10.0


class ServerStartError(AituiError):
    """The server could not start (its reason, and where its log is)."""


class ServerLaunch:
    """A detached server starting on ``sock`` (with the options ``extra``): ``wait`` for it to
    listen. ``OSError`` if its log cannot be opened or its process started."""

    def __init__(
        self, sock: Path, extra: Sequence[str] = (), env: Mapping[str, str] | None = None
    ) -> None:
        ensure_socket_dir(sock)
        self.log = log_path(sock)
        private_dir(self.log.parent)
        log_fd = open_private(self.log, os.O_WRONLY | os.O_APPEND)
        read_end, write_end = os.pipe()
        try:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "aitui.server.daemon",
                    "--socket",
                    str(sock),
                    "--ready-fd",
                    str(write_end),
                    "--detach",
                    *extra,
                ],
                pass_fds=(write_end,),
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                stdout=log_fd,
                stderr=log_fd,
                cwd=Path.home(),
                close_fds=True,
                env=env,
            )
        except BaseException:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)
            os.close(log_fd)
        self._ready: int | None = read_end

    def wait(self, timeout: float = START_TIMEOUT_S) -> int:
        """The server's pid once it listens; ``ServerStartError`` with its reason if it could
        not start, or did not say so within ``timeout``. Once only."""
        if self._ready is None:
            raise ServerStartError("the aitui server's start was already waited for")
        try:
            text = _read_until_closed(self._ready, timeout)
        finally:
            self.close(timeout)
        if text.startswith("ok"):
            return int(text.split()[1])
        reason = text.removeprefix("error: ").strip() or "it exited at start"
        raise ServerStartError(f"the aitui server did not start: {reason} (log: {self.log})")

    def close(self, timeout: float = START_TIMEOUT_S) -> None:
        """Stop listening for it (it runs on regardless) and reap the intermediate process,
        which exits as soon as it has forked the server."""
        if self._ready is not None:
            os.close(self._ready)
            self._ready = None
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=timeout)


def start_server(
    sock: Path,
    extra: Sequence[str] = (),
    timeout: float = START_TIMEOUT_S,
    env: Mapping[str, str] | None = None,
) -> int:
    """Start a detached server on ``sock`` (``env``: its environment, default this one's);
    its pid once it listens."""
    return ServerLaunch(sock, extra, env).wait(timeout)


def server_answers(sock: Path) -> bool:
    """Whether something listens on ``sock`` (a connect, nothing sent): ``aitui``'s quick look
    before it imports its dashboard. False for a socket of another user's (``attach`` then
    refuses it with its reason)."""
    try:
        check_socket_owner(sock)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            probe.connect(str(sock))
    except (OSError, AituiError):
        return False
    return True


def _read_until_closed(fd: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise ServerStartError(f"the aitui server did not say it was ready in {timeout:.0f}s")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            return b"".join(chunks).decode(errors="replace")
        chunks.append(chunk)


async def attach(
    sock: Path,
    *,
    start: bool = True,
    extra: Sequence[str] = (),
    launch: ServerLaunch | None = None,
) -> RemoteHost:
    """A ``RemoteHost`` on the server at ``sock`` with its session list in, starting the
    server first (with the options ``extra``) if none answers and ``start`` (else
    ``ServerGoneError``). ``launch``: a server already starting on ``sock``, waited for first.
    A server that cannot start, with none answering after, raises its ``ServerStartError``."""
    import asyncio

    from aitui.client.connection import Connection, ServerGoneError
    from aitui.client.remote import RemoteHost

    failed: ServerStartError | None = None
    if launch is not None:
        try:
            await asyncio.to_thread(launch.wait)
        except ServerStartError as exc:
            failed = exc  # another client may have started one at the same moment
    try:
        connection = await Connection.open(sock)
    except ServerGoneError:
        if failed is not None:
            raise failed from None
        if not start:
            raise
        try:
            await asyncio.to_thread(start_server, sock, extra)
        except ServerStartError as exc:
            failed = exc  # as above: another client's server will do
        try:
            connection = await Connection.open(sock)
        except ServerGoneError:
            if failed is not None:
                raise failed from None
            raise
    host = RemoteHost(connection)
    try:
        await asyncio.wait_for(host.ready.wait(), READY_TIMEOUT_S)
    except TimeoutError:
        await host.close()
        raise ServerGoneError(f"the server on {sock} sent no session list") from None
    if host.lost is not None:
        raise ServerGoneError(host.lost)
    return host
