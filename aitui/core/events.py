"""Plain events a session emits, and the hub that delivers them.

Consumers (the dashboard's bridge, the HTTP stream, tests) either register a callback, which is
called synchronously on the event loop, or iterate ``EventHub.stream()``. The engine never knows
who listens; no UI type appears here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from aitui.core.marks import Mark
from aitui.core.types import SessionId, SessionStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SessionEvent:
    session_id: SessionId


@dataclass(frozen=True)
class OutputReceived(SessionEvent):
    """Raw bytes read from the PTY (every chunk, in order)."""

    data: bytes


@dataclass(frozen=True)
class ScreenUpdated(SessionEvent):
    """The virtual screen caught up with the output; coalesced, at most once per loop turn."""


@dataclass(frozen=True)
class StatusChanged(SessionEvent):
    old: SessionStatus
    new: SessionStatus


@dataclass(frozen=True)
class SessionExited(SessionEvent):
    exit_code: int | None


@dataclass(frozen=True)
class PromptShown(SessionEvent):
    """Shell integration: the shell drew its prompt and waits for a command."""


@dataclass(frozen=True)
class CommandStarted(SessionEvent):
    """Shell integration: a command began running."""


@dataclass(frozen=True)
class CommandFinished(SessionEvent):
    """Shell integration: a command finished with ``exit_code``."""

    exit_code: int | None


@dataclass(frozen=True)
class TitleChanged(SessionEvent):
    title: str


@dataclass(frozen=True)
class BellRang(SessionEvent):
    pass


@dataclass(frozen=True)
class EventsDropped(SessionEvent):
    """A stream consumer fell so far behind that ``count`` events were dropped for it."""

    count: int


def shell_event(session_id: SessionId, mark: Mark) -> SessionEvent | None:
    """The event a shell-integration mark stands for (``A``, ``C``, ``D``), else ``None``."""
    if mark.kind == "A":
        return PromptShown(session_id)
    if mark.kind == "C":
        return CommandStarted(session_id)
    if mark.kind == "D":
        return CommandFinished(session_id, mark.exit_code)
    return None


EventCallback = Callable[[SessionEvent], None]


class _Subscription:
    """A bounded queue for one stream consumer; overflow drops the oldest and is counted."""

    def __init__(self, maxsize: int) -> None:
        self.queue: asyncio.Queue[SessionEvent] = asyncio.Queue(maxsize)
        self.dropped = 0

    def put(self, event: SessionEvent) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(event)


class EventHub:
    """Fan-out of session events to callbacks and bounded async streams."""

    def __init__(self) -> None:
        self._callbacks: list[EventCallback] = []
        #: Callbacks that do not take ``OutputReceived``.
        self._outputless: list[EventCallback] = []
        self._subscriptions: list[_Subscription] = []

    def subscribe(self, callback: EventCallback, *, output: bool = True) -> Callable[[], None]:
        """Call ``callback`` for every event; returns a function that unsubscribes.

        ``output=False``: every event but ``OutputReceived``. That one comes with every PTY
        read (thousands a second while a program floods), built and delivered on the loop the
        reader shares, so a listener that only needs to know *that* output came (the
        dashboard's activity badges) should read the session's ``last_output_at`` instead."""
        callbacks = self._callbacks if output else self._outputless
        callbacks.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                callbacks.remove(callback)

        return unsubscribe

    def __bool__(self) -> bool:
        """Whether anyone listens (the reader skips building events nobody would get)."""
        return bool(self._callbacks or self._outputless or self._subscriptions)

    @property
    def wants_output(self) -> bool:
        """Whether anyone takes ``OutputReceived`` (else the reader does not build it)."""
        return bool(self._callbacks or self._subscriptions)

    def emit(self, event: SessionEvent) -> None:
        callbacks = self._callbacks
        if self._outputless and event.__class__ is not OutputReceived:
            callbacks = callbacks + self._outputless
        for callback in list(callbacks):
            try:
                callback(event)
            except Exception:
                log.exception("event subscriber %r failed on %r", callback, event)
        for subscription in self._subscriptions:
            subscription.put(event)

    async def stream(self, maxsize: int = 10_000) -> AsyncIterator[SessionEvent]:
        """Iterate events as they come. A consumer lagging by ``maxsize`` gets EventsDropped."""
        subscription = _Subscription(maxsize)
        self._subscriptions.append(subscription)
        try:
            while True:
                event = await subscription.queue.get()
                if subscription.dropped:
                    yield EventsDropped(event.session_id, subscription.dropped)
                    subscription.dropped = 0
                yield event
        finally:
            self._subscriptions.remove(subscription)
