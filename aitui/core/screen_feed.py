"""Feed a session's output to its virtual screen behind the reader, within a time budget.

The reader never waits for emulation: it appends every chunk here and returns. The screen
catches up in slices of a few milliseconds per loop turn, so a flooding program cannot starve
the other sessions or the dashboard. When a program writes faster than the screen can parse for
long enough that the backlog passes ``limit`` bytes, the oldest part of the backlog is skipped:
output that scrolled past faster than anyone could read it. The skip is counted
(``skipped_bytes``) and logged, the raw output buffers and ``execute`` still get every byte, and
the screen resumes at a line boundary with the newest output, keeping half the limit:
:func:`backlog_limit` sizes it so that what is kept fills the scrollback and the screen.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)

#: Backlog a screen keeps when it skips (see :func:`backlog_limit`): at least this much ...
MIN_BACKLOG_KEEP = 2 * 1024 * 1024
#: ... or enough for every row of the scrollback and the screen at this many bytes a cell
#: (coloured ``ls -l`` output takes about 1.5; plain text at most 1 and a line end).
KEEP_BYTES_PER_CELL = 3


def backlog_limit(rows: int, cols: int, scrollback: int) -> int:
    """How far a screen of this size may lag behind a flood before it skips old output.

    Output older than a scrollback's worth is never seen, so parsing it during a flood only
    delays the final screen (the catch-up after ``cat`` of 100 MB took seconds) and holding it
    costs memory: up to 16 MB a session before, in fresh pages the kernel must fault in while
    the program is writing. Skipping keeps half the limit, enough for ``scrollback + rows``
    rows of ``KEEP_BYTES_PER_CELL`` bytes a cell: the scrollback ends up the same for output
    that scrolls line by line (a program that rewrites rows in place may lose earlier states
    of them, which nobody could have seen). Defaults (10,000 lines, 80 columns): 4.8 MB."""
    keep = max(MIN_BACKLOG_KEEP, KEEP_BYTES_PER_CELL * (scrollback + rows) * cols)
    return 2 * keep


#: The limit of a default 24x80 screen with 10,000 lines of scrollback.
BACKLOG_LIMIT = backlog_limit(24, 80, 10_000)
#: Parsing time per slice before yielding to everything else ...
SLICE_SECONDS = 0.002
#: ... and the pause before the next slice while a backlog remains, so a flood takes at most
#: about half the loop and keystrokes and redraws of other sessions get through quickly.
BREATHER_SECONDS = 0.002
#: The breather of a session nobody is typing into, so a background flood yields more.
BACKGROUND_BREATHER_SECONDS = 0.008
#: Bytes fed per screen call inside a slice.
PIECE = 16 * 1024
#: Flood mode. When the program writes faster than the screen parses (the backlog passed
#: ``FLOOD_BACKLOG``) and is still pouring it in (as much again since the last slice), reading
#: the PTY is what keeps it running: Linux passes PTY output on ~4 KB a read and refills only
#: after a read, so every moment spent parsing instead of reading is a moment the writer waits
#: (pausing 0.1 ms after each read made a bare reader's ``cat`` of 10 MB 3.8x slower). So the
#: screen looks once per 30 fps frame and parses one small piece every ``FLOOD_FRAME_SECONDS``
#: (the pane still shows the output moving) until the flood stops, then catches up. Not a
#: piece every frame: in the dashboard each update redraws the whole pane (every row scrolled),
#: 4-5 ms of the loop the reader shares at 160x50 (measured), and the pane only shows output
#: long gone by anyway.
#: That is for a screen someone is looking at (``watched``). Nobody sees the frames of an
#: unwatched screen (a headless or API session, a dashboard session not on display), so its
#: flood is not parsed at all until the program slows down or someone waits for the screen:
#: that saves the CPU of frames nobody sees. What it saves the writer did not show reliably:
#: 0.97x against 1.10x the bare PTY in one 60-round alternating run of a 10 MB ``cat``, no
#: difference in two later runs (single runs vary by +-20% on the 2-core machine).
#: A program that writes slower than the screen parses never gets here.
FLOOD_BACKLOG = 64 * 1024
FLOOD_BREATHER_SECONDS = 0.033
FLOOD_FRAME_SECONDS = 0.1
#: ... of this size: 0.16 ms to parse on a warm screen, 0.3-0.7 ms mid-flood (measured), while
#: the PTY's ~16 KB of buffer fills in ~0.2 ms of a fast writer, which then waits.
FLOOD_PIECE = 2 * 1024


_NEVER = float("-inf")
#: Output that may ask the terminal for an answer (DSR, DA, DECRQM, XTVERSION, kitty's keyboard
#: flags, a window size, the colours; a few other sequences match too, harmlessly): parsed at
#: once even under a ``hold``, so the program's answer is never late. One path, no
#: alternation: ~11 us for an Ink frame of 3.6 KB and 120 escapes, half the time of the exact
#: pattern.
_ASKS = re.compile(rb"\x1b[\[\]][?>]?[\d;]*[cnqtu?$]")


class Feedable(Protocol):
    def feed(self, data: bytes) -> None: ...


class ScreenFeeder:
    def __init__(
        self,
        screen: Feedable,
        on_updated: Callable[[], None],
        *,
        drain: Callable[[], None] | None = None,
        limit: int = BACKLOG_LIMIT,
        slice_seconds: float = SLICE_SECONDS,
    ) -> None:
        self.screen = screen
        self._on_updated = on_updated
        self._drain = drain
        #: Backlog (bytes) past which the oldest output is skipped, keeping half of it.
        self.limit = limit
        self._slice = slice_seconds
        self._backlog: deque[bytes] = deque()
        self._size = 0
        self._scheduled = False
        self.breather = BREATHER_SECONDS
        #: Whether someone is looking at this screen: only then does a flood get slices.
        self.watched = False
        self.skipped_bytes = 0
        self.feed_errors = 0
        self._pushed = 0  # bytes pushed since creation
        self._done = 0  # ... and parsed or skipped
        self._pushed_at_pump = 0  # ``_pushed`` when the last slice began
        self._flood_frame_at = float("-inf")  # loop time of the last piece parsed in a flood
        #: ``catch_up`` callers: (position to reach, future); flood mode is off while any wait.
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._hold_until = _NEVER  # loop time before which new output may wait (``hold``)
        self._held: asyncio.TimerHandle | None = None  # the chain's start, waiting for it

    @property
    def pending(self) -> int:
        return self._size

    def unparsed(self) -> bytes:
        """The output pushed and not parsed yet (the screen shows what came before it)."""
        return b"".join(self._backlog)

    def push(self, data: bytes) -> None:
        self._backlog.append(data)
        self._size += len(data)
        self._pushed += len(data)
        if self._size > self.limit:
            self._skip(self.limit // 2)
        if self._held is not None and _ASKS.search(data):
            self._release()
        self._schedule()

    def hold(self, seconds: float) -> None:
        """Nobody needs this screen parsed for ``seconds`` (0: someone may now): output that
        arrives meanwhile waits, unparsed, and is parsed in one go when the hold ends. For a
        watched screen whose next frame cannot go before then (a pane redrawing continuously
        gets 30 frames a second: ``aitui.server.budget``), parsing each of the program's 60
        frames a second is work nobody sees. Whoever reads the screen otherwise catches up
        first (``catch_up`` and ``flush`` ignore the hold), and output asking the terminal for
        an answer ends it."""
        if seconds > 0:
            self._hold_until = asyncio.get_running_loop().time() + seconds
        else:
            self._hold_until = _NEVER
            self._release()

    def _release(self) -> None:
        """Start the chain waiting for the hold to end now."""
        if self._held is not None:
            self._held.cancel()
            self._held = None
            asyncio.get_running_loop().call_soon(self._pump)

    def trim(self, keep: int) -> None:
        """Skip all but the newest ``keep`` bytes of the backlog (counted as skipped): for a
        session being stopped, whose final screen needs only the end of its output."""
        if self._size > keep:
            self._skip(keep)

    def _skip(self, keep: int) -> None:
        """Drop the oldest output, keeping the newest ``keep`` bytes from a line start."""
        dropped = 0
        while self._size - len(self._backlog[0]) >= keep:
            chunk = self._backlog.popleft()
            self._size -= len(chunk)
            dropped += len(chunk)
        head = self._backlog[0]
        newline = head.find(b"\n", 0, 4096)
        if newline >= 0 and len(self._backlog) > 1:
            self._backlog[0] = head[newline + 1 :]
            self._size -= newline + 1
            dropped += newline + 1
        self.skipped_bytes += dropped
        self._done += dropped
        log.info("screen skipped %d bytes of output written faster than it could be shown", dropped)

    def _pump(self) -> None:
        # ``_scheduled`` stays true while this runs: data drained mid-slice must not start a
        # second pump chain (chains would multiply and flood the loop).
        # Read what the PTY holds first: at the start of a flood, the first slice then sees
        # it as one, instead of parsing a 2 ms slice of big pieces while the program waits.
        self._held = None
        self._drain_pty()
        flooding = self._flooding(self._pushed - self._pushed_at_pump)
        self._pushed_at_pump = self._pushed
        loop = asyncio.get_running_loop()
        if flooding and not self.watched:
            # Nobody sees it: look again in a frame; parse once the flood slows down or
            # someone waits for the screen.
            loop.call_later(FLOOD_BREATHER_SECONDS, self._pump)
            return
        if flooding:
            # One small piece a flood frame, so the pane shows the output moving: the program
            # waits while it is parsed (and the pane is drawn), so one piece, not a budget.
            now = loop.time()
            if now - self._flood_frame_at < FLOOD_FRAME_SECONDS:
                loop.call_later(FLOOD_BREATHER_SECONDS, self._pump)
                return
            self._flood_frame_at = now
            self._feed(self._take(FLOOD_PIECE))
            self._drain_pty()
        else:
            deadline = time.perf_counter() + self._slice
            while self._backlog and time.perf_counter() < deadline:
                self._feed(self._take(PIECE))
                self._drain_pty()  # keep the producer writing while we parse
        self._on_updated()
        self._wake_waiters()
        if not self._backlog:
            self._scheduled = False
        elif self._waiters:  # someone waits: next slice as soon as the others had a turn
            loop.call_soon(self._pump)
        elif flooding or self._flooding(self._pushed - self._pushed_at_pump):  # still pouring
            loop.call_later(max(self.breather, FLOOD_BREATHER_SECONDS), self._pump)
        else:
            loop.call_later(self.breather, self._pump)

    def _drain_pty(self) -> None:
        if self._drain is not None:
            self._drain()

    def _take(self, piece: int) -> bytes:
        """Remove and return the oldest ``piece`` bytes of the backlog (or all of it, if less).
        Reads arrive in ~4 KB chunks and the screen's cost per call is high (it lays out the
        rows on screen each time), so small chunks are joined: 16 KB a call parses ~1.6x as
        fast as 4 KB."""
        backlog = self._backlog
        chunk = backlog.popleft()
        if len(chunk) > piece:
            backlog.appendleft(chunk[piece:])
            chunk = chunk[:piece]
        elif backlog and len(chunk) + len(backlog[0]) <= piece:
            parts = [chunk]
            size = len(chunk)
            while backlog and size + len(backlog[0]) <= piece:
                parts.append(backlog.popleft())
                size += len(parts[-1])
            chunk = b"".join(parts)
        self._size -= len(chunk)
        return chunk

    def _flooding(self, arrived: int) -> bool:
        """Flood mode: the program wrote at least ``FLOOD_BACKLOG`` bytes (``arrived``) since
        the last slice began, the backlog is past ``FLOOD_BACKLOG`` too, and nobody waits in
        ``catch_up``. Measured in bytes, not "anything arrived", so a slow writer with a
        backlog left by an earlier burst gets normal slices and the screen catches up: a frame
        apart, that is about 2 MB/s (flood frames parse one 2 KB piece ten times a second)."""
        return arrived >= FLOOD_BACKLOG and self._size > FLOOD_BACKLOG and not self._waiters

    async def catch_up(self) -> None:
        """Return once everything pushed so far is parsed, without blocking the loop: the
        slices go on at the normal pace (not the flood's) until then. For a program that
        exited or a resize, where a synchronous ``flush`` of a flood's backlog (up to
        ``limit`` bytes) would freeze everything else for up to a second."""
        if self._done >= self._pushed:
            return
        future = asyncio.get_running_loop().create_future()
        self._waiters.append((self._pushed, future))
        self._release()
        self._schedule()
        await future

    def _schedule(self) -> None:
        """Start the slice chain unless it runs (one chain only, whoever asks): at once for a
        screen on display or someone waiting (when a ``hold`` ends, if one runs), after a
        breather for one nobody watches (the first output of a flood is then seen as one, and
        not parsed while it pours in)."""
        if not self._scheduled:
            self._scheduled = True
            loop = asyncio.get_running_loop()
            if self._waiters:
                loop.call_soon(self._pump)
            elif self.watched:
                if self._hold_until > loop.time():
                    self._held = loop.call_at(self._hold_until, self._pump)
                else:
                    loop.call_soon(self._pump)
            else:
                loop.call_later(self.breather, self._pump)

    def _wake_waiters(self) -> None:
        if not self._waiters:
            return
        waiting = []
        for position, future in self._waiters:
            if future.done():
                continue
            if self._done >= position:
                future.set_result(None)
            else:
                waiting.append((position, future))
        self._waiters = waiting

    def flush(self) -> None:
        """Parse everything now (before the screen is read as a whole)."""
        while self._backlog:
            self._feed(self._take(PIECE))
        self._release()  # a held chain reports the update now
        self._wake_waiters()

    def _feed(self, chunk: bytes) -> None:
        """A screen bug must never stop a session: log it, drop the chunk, keep going."""
        self._done += len(chunk)
        try:
            self.screen.feed(chunk)
        except Exception:
            self.feed_errors += 1
            log.exception("screen failed on %d bytes of output; continuing", len(chunk))
