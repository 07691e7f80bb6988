"""Record a session's output as an asciicast v2 file, behind the reader.

The reader hands each chunk over with the time it was read and goes back to the PTY: encoding
(UTF-8 decoding and JSON escaping, ~250-400 MB/s here) happens a frame later, in slices, so a
recording never makes the reader wait. While a program floods (output arriving at more than
``FLOOD_BYTES_PER_SECOND`` since the last flush) nothing is encoded: every moment spent
encoding instead of reading is a moment the writer waits on the full PTY (see
``aitui.core.pty``), so the chunks are kept, up to ``MAX_PENDING`` bytes, and written once the
flood slows down. Past that the recording encodes during the flood: it never drops a byte.
Chunks read within ``MERGE_SECONDS`` of each other become one event, as a terminal recorder
reading the same PTY would have seen them.

A write error (disk full, file removed) stops the recording with the error kept in
:attr:`SessionRecording.error` and logged; the session goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from aitui.core.asciicast import AsciicastWriter
from aitui.core.paths import create_private, data_dir, private_dir

log = logging.getLogger(__name__)

#: Encoding runs this long after output arrives, then in slices of ``SLICE_SECONDS``.
FLUSH_SECONDS = 0.05
SLICE_SECONDS = 0.002
#: A flush that finds output arriving this fast since the last one defers: a flood pours in.
FLOOD_BYTES_PER_SECOND = 10_000_000
#: ... unless this much waits, which is then encoded whatever comes (nothing is ever dropped).
MAX_PENDING = 32 << 20
#: Chunks read this close together become one event, up to ``MAX_EVENT`` bytes.
MERGE_SECONDS = 0.01
MAX_EVENT = 64 * 1024

_Item = tuple[float, bytes | tuple[int, int]]  # (monotonic time, output or (cols, rows))


class SessionRecording:
    """One recording of one session; :meth:`finish` writes what waits and closes the file."""

    def __init__(
        self,
        path: Path,
        cols: int,
        rows: int,
        *,
        title: str,
        command: str | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``clock`` is the monotonic clock the chunks' times come from (the flood test's)."""
        self.path = path
        self._clock = clock
        self._start = clock()
        self._writer = AsciicastWriter(path, cols, rows, title=title, command=command)
        self._pending: deque[_Item] = deque()
        self._size = 0  # bytes of output pending
        self._arrived = 0  # bytes since the last flush ...
        self._arrived_from = 0.0  # ... the first of them read at this monotonic time
        self._scheduled = False
        self.error: str | None = None

    @property
    def active(self) -> bool:
        return self.error is None and not self._writer.closed

    @property
    def pending(self) -> int:
        return self._size

    def feed(self, data: bytes, when: float) -> None:
        """Output read at monotonic time ``when`` (the reader's only work: an append)."""
        if self.active:
            self._pending.append((when, data))
            self._size += len(data)
            if not self._arrived:
                self._arrived_from = when
            self._arrived += len(data)
            self._schedule(FLUSH_SECONDS)

    def resize(self, cols: int, rows: int, when: float) -> None:
        if self.active:
            self._pending.append((when, (cols, rows)))
            self._schedule(FLUSH_SECONDS)

    def _schedule(self, delay: float) -> None:
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_later(delay, self._flush)

    def _flush(self) -> None:
        self._scheduled = False
        rate = self._arrived / max(self._clock() - self._arrived_from, 1e-3)
        flooding = rate >= FLOOD_BYTES_PER_SECOND and self._size < MAX_PENDING
        self._arrived = 0
        if flooding or not self.active:
            if self._pending and self.active:
                self._schedule(FLUSH_SECONDS)
            return
        self._write_slice()
        if self._pending:
            self._schedule(SLICE_SECONDS)

    def _write_slice(self) -> None:
        """Write pending events for up to ``SLICE_SECONDS`` (or until a write fails)."""
        deadline = time.perf_counter() + SLICE_SECONDS
        while self._pending and self.active and time.perf_counter() < deadline:
            self._write_one()

    def _write_one(self) -> None:
        """Write the oldest event: a resize, or output merged from chunks read close together."""
        when, item = self._pending.popleft()
        try:
            if isinstance(item, tuple):
                self._writer.resize(*item, at=when - self._start)
                return
            parts, size = [item], len(item)
            while self._pending and size < MAX_EVENT:
                next_when, next_item = self._pending[0]
                if isinstance(next_item, tuple) or next_when - when > MERGE_SECONDS:
                    break
                self._pending.popleft()
                parts.append(next_item)
                size += len(next_item)
            self._size -= size
            self._writer.output(b"".join(parts), at=when - self._start)
        except (OSError, ValueError) as exc:
            self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        self.error = f"{type(exc).__name__}: {exc}"
        log.warning("recording to %s stopped: %s", self.path, self.error)
        self._pending.clear()
        self._size = 0
        with contextlib.suppress(OSError, ValueError):
            self._writer.close()

    async def finish(self) -> None:
        """Write everything that waits (in slices, yielding to the loop) and close the file."""
        while self._pending and self.active:
            self._write_slice()
            await asyncio.sleep(0)
        if not self._writer.closed:
            try:
                self._writer.close()
            except (OSError, ValueError) as exc:
                self._fail(exc)


def open_recording(
    path: Path | str,
    cols: int,
    rows: int,
    *,
    title: str,
    command: str | None,
    clock: Callable[[], float] = time.monotonic,
) -> SessionRecording:
    """Create the file (0600; its directory 0700 if made); ``OSError`` if it cannot be."""
    target = Path(path).expanduser()
    private_dir(target.parent)
    create_private(target, truncate=True)  # a whole terminal session: 0600 from the start
    return SessionRecording(target, cols, rows, title=title, command=command, clock=clock)


def default_recording_path(session_name: str, now: datetime | None = None) -> Path:
    """``recordings/<name>-<date>-<time>.cast`` in the user data dir (``$AITUI_DATA_DIR`` if
    set), the name made safe for a file name."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in session_name) or "session"
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return data_dir() / "recordings" / f"{safe}-{stamp}.cast"
