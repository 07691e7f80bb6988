"""The server's HTTP API, loaded once the server is up: ``/attach`` is served from the start.

A dashboard needs one thing of a server it has just started: ``/attach``. Importing FastAPI,
pydantic and the API's models is ~0.8 s of the ~1.1 s a server takes to start on this
machine (``benchmarks/memory_startup.py``), and a fresh ``aitui`` waited for all of it before
its first shell was listed. So the Unix socket of a server without TCP is served by
``DeferredApi``: an ASGI app that hands ``/attach`` to the attach hub itself and everything
else to the FastAPI app, which it builds in a thread ``after_s`` after start-up (when the
first dashboard has its sessions) or at the first request that needs it, whichever comes
first. A request that comes while it is built waits for it; nothing is refused for being
early. The built app's lifespan (the MCP routes' task group, the coordination store) is
entered once it is built and left when the server stops.

A server asked to listen on TCP builds its API at once, as before: the user asked for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aitui.core.wire import ATTACH_PATH
from aitui.server.responses import error_response

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.types import Receive, Scope, Send
    from starlette.websockets import WebSocket

log = logging.getLogger("aitui.server")

#: Seconds after start-up the API is built unless a request asks for it earlier: a fresh
#: dashboard has attached and drawn its first shell by then (~0.6 s), so the build's CPU does
#: not compete with it.
BUILD_AFTER_S = 2.0


class DeferredApi:
    """ASGI: ``/attach`` at once, the API (``build()``, run in a thread) when first needed."""

    def __init__(
        self,
        build: Callable[[], FastAPI],
        attach: Callable[[WebSocket], Awaitable[None]],
        *,
        after_s: float = BUILD_AFTER_S,
    ) -> None:
        self._build = build
        self._attach = attach
        self._after_s = after_s
        self._building: asyncio.Task[FastAPI] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._lifespans = contextlib.AsyncExitStack()

    @property
    def built(self) -> bool:
        task = self._building
        return task is not None and task.done() and task.exception() is None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "websocket" and scope.get("path") == ATTACH_PATH:
            from starlette.websockets import WebSocket

            await self._attach(WebSocket(scope, receive, send))
        else:
            try:
                app = await self.api()
            except Exception as exc:
                await _unavailable(
                    scope, receive, send, f"the server's HTTP API could not start: {exc}"
                )
                return
            await app(scope, receive, send)

    async def api(self) -> FastAPI:
        """The API, built (once) if it is not yet."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        return await asyncio.shield(self._started())

    def _started(self) -> asyncio.Task[FastAPI]:
        """The build, started unless it runs or has succeeded (a failed one is tried again,
        and says why again)."""
        task = self._building
        if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
            task = self._building = asyncio.create_task(self._start_api(), name="aitui-http-api")
            task.add_done_callback(_quiet)
        return task

    async def _start_api(self) -> FastAPI:
        started = time.perf_counter()
        try:
            app = await asyncio.to_thread(self._build)  # its imports: off the event loop
            await self._lifespans.enter_async_context(app.router.lifespan_context(app))
        except Exception:
            log.exception("building the HTTP API")
            raise
        log.info("HTTP API ready (%.0f ms)", (time.perf_counter() - started) * 1000)
        return app

    def _build_soon(self) -> None:
        self._timer = None
        self._started()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                loop = asyncio.get_running_loop()
                self._timer = loop.call_later(self._after_s, self._build_soon)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self._close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._building is not None and not self._building.done():
            with contextlib.suppress(Exception):
                await self._building  # a thread cannot be stopped: its app is closed below
        await self._lifespans.aclose()


def _quiet(task: asyncio.Task[Any]) -> None:
    """A build's failure is logged where it happens and answered to the requests waiting;
    nobody else need retrieve it."""
    if not task.cancelled():
        task.exception()


async def _unavailable(scope: Scope, receive: Receive, send: Send, reason: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1011, "reason": reason[:120]})
        return
    await error_response(503, "API_UNAVAILABLE", reason)(scope, receive, send)
