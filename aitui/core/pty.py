"""A child process on a pseudo-terminal, driven from an asyncio loop without ever blocking it.

``spawn`` starts the child (a lean fork and exec, wrapped in a ``ptyprocess.PtyProcess``); this
module adds what a server holding many sessions needs: reads through ``loop.add_reader`` on a
non-blocking master fd (the child is drained at its own pace, whoever consumes the data), writes
that wait for room with ``add_writer`` instead of blocking, and a teardown that ends the child's
whole session (process group and every process sharing its session id) and reaps it without
blocking the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import signal
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from aitui.core.spawn import spawn

log = logging.getLogger(__name__)

READ_CHUNK = 65536
#: Reads per readiness callback; bounded so one flooding session cannot starve the others.
READS_PER_WAKEUP = 16
#: ... and bounded in time, so the dashboard and other sessions get the loop between reads.
READ_SECONDS_PER_WAKEUP = 0.001


class PtyChild:
    """One spawned child. Call :meth:`attach` to start streaming its output to callbacks."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        rows: int,
        cols: int,
    ) -> None:
        self._proc = spawn(argv, cwd=cwd, env=env, rows=rows, cols=cols)
        self.pid: int = self._proc.pid
        self.fd: int = self._proc.fd
        os.set_blocking(self.fd, False)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_data: Callable[[bytes], None] | None = None
        self._on_eof: Callable[[], None] | None = None
        self._eof = False
        self._closed = False
        self.exit_code: int | None = None
        # Reads land in one buffer and are copied out at their real size (~4 KB): os.read
        # would malloc READ_CHUNK each time and shrink it, fragmenting the heap while a
        # flood's backlog is kept (measured: ~2% of a fast writer's speed).
        self._buffer = [bytearray(READ_CHUNK)]
        self._view = memoryview(self._buffer[0])

    # -- reading -----------------------------------------------------------------------------
    def attach(
        self,
        loop: asyncio.AbstractEventLoop,
        on_data: Callable[[bytes], None],
        on_eof: Callable[[], None],
    ) -> None:
        self._loop = loop
        self._on_data = on_data
        self._on_eof = on_eof
        loop.add_reader(self.fd, self._readable)

    def drain(self, max_reads: int = 32) -> None:
        """Read what the PTY holds right now (called between pieces of long parsing work, so
        the program is never blocked on a full PTY buffer while the screen catches up).

        Linux hands out PTY output ~4 KB per read: reading only a few chunks per 16 KB piece
        parsed would pace the program at the parser's speed, so up to 32 (bounded by time)."""
        if not self._eof and not self._closed and self._on_data is not None:
            self._read(max_reads, READ_SECONDS_PER_WAKEUP)

    def _readable(self) -> None:
        self._read(READS_PER_WAKEUP, READ_SECONDS_PER_WAKEUP)

    def _read(self, max_reads: int, seconds: float) -> None:
        """Read and hand on each chunk as it comes.

        A fast writer waits for every read: Linux passes PTY output on ~4 KB at a time and
        refills only after a read (pausing 0.1 ms after each read made ``cat`` of 10 MB take
        3.8x as long), so what runs between two reads adds to the writer's time. Handing a
        wakeup's reads on as one batch would do less between them, yet the producer slowdown
        of ``benchmarks/throughput.py`` measured worse with it for a full-screen repaint
        (1.14-1.24x against 0.92-1.0x, in alternating runs) and no better for text: the time
        spent inside the reads grew more (92 -> 132 ms per 10 MB) than the consumers' time
        fell (22 -> 9 ms). Back to back, a read finds the PTY empty and waits in the kernel
        for its flush worker, sleeping and waking each time; with the consumers' few
        microseconds in between, the worker has refilled it by the next read.

        io_uring does not help either (Linux 6.18, measured): a multishot read of a PTY falls
        back to one shot as soon as the PTY is empty (a tty has no ``FMODE_NOWAIT``), and chains
        of hard-linked reads, which the kernel runs without any Python between them, made the
        plain-text ``cat`` 1.06-1.12x slower than this loop with no consumer and 1.25-1.39x
        with 5 µs of work per chunk (this loop: 0.95-1.04x)."""
        assert self._on_data is not None
        deadline = time.perf_counter() + seconds
        for _ in range(max_reads):
            if time.perf_counter() > deadline:
                return  # still readable: the loop calls us again after the others had a turn
            try:
                size = os.readv(self.fd, self._buffer)
            except BlockingIOError:
                return
            except OSError as exc:  # EIO: the slave side closed (child exited)
                if exc.errno not in (errno.EIO, errno.EBADF):
                    log.warning("pty %s read error: %s", self.pid, exc)
                size = 0
            if not size:
                self._finish_reading()
                return
            data = bytes(self._view[:size])
            try:
                self._on_data(data)
            except Exception:  # a consumer bug must never kill the reader
                log.exception("pty %s: output consumer failed", self.pid)

    def _finish_reading(self) -> None:
        if self._eof:
            return
        self._eof = True
        if self._loop is not None and not self._closed:
            self._loop.remove_reader(self.fd)
        if self._on_eof is not None:
            self._on_eof()

    # -- writing -----------------------------------------------------------------------------
    async def write(self, data: bytes) -> None:
        """Write all of ``data``, waiting (not blocking) while the PTY's input queue is full."""
        view = memoryview(data)
        loop = asyncio.get_running_loop()
        while view:
            if self._closed or self._eof:
                raise BrokenPipeError("the session's terminal is closed")
            try:
                written = os.write(self.fd, view)
                view = view[written:]
            except BlockingIOError:
                ready: asyncio.Future[None] = loop.create_future()
                loop.add_writer(self.fd, _resolve, ready)
                try:
                    await asyncio.wait_for(ready, timeout=5.0)
                except TimeoutError:
                    raise BrokenPipeError("the program is not reading its input") from None
                finally:
                    loop.remove_writer(self.fd)

    def write_nowait(self, data: bytes) -> None:
        """Best-effort immediate write (terminal query replies); drops what does not fit."""
        if self._closed or self._eof:
            return
        with contextlib.suppress(OSError):
            os.write(self.fd, data)

    # -- control -----------------------------------------------------------------------------
    def set_size(self, rows: int, cols: int) -> None:
        """Resize the terminal; the kernel sends SIGWINCH to the foreground process group."""
        if not self._closed:
            self._proc.setwinsize(rows, cols)

    def signal_group(self, sig: int) -> None:
        """Send ``sig`` to the child's process group and to every process of its session."""
        for pid in _session_members(self.pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    def poll(self) -> int | None:
        """Reap the child if it exited (never blocks); return its exit code or ``None``."""
        if self.exit_code is not None:
            return self.exit_code
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            # Already reaped elsewhere (ptyprocess); its status is lost to us.
            self.exit_code = self._proc.exitstatus if self._proc.exitstatus is not None else -1
            return self.exit_code
        if pid == 0:
            return None
        self.exit_code = os.waitstatus_to_exitcode(status)
        if self.exit_code < 0:  # killed by a signal: report it the way shells do
            self.exit_code = 128 - self.exit_code
        self._proc.terminated = True
        return self.exit_code

    async def wait(self, timeout: float) -> int | None:
        """Poll for the exit without blocking the loop; ``None`` if still alive at the deadline."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        delay = 0.001
        while True:
            code = self.poll()
            if code is not None or loop.time() >= deadline:
                return code
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)

    async def terminate(self, grace: float = 1.0) -> int | None:
        """End the child's whole session: SIGHUP (as a closing terminal would), then SIGKILL."""
        if self.poll() is None:
            self.signal_group(signal.SIGHUP)
            self.signal_group(signal.SIGCONT)
            if await self.wait(grace) is None:
                self.signal_group(signal.SIGKILL)
                await self.wait(5.0)
        # Stragglers that ignored SIGHUP and outlived the leader still share its session id.
        for pid in _session_members(self.pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        self.close()
        return self.exit_code

    def close(self) -> None:
        """Stop reading and close the master fd (idempotent)."""
        if self._closed:
            return
        if self._loop is not None and not self._eof:
            with contextlib.suppress(Exception):
                self._loop.remove_reader(self.fd)
        self._closed = True
        # ptyprocess's file object owns the fd: closing through it (not os.close) means its
        # finaliser can never close a later, unrelated file that reused the number.
        with contextlib.suppress(OSError):
            self._proc.fileobj.close()
        self._proc.closed = True


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _session_members(sid: int) -> list[int]:
    """Pids whose session id is ``sid`` (Linux ``/proc``; empty elsewhere)."""
    members: list[int] = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return members
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # Fields after the ")" closing comm: state ppid pgrp session ...
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 3 and int(fields[3]) == sid and int(entry) != sid:
            members.append(int(entry))
    return members
