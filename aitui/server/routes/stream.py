"""``GET /sessions/{name}/stream``: live output and status events as server-sent events.

Server-sent events rather than a WebSocket: the stream only flows one way (typing goes through
``POST /input``), any HTTP client can read it (``curl -N``), and it needs no extra dependency.
Events are queued by a synchronous subscriber registered before the backlog is read, with no
``await`` between the two, so ``?since=`` followed by the live stream neither misses nor repeats
a byte. A consumer that falls 10,000 events behind gets a ``dropped`` event with the count.
"""

from __future__ import annotations

import asyncio
import codecs
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from aitui.core.events import (
    CommandFinished,
    CommandStarted,
    OutputReceived,
    SessionEvent,
    SessionExited,
    StatusChanged,
)
from aitui.core.session import AISession
from aitui.core.types import SessionStatus
from aitui.server.errors import AUTH, NOT_FOUND
from aitui.server.state import ServerState, find_session, get_state

router = APIRouter(tags=["terminal"])
State = Annotated[ServerState, Depends(get_state)]

QUEUE_LIMIT = 10_000
KEEPALIVE_S = 15.0
_WANTED = (OutputReceived, StatusChanged, SessionExited, CommandStarted, CommandFinished)


def _sse(event: str, payload: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


class _Feed:
    """The events of one stream consumer, bounded; overflow drops the oldest, counted.

    The core emits a chunk's command marks just before the chunk itself; they are held back
    until that ``OutputReceived`` so a client sees ``command_finished`` after the command's
    output, as the terminal showed them.
    """

    def __init__(self) -> None:
        self.queue: asyncio.Queue[SessionEvent] = asyncio.Queue(QUEUE_LIMIT)
        self.dropped = 0
        self._marks: list[SessionEvent] = []

    def __call__(self, event: SessionEvent) -> None:
        if isinstance(event, CommandStarted | CommandFinished):
            self._marks.append(event)
            return
        if not isinstance(event, _WANTED):
            return
        self._put(event)
        if isinstance(event, OutputReceived):
            for mark in self._marks:
                self._put(mark)
            self._marks.clear()

    def _put(self, event: SessionEvent) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(event)


async def _events(session: AISession, since: int | None) -> AsyncIterator[bytes]:
    feed = _Feed()
    unsubscribe = session.subscribe(feed)
    # Snapshot the backlog before the first ``yield``: from here on, new output is queued.
    position = session.output_position
    backlog = session.recent_output()
    ended = session.status() in (SessionStatus.TERMINATED, SessionStatus.ERROR)
    try:
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        hello = {"session_name": session.name, "status": session.status().value}
        yield _sse("hello", hello | {"position": position})
        if since is not None:
            start = position - len(backlog)
            since = min(since, position)
            if since < start:
                yield _sse("dropped", {"bytes": start - since})
            chunk = backlog[max(0, since - start) :]
            if chunk:
                yield _sse("output", {"raw": decoder.decode(chunk), "position": position})
        if ended:
            yield _sse("exit", {"exit_code": session.exit_code})
            return
        while True:
            try:
                event = await asyncio.wait_for(feed.queue.get(), KEEPALIVE_S)
            except TimeoutError:
                yield b": keep-alive\n\n"
                continue
            if feed.dropped:
                yield _sse("dropped", {"events": feed.dropped})
                feed.dropped = 0
            if isinstance(event, OutputReceived):
                position += len(event.data)
                yield _sse("output", {"raw": decoder.decode(event.data), "position": position})
            elif isinstance(event, StatusChanged):
                yield _sse("status", {"old": event.old.value, "new": event.new.value})
            elif isinstance(event, CommandStarted):
                yield _sse("command_started", {})
            elif isinstance(event, CommandFinished):
                yield _sse("command_finished", {"exit_code": event.exit_code})
            elif isinstance(event, SessionExited):
                yield _sse("exit", {"exit_code": event.exit_code})
                return
    finally:
        unsubscribe()


@router.get(
    "/sessions/{name}/stream",
    response_class=StreamingResponse,
    responses={
        **AUTH,
        **NOT_FOUND,
        200: {
            "description": "Server-sent events: hello, output {raw, position}, status {old, "
            "new}, command_started, command_finished {exit_code}, dropped, exit {exit_code}.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
    },
)
async def stream(
    name: str,
    state: State,
    since: Annotated[
        int | None, Query(ge=0, description="Replay buffered output after this offset first.")
    ] = None,
) -> StreamingResponse:
    """Follow a session live until its program exits (or the client disconnects)."""
    session = find_session(state, name)
    return StreamingResponse(
        _events(session, since),
        media_type="text/event-stream",
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )
