"""Start a program on a new pseudo-terminal, doing as little as possible between fork and exec.

``ptyprocess.PtyProcess.spawn`` runs a page of Python in the child between ``fork`` and ``exec``
(window size, descriptor closing, a pre-exec hook...). Every page of the parent's heap that
Python touches there is copied, so in a process holding tens of megabytes (the dashboard, the
server) it took 4.5 ms where ``fork`` and ``exec`` alone take 2 (measured here with 20 MB held).
That is the start-up of every session and of every program a session starts as its command,
and it is counted in the producer slowdown (``benchmarks/throughput.py``). So the work is done
in the parent (the program's path resolved, the signals to reset listed, the window size
packed) and the child makes a handful of system calls; the result is still wrapped in a
``PtyProcess``, which the rest of the engine uses to resize and close.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import shutil
import signal
import struct
import termios
from collections.abc import Mapping, Sequence
from pathlib import Path

from ptyprocess import PtyProcess  # type: ignore[import-untyped,unused-ignore]

from aitui.core.errors import SpawnError

#: Exit status of a child whose ``exec`` failed (as shells report a command they cannot run).
EXEC_FAILED = 127


def spawn(
    argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], rows: int, cols: int
) -> PtyProcess:
    """Run ``argv`` as the leader of a new session whose controlling terminal is a new PTY.

    Returns once the program is running (its ``exec`` succeeded), so a program that cannot be
    started raises :class:`SpawnError` here, naming it and why. In the child every signal the
    parent ignores is back at its default (ignored signals survive ``exec``: Python ignores
    SIGPIPE and SIGXFSZ, ``nohup`` SIGHUP, a background job SIGINT...) and none is blocked."""
    if not argv:
        raise SpawnError("no program to start")
    program = _resolve(argv[0], env, cwd)
    environment = dict(env)
    arguments = list(argv)
    directory = os.fspath(cwd)
    winsize = struct.pack("HHHH", rows, cols, 0, 0)
    ignored = [sig for sig in signal.valid_signals() if signal.getsignal(sig) is signal.SIG_IGN]
    max_fd = os.sysconf("SC_OPEN_MAX")
    report_r, report_w = os.pipe()  # close-on-exec: EOF tells the parent the exec succeeded
    try:
        pid, fd = pty.fork()
    except OSError as exc:
        os.close(report_r)
        os.close(report_w)
        raise SpawnError(f"could not start {argv[0]!r}: {exc}") from exc
    if pid == 0:  # pragma: no cover - the child; its outcome is what the tests check
        _child(report_w, max_fd, program, arguments, environment, directory, winsize, ignored)
    os.close(report_w)
    try:
        report = _read_all(report_r)
    finally:
        os.close(report_r)
    if report:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        os.close(fd)
        raise SpawnError(f"could not start {argv[0]!r}: {report.decode('utf-8', 'replace')}")
    process = PtyProcess(pid, fd)
    process.argv = arguments
    process.env = environment
    process.launch_dir = directory
    return process


def _resolve(name: str, env: Mapping[str, str], cwd: Path) -> str:
    """The executable ``name`` names: a path (relative to the program's own directory, where
    it will run) or a command searched on the program's own ``PATH``."""
    if os.sep in name:
        path = os.path.join(cwd, name)
        found = path if os.access(path, os.X_OK) and not os.path.isdir(path) else None
    else:
        found = shutil.which(name, path=env.get("PATH", os.defpath))
    if found is None:
        raise SpawnError(f"could not start {name!r}: not found or not executable")
    return found


def _child(
    report: int,
    max_fd: int,
    program: str,
    argv: list[str],
    env: dict[str, str],
    cwd: str,
    winsize: bytes,
    ignored: list[signal.Signals],
) -> None:  # pragma: no cover - runs in the child
    """Between fork and exec: a few system calls, then ``exec`` (or a report and exit 127)."""
    try:
        os.closerange(3, report)
        os.closerange(report + 1, max_fd)
        fcntl.ioctl(0, termios.TIOCSWINSZ, winsize)
        os.chdir(cwd)
        for sig in ignored:
            with contextlib.suppress(OSError, ValueError):
                signal.signal(sig, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, ())
        os.execve(program, argv, env)
    except BaseException as exc:
        with contextlib.suppress(BaseException):
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            os.write(report, f"{detail} ({type(exc).__name__})".encode())
    finally:
        os._exit(EXEC_FAILED)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 4096):
        chunks.append(chunk)
    return b"".join(chunks)
