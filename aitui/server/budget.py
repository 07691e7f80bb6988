"""When a shown session's next frame may go to one client: its frame budget.

The first change after a quiet spell goes at once (a keystroke's echo is never held back).
After that, frames go at most:

* ``FRAME_RATE`` (60) times a second for the session the client types into;
* ``CONTINUOUS_FRAME_RATE`` (30) for that session while it redraws continuously: its screen
  has changed with no gap longer than ``QUIET_S`` for ``CONTINUOUS_AFTER_S``, as an agent's
  UI does when it repaints its frame at 60 fps for a spinner (Claude Code's Ink UI). Every
  frame the client gets costs both processes a fixed amount whatever it carries (the
  WebSocket message, the dashboard's dispatch and its write to the terminal: ~1 ms of the
  server and ~1 ms of the dashboard at 60 fps, measured with py-spy, 2026-12-07), so halving
  the frames of a pane that never stops halves that, while what it shows still moves at a
  rate the eye reads as motion. A key typed into the session lifts the cut for
  ``ECHO_WINDOW_S``, so the echo of typing into a spinning UI still goes at the full rate;
* ``BACKGROUND_FRAME_RATE`` (15) for the other sessions it shows (a flooding neighbour costs
  the client a quarter of the frames and never delays the echo of the session in front).

Other multiplexers bound the same cost in other ways: mosh sends a screen at most every 20 ms
(50 fps), slower as the round trip grows (up to 250 ms); tmux passes a pane's output on as
it comes but, once a client's terminal is 8 screens behind, drops it and redraws the pane
every 100 ms (10 fps) until the client catches up. A local terminal cannot show more than its
display's refresh, 60 Hz on most screens, and Textual composites at most 60 times a second.
"""

from __future__ import annotations

FRAME_RATE = 60
CONTINUOUS_FRAME_RATE = 30
BACKGROUND_FRAME_RATE = 15
#: A session whose screen has changed without a gap longer than ``QUIET_S`` for this long
#: redraws continuously (six frames at 60 fps) ...
CONTINUOUS_AFTER_S = 0.1
#: ... and a gap this long (three frames at 60 fps) ends it: the next change goes at once.
QUIET_S = 0.05
#: After a key typed into a session, its frames go at ``FRAME_RATE`` this long (the echo).
ECHO_WINDOW_S = 0.1
_NEVER = float("-inf")


class FrameBudget:
    """One client's budget for the sessions it shows (times in ``time.monotonic`` seconds,
    given by the caller)."""

    def __init__(self) -> None:
        self.foreground: str | None = None
        self._sent_at: dict[str, float] = {}
        self._changed_at: dict[str, float] = {}
        self._busy_since: dict[str, float] = {}
        self._typed_at: dict[str, float] = {}

    def changed(self, key: str, now: float) -> None:
        """``key``'s screen changed at ``now``."""
        if now - self._changed_at.get(key, _NEVER) > QUIET_S:
            self._busy_since[key] = now
        self._changed_at[key] = now

    def typed(self, key: str, now: float) -> None:
        """The client sent keys to ``key`` at ``now``."""
        self._typed_at[key] = now

    def sent(self, key: str, now: float) -> None:
        """A frame of ``key`` went at ``now``. One that went a little after it was due (the
        loop's wake-up is a millisecond or so late) counts from when it was due, so a pane
        redrawing continuously gets its whole rate, not 29 frames a second for 30."""
        interval = 1 / self.rate(key, now)
        due = self._sent_at.get(key, _NEVER) + interval
        self._sent_at[key] = due if due <= now < due + interval / 2 else now

    def forget(self, key: str) -> None:
        """The client stopped showing ``key``: it starts afresh if shown again."""
        for times in (self._sent_at, self._changed_at, self._busy_since, self._typed_at):
            times.pop(key, None)

    def continuous(self, key: str, now: float) -> bool:
        """Whether ``key`` has been redrawing without a quiet spell for long enough."""
        if now - self._changed_at.get(key, _NEVER) > QUIET_S:
            return False
        return now - self._busy_since.get(key, now) >= CONTINUOUS_AFTER_S

    def rate(self, key: str, now: float) -> int:
        """Frames a second ``key`` may have now."""
        if key != self.foreground:
            return BACKGROUND_FRAME_RATE
        if now - self._typed_at.get(key, _NEVER) < ECHO_WINDOW_S:
            return FRAME_RATE
        return CONTINUOUS_FRAME_RATE if self.continuous(key, now) else FRAME_RATE

    def needed(self, key: str, now: float) -> float | None:
        """When this client needs ``key``'s screen parsed again, right after a frame of it
        went (``ScreenFeeder.hold``): at its next frame's due time while its rate is cut
        (continuously redrawing, or in the background), or sooner if the foreground session
        would count as quiet by then (its next change goes at once); ``None`` at the full
        rate (the echo of typing, a session that changes now and then), which holds nothing."""
        rate = self.rate(key, now)
        if rate >= FRAME_RATE:
            return None
        due = self.due(key, now)
        if key == self.foreground:
            due = min(due, self._changed_at.get(key, _NEVER) + QUIET_S)
        return due

    def due(self, key: str, now: float) -> float:
        """When ``key``'s next frame may go (at once after a quiet spell: its last frame is
        older than any budget's interval)."""
        return self._sent_at.get(key, _NEVER) + 1 / self.rate(key, now)
