"""The aitui server process: one per user and socket name, owning the sessions.

``python -m aitui.server.daemon --socket PATH [--ready-fd N] [--detach]`` is what ``aitui``
and the CLI start when no server answers (``aitui.client.spawn``). Start-up, in order:

1. ``--detach``: fork once more and let the parent exit, so the server is nobody's child (its
   starter reaps the intermediate at once) and, started with ``setsid``, has no terminal.
2. Take ``PATH.lock`` with ``flock``: a second server on the same socket stops here, with a
   message naming the running one's pid. The kernel drops the lock when the process dies, even
   of ``kill -9``, so a lock that can be taken means any socket file left is stale: it is
   removed and bound afresh (never while another server holds the lock).
3. Bind the socket under a 077 umask (0600), in a directory that must be the user's own, 0700.
4. Tell the starter "ok" (or the reason it failed) on the readiness pipe, then serve: the HTTP
   API and ``/attach`` over the socket, and the HTTP API on TCP when asked (with the token rules
   of ``aitui serve``).

SIGTERM/SIGINT (``aitui kill-server``) stop it: every session's process group is ended and
waited for, the store closed, the socket and lock removed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from aitui.core.errors import AituiError
from aitui.core.paths import open_private, private_dir
from aitui.core.sockets import check_socket_owner, ensure_socket_dir, listen_private, log_path

log = logging.getLogger("aitui.server")


class ServerRunningError(AituiError):
    """Another server holds this socket."""


def lock_path(sock: Path) -> Path:
    return sock.with_name(sock.name + ".lock")


def take_lock(sock: Path) -> int:
    """Hold ``sock``'s lock (the descriptor, kept open for the server's life, has our pid)."""
    fd = open_private(lock_path(sock), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pid = os.read(fd, 32).decode(errors="replace").strip() or "?"
        os.close(fd)
        raise ServerRunningError(
            f"an aitui server is already running on {sock} (pid {pid}): 'aitui attach' joins it, "
            f"'aitui kill-server' ends it"
        ) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def running_pid(sock: Path) -> int | None:
    """The pid of the server holding ``sock``'s lock, or ``None`` if none does."""
    try:
        fd = os.open(lock_path(sock), os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.read(fd, 32).decode(errors="replace").strip()
            return int(text) if text.isdigit() else None
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def bind_unix(sock: Path) -> socket.socket:
    """A listening socket at ``sock`` (0600); a file left there by a dead server is replaced.
    Call with the lock held."""
    ensure_socket_dir(sock)
    if sock.exists() or sock.is_symlink():
        check_socket_owner(sock)
        sock.unlink()  # stale: the lock is ours, so no live server is behind it
    listener = listen_private(sock, 128)
    listener.setblocking(False)
    return listener


def _setup_logging(sock: Path, level: str) -> None:
    """The log (0600, in the state dir) takes stdout, stderr and ``logging``."""
    path = log_path(sock)
    private_dir(path.parent)
    fd = open_private(path, os.O_WRONLY | os.O_APPEND)
    if os.fstat(fd).st_size > 5_000_000:
        os.ftruncate(fd, 0)
    for target in (1, 2):
        os.dup2(fd, target)
    os.close(fd)
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def _tell(ready_fd: int | None, text: str) -> None:
    if ready_fd is None:
        return
    with contextlib.suppress(OSError):
        os.write(ready_fd, text.encode()[:4000])
        os.close(ready_fd)


def main(argv: Sequence[str] | None = None) -> int:
    from aitui.server.cli import add_arguments

    parser = argparse.ArgumentParser(prog="aitui server")
    parser.add_argument("--ready-fd", type=int, default=None)
    parser.add_argument("--detach", action="store_true")
    parser.add_argument("--tcp", action="store_true", help="also serve HTTP on --host/--port")
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.socket is None:
        parser.error("--socket PATH is required")
    if args.detach and os.fork() > 0:
        os._exit(0)  # the starter reaps this parent; the server is nobody's child
    return serve_process(Path(args.socket), args, lambda text: _tell(args.ready_fd, text))


def serve_process(sock: Path, args: argparse.Namespace, tell: Callable[[str], None]) -> int:
    """Run a server on ``sock`` in this process until it is stopped (see the docstring);
    ``args`` are ``aitui serve``'s (plus ``tcp`` and ``detach``). ``tell`` hears "ok PID" once
    it listens, or "error: why"."""
    try:
        ensure_socket_dir(sock)
        lock = take_lock(sock)
        if args.detach:
            _setup_logging(sock, args.log_level)
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
    except (AituiError, OSError) as exc:
        tell(f"error: {exc}")
        print(f"aitui server: {exc}", file=sys.stderr)
        return 1
    from aitui.server.auth import TokenError
    from aitui.server.host_server import run

    try:
        return asyncio.run(run(sock, args, tell))
    except TokenError as exc:
        tell(f"error: {exc}")
        return 2
    except OSError as exc:
        tell(f"error: {exc.strerror or exc}")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        with contextlib.suppress(OSError):
            sock.unlink(missing_ok=True)  # ours: nobody else can bind while we hold the lock
        os.close(lock)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
