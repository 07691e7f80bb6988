"""The warm dashboard: a process that has imported the dashboard and forks one per ``aitui``.

    python -m aitui.cli.warm_server --socket SERVER_SOCKET

Started by a dashboard once it has attached (``ensure_warm``), detached, one per server
socket; it lives as long as its server (a ``pidfd`` of the server's process, found from the
listening socket's peer credentials, so a ``kill -9`` of the server ends it too) and removes
its socket when it goes. The protocol and the launcher are in ``aitui.cli.warm``.

A request is accepted only from this user (``SO_PEERCRED``), with exactly three descriptors,
from the same Python and the same aitui package, whose files have not changed since this
process imported them (an upgrade or an edited checkout): otherwise it is refused, and a warm
process that finds its code changed exits, so the next dashboard starts a current one. A bad
request never ends the process; the child it forks is the only thing that runs user code.

The fork happens with one thread (nothing here starts one before), after ``gc.freeze()`` so that
the child's collections do not copy the imported modules' pages.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import select
import signal
import socket
import struct
import sys
import threading
from pathlib import Path
from typing import Any

from aitui.cli.warm import VERSION, LineReader, code_identity, send_line, warm_socket
from aitui.core.sockets import check_socket_owner, ensure_socket_dir, listen_private

REQUEST_TIMEOUT_S = 2.0
#: What the dashboard imports before its first frame (``benchmarks/server_attach.py`` times
#: the same list): imported here once, so a child starts with them loaded.
DASHBOARD_MODULES = (
    "aitui.cli.dashboard",
    "aitui.dashboard.app",
    "aitui.dashboard.theming",
    "aitui.core.settings",
    "aitui.client",
    "aitui.client.spawn",
    "aitui.client.connection",
    "aitui.client.remote",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aitui.cli.warm_server")
    parser.add_argument("--socket", type=Path, required=True, help="the server's socket")
    args = parser.parse_args(argv)
    if not hasattr(os, "pidfd_open"):
        return 0  # Linux only: the server's end is followed by a pidfd (macOS starts cold)
    server_pid = _listening_pid(args.socket)
    if server_pid is None:
        return 0  # no server: nothing to be warm for
    pidfd = os.pidfd_open(server_pid)
    path = warm_socket(args.socket)
    listener = _bind(path)
    if listener is None:
        return 0  # another warm dashboard answers there
    bound = os.stat(path).st_ino  # removed at the end only if no newer process replaced it
    try:
        identity = _prepare()
        fingerprint = _code_fingerprint()
        signal.signal(signal.SIGCHLD, _reap)
        _serve(listener, pidfd, identity, fingerprint)
    finally:
        with contextlib.suppress(OSError):
            if os.stat(path).st_ino == bound:
                os.unlink(path)
        listener.close()
    return 0


def _listening_pid(server_socket: Path) -> int | None:
    """The pid of the process listening on ``server_socket`` (this user's), or None."""
    try:
        check_socket_owner(server_socket)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            probe.connect(str(server_socket))
            return _peer(probe)[0]
    except Exception:  # any failure means: no server to be warm for
        return None


def _peer(conn: socket.socket) -> tuple[int, int]:
    """(pid, uid) of the other end of a Unix socket."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, _gid = struct.unpack("3i", creds)
    return pid, uid


def _bind(path: Path) -> socket.socket | None:
    """A listening socket on ``path`` (0600), replacing a stale one; None if one answers."""
    ensure_socket_dir(path)
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as probe:
        probe.settimeout(1.0)
        probe.connect(str(path))
        return None
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    return listen_private(path, 16)


#: The command line's parser, built once here (every child would take ~20 ms building it).
_parser: argparse.ArgumentParser | None = None


def _prepare() -> dict[str, str]:
    """Import what a dashboard needs, then freeze the heap for copy-on-write forks."""
    import importlib

    from aitui.dashboard.fps import use_dashboard_fps

    use_dashboard_fps()  # before Textual is imported, as ``aitui`` does
    for name in DASHBOARD_MODULES:
        importlib.import_module(name)
    import aitui.cli

    global _parser
    _parser = aitui.cli.build_parser()  # imports every command's module
    _rehearse()
    gc.collect()
    gc.freeze()
    return code_identity()


def _rehearse() -> None:
    """Run the dashboard once, headless and attached to nothing, until its first frame: what
    Textual imports and caches on first use (its lazily loaded widgets, parsed CSS selectors
    and styles, rich's segment and cell caches) is then ready for every child."""
    import asyncio

    from textual.pilot import Pilot

    from aitui.core.hosting import Host
    from aitui.core.settings import Settings
    from aitui.dashboard.app import AituiApp

    async def never() -> Host:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def first_frame(pilot: Pilot[object]) -> None:
        await pilot.pause()
        pilot.app.exit()

    app = AituiApp(settings=Settings(), reconnect=never)
    app.run(headless=True, size=(160, 50), auto_pilot=first_frame)


def _code_fingerprint() -> tuple[tuple[str, int, int], ...]:
    """Every module file of the aitui package and every theme file, with its size and
    modification time. The themes too: the dashboard reads them once (``load_themes``) and a
    child forked from this process used what the rehearsal read, so an edited or added theme
    file was not seen until the server restarted."""
    import aitui
    from aitui.dashboard.theming import theme_dirs

    paths = [
        os.path.join(directory, name)
        for directory, _dirs, files in os.walk(os.path.dirname(aitui.__file__))
        for name in files
        if name.endswith(".py")
    ]
    paths += [str(path) for directory in theme_dirs() for path in directory.glob("*.toml")]
    entries = []
    for path in paths:
        with contextlib.suppress(OSError):
            info = os.stat(path)
            entries.append((path, info.st_size, info.st_mtime_ns))
    return tuple(sorted(entries))


def _reap(signum: int, frame: object) -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _serve(
    listener: socket.socket,
    pidfd: int,
    identity: dict[str, str],
    fingerprint: tuple[tuple[str, int, int], ...],
) -> None:
    while True:
        ready, _, _ = select.select([listener.fileno(), pidfd], [], [])
        if pidfd in ready:
            return  # the server is gone
        conn, _ = listener.accept()
        with conn:
            verdict = _answer(conn, listener, pidfd, identity, fingerprint)
        if verdict == "stale":
            return


def _answer(
    conn: socket.socket,
    listener: socket.socket,
    pidfd: int,
    identity: dict[str, str],
    fingerprint: tuple[tuple[str, int, int], ...],
) -> str:
    """Handle one request: "forked", "refused" or "stale" (this process should end)."""
    reader = LineReader(conn, max_fds=3)
    try:
        conn.settimeout(REQUEST_TIMEOUT_S)
        if _peer(conn)[1] != os.getuid():
            return _refuse(conn, reader, "not this user's")
        request = reader.read()
        if request is None:
            return _refuse(conn, reader, "no request")
        if request.get("ping"):
            send_line(conn, {"pong": os.getpid()})
            return _refuse(conn, reader, None)
        problem = _check(request, reader.fds, identity)
        if problem:
            return _refuse(conn, reader, problem)
        if _code_fingerprint() != fingerprint:
            _refuse(conn, reader, "aitui's code changed since this process started")
            return "stale"
    except (OSError, ValueError) as exc:
        return _refuse(conn, reader, f"bad request: {exc}")
    pid = os.fork()
    if pid == 0:
        _child(conn, reader, request, listener, pidfd)  # never returns
    for fd in reader.fds:
        os.close(fd)
    with contextlib.suppress(OSError):
        send_line(conn, {"started": pid})
    return "forked"


def _check(request: dict[str, Any], fds: list[int], identity: dict[str, str]) -> str | None:
    if request.get("version") != VERSION:
        return f"protocol {request.get('version')!r}, this process speaks {VERSION}"
    if any(request.get(key) != value for key, value in identity.items()):
        return "another Python or another aitui"
    if len(fds) != 3:
        return "a request passes the terminal's three descriptors"
    argv, env, cwd = request.get("argv"), request.get("env"), request.get("cwd")
    if not (isinstance(argv, list) and all(isinstance(a, str) for a in argv)):
        return "argv is a list of strings"
    if not (isinstance(env, dict) and all(isinstance(v, str) for v in env.values())):
        return "env maps names to strings"
    if not isinstance(cwd, str):
        return "cwd is a path"
    return None


def _refuse(conn: socket.socket, reader: LineReader, reason: str | None) -> str:
    for fd in reader.fds:
        os.close(fd)
    reader.fds.clear()
    if reason is not None:
        with contextlib.suppress(OSError):
            send_line(conn, {"refused": reason})
    return "refused"


def _child(
    conn: socket.socket,
    reader: LineReader,
    request: dict[str, Any],
    listener: socket.socket,
    pidfd: int,
) -> None:
    """In the forked child: become ``aitui argv`` run in the launcher's terminal."""
    code = 1
    try:
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        listener.close()
        os.close(pidfd)
        for target, fd in enumerate(reader.fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _reopen_streams(str(request.get("encoding") or "utf-8"))
        conn.settimeout(None)
        threading.Thread(target=_follow_launcher, args=(reader,), daemon=True).start()
        sys.argv = ["aitui", *request["argv"]]
        from aitui.cli import main as aitui_main

        code = aitui_main(request["argv"], warm=False, parser=_parser)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # the child reports its end, whatever happened
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            import atexit

            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        with contextlib.suppress(OSError):
            send_line(conn, {"exit": code})
        os._exit(code)


def _reopen_streams(encoding: str) -> None:
    """``sys.std*`` on the terminal's descriptors, as a fresh ``aitui`` would have them."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        raw = io.FileIO(fd, "rb" if fd == 0 else "wb", closefd=False)
        buffered: Any = io.BufferedReader(raw) if fd == 0 else io.BufferedWriter(raw)
        stream = io.TextIOWrapper(
            buffered,
            encoding=encoding,
            errors="backslashreplace" if fd == 2 else "strict",
            line_buffering=fd != 0,
        )
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _follow_launcher(reader: LineReader) -> None:
    """The launcher's relayed signals; its end (the terminal closed) is a hang-up."""
    while True:
        try:
            message = reader.read()
        except (OSError, ValueError):
            message = None
        if message is None:
            os.kill(os.getpid(), signal.SIGHUP)
            return
        if message.get("signal") == "winch":
            os.kill(os.getpid(), signal.SIGWINCH)


def ensure_warm(server_socket: Path) -> None:
    """Start the warm dashboard of ``server_socket``'s server unless one answers there."""
    import subprocess

    path = warm_socket(server_socket)
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as probe:
        probe.settimeout(1.0)
        probe.connect(str(path))
        send_line(probe, {"ping": True})
        if LineReader(probe).read() is not None:
            return
    from aitui.core.paths import open_private, private_dir
    from aitui.core.sockets import log_path

    log = log_path(server_socket).with_name(f"dashboard-{server_socket.name}.log")
    try:
        private_dir(log.parent)
        log_fd = open_private(log, os.O_WRONLY | os.O_APPEND)
    except OSError:
        return
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "aitui.cli.warm_server", "--socket", str(server_socket)],
            stdin=subprocess.DEVNULL,
            stdout=log_fd,
            stderr=log_fd,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        return
    finally:
        os.close(log_fd)
    # reaped when it ends (at once if another one answered first), not left a zombie
    threading.Thread(target=process.wait, name="aitui-warm-reaper", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
