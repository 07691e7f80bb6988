"""The MCP servers on the aitui server's own HTTP: ``/mcp`` (orchestrator) and ``/mcp/agent``.

Streamable HTTP, stateless and answering in JSON: every request stands alone, so a client
keeps working across a restart of the server (nothing to resume) and no MCP session state
grows with clients. The routes sit inside the app, under its middleware: the Origin/Host guard,
the token and the body limit apply to them as to every route, which is why the SDK's own DNS
rebinding check is off here (the guard already does it, with the server's own host rules).
Each tool calls the same app in process (``ServerApi.asgi``), passing on the request's token and
agent headers, so a nested call is checked again as if it came over the wire.

The SDK is loaded on the first MCP request, not with the server: importing it costs about
0.8 s (half of a server's start-up, measured with ``-X importtime``), which every ``aitui``
command that starts a server would otherwise wait for.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

ORCHESTRATOR_PATH = "/mcp"
AGENT_PATH = "/mcp/agent"
#: No GET: a stateless server answering in JSON has nothing to send on a GET's event stream, and
#: the SDK held one open for good (``curl /mcp`` hung). 405 is the spec's answer for "no SSE
#: stream at this endpoint", which clients expect.
MCP_METHODS = ["POST", "DELETE"]


class McpRoutes:
    """Adds the two MCP routes to ``app``; ``running()`` is entered by the app's lifespan."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._endpoints: dict[str, ASGIApp] = {}
        self._started: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._lock = asyncio.Lock()
        for path in (ORCHESTRATOR_PATH, AGENT_PATH):
            app.router.routes.append(
                Route(path, endpoint=self._endpoint(path), methods=MCP_METHODS)
            )

    def _endpoint(self, path: str) -> ASGIApp:
        return _Endpoint(self, path)

    async def _start(self) -> None:
        async with self._lock:
            if self._endpoints:
                return
            ready: asyncio.Future[dict[str, ASGIApp]] = asyncio.get_running_loop().create_future()
            self._started = asyncio.create_task(self._serve(ready), name="mcp session managers")
            self._endpoints = await ready

    async def _serve(self, ready: asyncio.Future[dict[str, ASGIApp]]) -> None:
        """Build both servers and keep their session managers running until shutdown."""
        from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
        from mcp.server.transport_security import TransportSecuritySettings

        from aitui.mcp.backend import ServerApi
        from aitui.mcp.link import Link
        from aitui.mcp.server import agent_server, orchestrator_server

        api = ServerApi.asgi(self._app)
        servers = {
            ORCHESTRATOR_PATH: orchestrator_server(Link(api, forward=True)),
            AGENT_PATH: agent_server(Link(api, forward=True)),
        }
        security = TransportSecuritySettings(enable_dns_rebinding_protection=False)
        try:
            async with contextlib.AsyncExitStack() as stack:
                endpoints: dict[str, ASGIApp] = {}
                for path, server in servers.items():
                    server.streamable_http_app(
                        stateless_http=True, json_response=True, transport_security=security
                    )
                    await stack.enter_async_context(server.session_manager.run())
                    endpoints[path] = StreamableHTTPASGIApp(server.session_manager)
                ready.set_result(endpoints)
                await self._stop.wait()
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)
            raise
        finally:
            await api.close()

    async def handle(self, path: str, scope: Scope, receive: Receive, send: Send) -> None:
        if path not in self._endpoints:
            await self._start()
        await self._endpoints[path](scope, receive, send)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        try:
            yield
        finally:
            self._stop.set()
            if self._started is not None:
                with contextlib.suppress(Exception):
                    await self._started


class _Endpoint:
    """A plain ASGI app for one path (a class: Starlette would wrap a function as a handler of
    ``Request``)."""

    def __init__(self, routes: McpRoutes, path: str) -> None:
        self._routes = routes
        self._path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._routes.handle(self._path, scope, receive, send)
