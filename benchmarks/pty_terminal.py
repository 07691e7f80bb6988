"""A program in a PTY that the benchmark reads as a terminal would: the shared machinery of the
benchmarks that measure a whole client (``aitui -S``, ``tmux attach``) from the outside.

``PtyTerminal`` forks ``argv`` on a PTY of a given size and a thread reads everything it writes,
as fast as a terminal would. With ``emulate`` the output is also parsed by aitui's own
``TerminalScreen`` (the same emulator for every client measured, so the comparison is fair), and
the benchmark can wait for some text to appear on that screen: ``expect`` arms a watch, the
reader checks it after each read and notes the time of the read that made it true (taken as the
read returned, before parsing, so the emulator's own cost is not counted in the latency).

Also here: ``process_cpu`` (a process's CPU seconds, from ``/proc``) and ``wait_quiet``, for the
benchmarks that count the CPU of the processes they measure.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aitui.core.terminal import TerminalScreen


def process_cpu(pid: int, precise: bool = False) -> float:
    """User + system CPU seconds of ``pid`` (0 once it is gone), in clock ticks (10 ms); with
    ``precise``, the scheduler's nanoseconds summed over its live threads (for small figures,
    such as an idle process's: a thread that has ended is no longer counted)."""
    try:
        if precise:
            total = 0
            for task in Path(f"/proc/{pid}/task").iterdir():
                with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                    total += int((task / "schedstat").read_text().split()[0])
            return total / 1e9
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_quiet(pids: Sequence[int], timeout: float = 10.0, step: float = 0.1) -> list[float]:
    """Wait until ``pids`` together use no CPU for two steps in a row (they have caught up
    with what they were given); returns each one's CPU seconds then (``precise``)."""
    deadline = time.monotonic() + timeout
    last = [process_cpu(p, precise=True) for p in pids]
    quiet = 0
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(step)
        now = [process_cpu(p, precise=True) for p in pids]
        quiet = quiet + 1 if sum(now) - sum(last) < 0.005 else 0
        last = now
    return last


class PtyTerminal:
    """``argv`` on a ``rows`` x ``cols`` PTY, drained by a thread (see the module docstring)."""

    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str],
        rows: int = 50,
        cols: int = 160,
        emulate: bool = True,
    ) -> None:
        self.started = time.perf_counter()
        self.screen = TerminalScreen(rows, cols, scrollback=0) if emulate else None
        self.bytes_read = 0
        self._lock = threading.Lock()
        self._watch: str | re.Pattern[str] | None = None
        self._counter: re.Pattern[str] | None = None
        #: What ``count`` found on the screen after each read (its first group), while it ran.
        self.counted: set[str] = set()
        self._seen = threading.Event()
        self.seen_at = 0.0
        #: ``first_seen``'s texts and the time of the read that first showed each.
        self._firsts: dict[str | re.Pattern[str], float | None] = {}
        self._all_seen = threading.Event()
        pid, fd = pty.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                os.execvpe(argv[0], list(argv), env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self._reader = threading.Thread(target=self._read, name="terminal", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                data = os.read(self.fd, 65536)
                if not data:
                    return
                arrived = time.perf_counter()
                self.bytes_read += len(data)
                if self.screen is None:
                    continue
                with self._lock:
                    self.screen.feed(data)
                    if self._counter is not None:
                        self._count(self._counter)
                    if self._watch is not None and self._shows(self._watch):
                        self._watch = None
                        self.seen_at = arrived
                        self._seen.set()
                    if self._firsts:
                        self._note_firsts(arrived)

    def count(self, pattern: re.Pattern[str] | None) -> None:
        """Note the first group of every match of ``pattern`` on a row the last read changed
        (``counted``), as a terminal drawing after each read would show it; ``None`` stops."""
        with self._lock:
            self.counted = set()
            self._counter = pattern
            if self.screen is not None:
                self.screen.take_dirty()

    def _count(self, pattern: re.Pattern[str]) -> None:
        assert self.screen is not None
        for y in self.screen.take_dirty():
            line = "".join(text for text, _ in self.screen.row_runs(y))
            self.counted.update(m.group(1) for m in pattern.finditer(line))

    def _shows(self, text: str | re.Pattern[str]) -> bool:
        assert self.screen is not None
        if isinstance(text, str):
            return any(text in line for line in self.screen.display())
        return any(text.search(line) for line in self.screen.display())

    def shows(self, text: str | re.Pattern[str]) -> bool:
        """Whether ``text`` is on the screen now."""
        with self._lock:
            return self._shows(text)

    def expect(self, text: str | re.Pattern[str]) -> bool:
        """Watch for ``text`` (or a match of a pattern): the next ``wait`` returns when a read
        puts it on the screen, or at once if it is there already (then this returns True)."""
        with self._lock:
            self._seen.clear()
            if self._shows(text):
                self.seen_at = time.perf_counter()
                self._seen.set()
                return True
            self._watch = text
            return False

    def wait(self, timeout: float = 10.0) -> float:
        """The ``perf_counter`` time of the read that showed the watched text."""
        if not self._seen.wait(timeout):
            with self._lock:
                self._watch = None
                lines = self.screen.display() if self.screen is not None else []
            shown = "\n".join(line.rstrip() for line in lines if line.strip())
            raise TimeoutError(f"not on the terminal after {timeout:g}s; it shows:\n{shown}")
        return self.seen_at

    def wait_for(self, text: str | re.Pattern[str], timeout: float = 10.0) -> float:
        self.expect(text)
        return self.wait(timeout)

    def first_seen(
        self, texts: Sequence[str | re.Pattern[str]], timeout: float = 10.0
    ) -> list[float]:
        """The ``perf_counter`` time of the read that first showed each of ``texts``, watched
        all at once: ``wait_for`` one after the other dates a text that came first at the
        time the second wait began (a dashboard's prompt, drawn before its footer, was dated
        at the footer's read)."""
        with self._lock:
            self._all_seen.clear()
            self._firsts = {text: None for text in texts}
            self._note_firsts(time.perf_counter())
        if not self._all_seen.wait(timeout):
            raise TimeoutError(f"not all on the terminal after {timeout:g}s: {self._firsts}")
        with self._lock:
            seen = [self._firsts[text] for text in texts]
            self._firsts = {}
        return [t for t in seen if t is not None]

    def _note_firsts(self, arrived: float) -> None:
        for text, at in self._firsts.items():
            if at is None and self._shows(text):
                self._firsts[text] = arrived
        if all(at is not None for at in self._firsts.values()):
            self._all_seen.set()

    def type(self, data: bytes) -> float:
        """Write ``data`` as keys; returns the ``perf_counter`` time just before."""
        now = time.perf_counter()
        os.write(self.fd, data)
        return now

    def close(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> None:
        """End the program (``sig``, then SIGKILL after ``timeout``) and the reader."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, sig)
        deadline = time.monotonic() + timeout
        with contextlib.suppress(ChildProcessError):  # already reaped
            while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                if time.monotonic() > deadline:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    break
                time.sleep(0.02)
        os.close(self.fd)  # after the child is gone: the reader ends on EIO/EBADF
        self._reader.join(timeout=5)
