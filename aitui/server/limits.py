"""Request bounds: body size (413) and time (408), queued executes per session (429), header time.

The body limit is a plain ASGI middleware that reads the body before the application sees it,
so an oversized upload is refused early whether it announces a ``Content-Length`` or is chunked,
a body that does not arrive in time is refused instead of waited for, and no route can forget
the checks. Bodies of this API are small JSON documents, so buffering up to the limit costs
little.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aitui.server.responses import error_response

# ``aitui.server.errors`` (FastAPI, the API's models) is imported where an execute is refused:
# the server's start needs ``Limits`` long before its HTTP API (``aitui.server.deferred``).


@dataclass
class Limits:
    """The server's bounds; the defaults suit an orchestrator on the same machine."""

    max_body_bytes: int = 1024 * 1024
    #: Executes waiting behind the running one in a session before new ones get 429.
    max_queued_executes: int = 64
    #: Sessions the API lets exist at once (each is a shell process and its buffers).
    max_sessions: int = 256
    #: Seconds a connection gets to send a request's headers (``runner.HeaderTimeout``).
    header_timeout_s: float = 10.0
    #: Seconds a request's body may take to arrive once its headers did (at most
    #: ``max_body_bytes``: 17 KB/s would do), else 408.
    body_timeout_s: float = 60.0


@dataclass
class ExecuteQueue:
    """Counts the executes in flight per session so a flood gets 429 instead of piling up.

    The core already serialises executes per session (one lock each), so commands never
    interleave; this only bounds how many may wait for that lock.
    """

    limit: int
    _pending: Counter[str] = field(default_factory=Counter)

    @contextmanager
    def slot(self, session_key: str) -> Iterator[None]:
        if self._pending[session_key] > self.limit:
            from aitui.server.errors import ApiError

            raise ApiError(
                429,
                "TOO_MANY_REQUESTS",
                f"{self._pending[session_key]} commands are already queued for this session",
            )
        self._pending[session_key] += 1
        try:
            yield
        finally:
            self._pending[session_key] -= 1
            if not self._pending[session_key]:
                del self._pending[session_key]


#: An oversized body up to this many times the limit is read and dropped before the 413 is
#: sent: a client still writing when the server hangs up sees a reset, not the answer.
DRAIN_FACTOR = 16


class BodyLimit:
    """Refuse request bodies larger than ``max_bytes`` with a JSON 413, and bodies that take
    longer than ``timeout_s`` to arrive with a 408."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope["headers"]:
            if key == b"content-length":
                if not value.isdigit() or int(value) > self.max_bytes * DRAIN_FACTOR:
                    await self._too_large(scope, receive, send)  # too big to drain: hang up
                    return
                break
        try:
            async with asyncio.timeout(self.timeout_s):
                read = await self._read(receive)
        except TimeoutError:
            message = f"request body not received within {self.timeout_s:g} s"
            refusal = error_response(408, "REQUEST_TIMEOUT", message, connection="close")
            await refusal(scope, receive, send)
            return
        if read is None:
            return  # the client went away before sending its body: nothing to answer
        chunks, size = read
        if size > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> tuple[list[bytes], int] | None:
        """The body's chunks (none past the limit) and its size; ``None`` on a disconnect."""
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return None
            more = message.get("more_body", False)
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                if size > self.max_bytes * DRAIN_FACTOR:
                    break
                continue  # keep reading (and dropping) so the client can read our answer
            chunks.append(message.get("body", b""))
        return chunks, size

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"request body larger than {self.max_bytes} bytes"
        refusal = error_response(413, "PAYLOAD_TOO_LARGE", message, connection="close")
        await refusal(scope, receive, send)
