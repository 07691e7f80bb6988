"""The MCP servers on the aitui server's own HTTP: ``/mcp`` (orchestrator) and ``/mcp/agent``.

Streamable HTTP, stateless and answering in JSON: every request stands alone, so a client
keeps working across a restart of the server (nothing to resume) and no MCP session state
grows with clients. The routes sit inside the app, under its middleware: the Origin/Host guard,
the token and the body limit apply to them as to every route, which is why the SDK's own DNS
rebinding check is off here (the guard already does it, with the server's own host rules).
Each tool calls the same app in process (``ServerApi.asgi``), passing on the request's token and
agent headers, so a nested call is checked again as if it came over the wire.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.routing import Route

from aitui.mcp.backend import ServerApi
from aitui.mcp.link import Link
from aitui.mcp.server import agent_server, orchestrator_server

ORCHESTRATOR_PATH = "/mcp"
AGENT_PATH = "/mcp/agent"
MCP_METHODS = ["GET", "POST", "DELETE"]


def _served(server: MCPServer) -> StreamableHTTPASGIApp:
    server.streamable_http_app(
        stateless_http=True,
        json_response=True,
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    return StreamableHTTPASGIApp(server.session_manager)


class McpRoutes:
    """Adds the two MCP routes to ``app``; ``running()`` is entered by the app's lifespan."""

    def __init__(self, app: Any) -> None:
        self.api = ServerApi.asgi(app)
        self._servers = [
            orchestrator_server(Link(self.api, forward=True)),
            agent_server(Link(self.api, forward=True)),
        ]
        for path, server in zip((ORCHESTRATOR_PATH, AGENT_PATH), self._servers, strict=True):
            app.router.routes.append(Route(path, endpoint=_served(server), methods=MCP_METHODS))

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            for server in self._servers:
                await stack.enter_async_context(server.session_manager.run())
            try:
                yield
            finally:
                await self.api.close()
