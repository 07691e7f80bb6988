"""Waiting until a session is idle, has exited, shows a pattern, or its agent waits for the
user or is done (``aitui wait``).

The wait runs where the session is (the server), so a script makes one request and the answer
comes the moment the condition holds: each of the session's events wakes the check, and so does
a short tick, for what only time makes true (no output for a while) and for screens nobody
watches, which are parsed only when asked (``screen_caught_up``).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from aitui.core.session import AISession

#: How often the condition is looked at when no event came.
TICK_S = 0.1


class Until(StrEnum):
    IDLE = "idle"
    EXIT = "exit"
    PATTERN = "pattern"
    WAITING = "waiting"  # an agent waits for input or approval
    DONE = "done"  # an agent finished its turn


#: The waits that need the host's activity (``SessionHost.reached``), not just the session.
HOST_WAITS = frozenset({Until.IDLE, Until.WAITING, Until.DONE})


class Reason(StrEnum):
    """Why a wait ended."""

    IDLE = "idle"
    WAITING = "waiting"
    DONE = "done"
    MATCHED = "matched"
    EXITED = "exited"  # the program exited (what ``exit`` waits for; the end of the others)
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class WaitOutcome:
    reason: Reason
    match: str | None = None  # the text the pattern matched

    def met(self, until: Until) -> bool:
        """Whether the wait got what it asked for (an exit ends every wait, but meets only
        ``exit``)."""
        wanted = {
            Until.IDLE: Reason.IDLE,
            Until.EXIT: Reason.EXITED,
            Until.PATTERN: Reason.MATCHED,
            Until.WAITING: Reason.WAITING,
            Until.DONE: Reason.DONE,
        }
        return self.reason is wanted[until]


async def wait_session(
    session: AISession,
    until: Until,
    timeout: float,
    *,
    pattern: re.Pattern[str] | None = None,
    reached: Callable[[], bool] | None = None,
) -> WaitOutcome:
    """Wait at most ``timeout`` seconds for ``until`` on ``session``: ``reached`` says
    whether the session is idle, waiting or done (the host's activity: the test for ``until``),
    ``pattern`` is searched in the screen's text. A pattern is looked for on the final screen
    too before an exit ends the wait."""
    if until is Until.PATTERN and pattern is None:
        raise ValueError("a pattern wait needs a pattern")
    if until in HOST_WAITS and reached is None:
        raise ValueError(f"a wait for {until} needs the host's test")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    woken = asyncio.Event()
    unsubscribe = session.subscribe(lambda _: woken.set(), output=False)
    try:
        while True:
            outcome = await _check(session, until, pattern, reached)
            if outcome is not None:
                return outcome
            left = deadline - loop.time()
            if left <= 0:
                return WaitOutcome(Reason.TIMEOUT)
            woken.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), min(TICK_S, left))
    finally:
        unsubscribe()


async def _check(
    session: AISession,
    until: Until,
    pattern: re.Pattern[str] | None,
    reached: Callable[[], bool] | None,
) -> WaitOutcome | None:
    ended = session.ended  # read first: the screen below is at least as new
    if until is Until.PATTERN:
        assert pattern is not None
        await session.screen_caught_up()
        found = pattern.search(session.screen.text())
        if found is not None:
            return WaitOutcome(Reason.MATCHED, found.group(0))
    elif until in HOST_WAITS and not ended:
        assert reached is not None
        if reached():
            return WaitOutcome(Reason(until.value))
    if ended:
        return WaitOutcome(Reason.EXITED)
    return None
