"""A recorded session played back through the same screen and events as a live one.

It stands behind a terminal pane exactly like an ``AISession`` (same screen type, same event
types), so recordings make deterministic snapshots and demos. Shell-integration marks that were
recorded (OSC 133) are replayed as the same ``PromptShown``/``CommandStarted``/``CommandFinished``
events, so the dashboard's status for a recording is as true as for a live session. Input is
ignored: a recording cannot be typed into.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from aitui.core.command_observer import CommandCompleted, CommandObserver
from aitui.core.events import (
    EventHub,
    OutputReceived,
    ScreenUpdated,
    SessionEvent,
    SessionExited,
    shell_event,
)
from aitui.core.marks import MarkScanner
from aitui.core.terminal import TerminalScreen
from aitui.core.types import SessionId

if TYPE_CHECKING:
    from aitui.core.context import SessionContext


class ReplaySession:
    def __init__(
        self,
        name: str,
        rows: int,
        cols: int,
        *,
        role: str | None = None,
        scrollback: int = 10_000,
        ai_features: bool = False,
    ) -> None:
        self.id = SessionId.new()
        self.name = name
        self.role = role
        self.screen = TerminalScreen(rows, cols, scrollback=scrollback)
        self._events = EventHub()
        self._scanner = MarkScanner()
        self.exit_code: int | None = None
        #: ``time.monotonic()`` of the last output played, ``None`` before any.
        self.last_output_at: float | None = None
        self.commands = CommandObserver(self._command_completed)
        #: With ``ai_features``, recorded commands go through the same context as live ones.
        self.ai_context: SessionContext | None = None
        if ai_features:  # the context (tokenizer, compressors) loads only when it is used
            from aitui.core.context import SessionContext

            self.ai_context = SessionContext(session_id=str(self.id))

    def subscribe(
        self, callback: Callable[[SessionEvent], None], *, output: bool = True
    ) -> Callable[[], None]:
        return self._events.subscribe(callback, output=output)

    def feed(self, data: bytes) -> None:
        """Play ``data`` as if the program had just written it."""
        offset = self._scanner.position
        marks = self._scanner.feed(data)
        self.screen.feed(data)
        self.commands.feed(data, offset, marks)
        self.last_output_at = time.monotonic()
        if self._events.wants_output:
            self._events.emit(OutputReceived(self.id, data))
        for mark in marks:
            event = shell_event(self.id, mark)
            if event is not None:
                self._events.emit(event)
        self._events.emit(ScreenUpdated(self.id))

    def _command_completed(
        self, command: str, output: str, exit_code: int | None, duration_ms: float, cut: bool
    ) -> None:
        if self.ai_context is not None and command:
            self.ai_context.record_command(command, output, exit_code)
        self._events.emit(CommandCompleted(self.id, command, output, exit_code, duration_ms, cut))

    def feed_all(self, chunks: Iterable[bytes]) -> None:
        for chunk in chunks:
            self.feed(chunk)

    def finish(self, exit_code: int | None) -> None:
        """The recorded program exited with ``exit_code``."""
        self.exit_code = exit_code
        self._events.emit(SessionExited(self.id, exit_code))

    async def play(self, events: Iterable[tuple[float, bytes]], speed: float = 1.0) -> None:
        """Feed timed ``(seconds, data)`` events in real time (``speed`` > 1 is faster)."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        for at, data in events:
            delay = start + at / speed - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self.feed(data)

    async def send_input(self, data: str | bytes) -> None:
        """Recordings are read-only: input is dropped."""

    async def resize(self, rows: int, cols: int) -> None:
        """A recording keeps the size it was made at (reflowing would change what it shows)."""
