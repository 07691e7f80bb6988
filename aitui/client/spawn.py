"""Starting a server when none answers, and attaching to it.

The server runs as ``python -m aitui.server.daemon --detach`` in a new session (no terminal;
it forks once more so that it is nobody's child) and says on a pipe when it listens, or why it
could not; its output goes to its log in the state dir, where an error names it. The client
never imports the server: it only starts the process.
"""

from __future__ import annotations

import asyncio
import os
import select
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from aitui.client.connection import Connection, ServerGoneError
from aitui.client.remote import RemoteHost
from aitui.core.errors import AituiError
from aitui.core.paths import open_private, private_dir
from aitui.core.sockets import ensure_socket_dir, log_path

START_TIMEOUT_S = 20.0
READY_TIMEOUT_S = 10.0


class ServerStartError(AituiError):
    """The server could not start (its reason, and where its log is)."""


def start_server(sock: Path, extra: Sequence[str] = (), timeout: float = START_TIMEOUT_S) -> int:
    """Start a detached server on ``sock``; its pid once it listens."""
    ensure_socket_dir(sock)
    log = log_path(sock)
    private_dir(log.parent)
    log_fd = open_private(log, os.O_WRONLY | os.O_APPEND)
    read_end, write_end = os.pipe()
    try:
        process = subprocess.Popen(
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
        )
    finally:
        os.close(write_end)
        os.close(log_fd)
    try:
        text = _read_until_closed(read_end, timeout)
    finally:
        os.close(read_end)
        process.wait(timeout=timeout)  # the intermediate, which exits at once
    if text.startswith("ok"):
        return int(text.split()[1])
    reason = text.removeprefix("error: ").strip() or "it exited at start"
    raise ServerStartError(f"the aitui server did not start: {reason} (log: {log})")


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


async def attach(sock: Path, *, start: bool = True, extra: Sequence[str] = ()) -> RemoteHost:
    """A ``RemoteHost`` on the server at ``sock`` with its session list in, starting the
    server first (with the options ``extra``) if none answers and ``start`` (else
    ``ServerGoneError``)."""
    try:
        connection = await Connection.open(sock)
    except ServerGoneError:
        if not start:
            raise
        try:
            await asyncio.to_thread(start_server, sock, extra)
        except ServerStartError:
            # another client may have started one at the same moment: its server will do
            try:
                connection = await Connection.open(sock)
            except ServerGoneError:
                raise
        else:
            connection = await Connection.open(sock)
    host = RemoteHost(connection)
    try:
        await asyncio.wait_for(host.ready.wait(), READY_TIMEOUT_S)
    except TimeoutError:
        await host.close()
        raise ServerGoneError(f"the server on {sock} sent no session list") from None
    if host.lost is not None:
        raise ServerGoneError(host.lost)
    return host
