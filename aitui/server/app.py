"""The application factory: one FastAPI app over a ``SessionManager``.

``create_app(manager)`` serves an existing manager, so the dashboard can run the API in-process
and the sessions an orchestrator drives are the ones a person watches; without one the app makes
its own and stops its sessions at shutdown. The browser guard (``origin.py``), authentication
and the body limit wrap the whole app as ASGI middleware, outside FastAPI's routing, so no route
can bypass them. No CORS middleware is installed: a preflight is never approved, so a browser
never sends another site's non-simple request.

There is no ``/docs`` page: FastAPI's loads Swagger UI from a CDN, so it was blank offline, and
it ran that third-party script with this server's origin, where a page can drive every session
of a server without a token. The schema is ``/openapi.json``; any OpenAPI viewer opens it.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from aitui.__about__ import __version__
from aitui.core.agents import MultiAgentSession, StoreError, TaskDistributor, open_persistent
from aitui.core.host import SessionHost
from aitui.core.manager import SessionManager
from aitui.mcp.http import McpRoutes
from aitui.server.auth import TokenAuth
from aitui.server.errors import GUARDED, install_handlers
from aitui.server.limits import BodyLimit, Limits
from aitui.server.origin import OriginGuard
from aitui.server.routes import (
    agent_desk,
    agent_sessions,
    agents,
    compress,
    context,
    recording,
    scripting,
    sessions,
    stream,
    tasks,
    terminal,
)
from aitui.server.state import ServerState

DESCRIPTION = """\
The ai-session HTTP API: create shell sessions on real PTYs and drive them.

Every endpoint but `/health` needs `Authorization: Bearer <token>` when the server was started
with a token. Every POST takes a JSON body (`{}` when there is nothing to send) with
`Content-Type: application/json`. Requests from web pages of other sites (an `Origin` header
that is not this server's) are refused, and so, without a token, is a `Host` that is not a
loopback name or address. Errors are `{"error": "...", "code": "..."}`.
"""


def create_app(
    manager: SessionManager | None = None,
    token: str | None = None,
    *,
    limits: Limits | None = None,
    coordinator: MultiAgentSession | None = None,
    distributor: TaskDistributor | None = None,
    store_path: Path | None = None,
    allowed_hosts: Sequence[str] = (),
    host: SessionHost | None = None,
) -> FastAPI:
    """Build the API over ``manager`` (a new one if ``None``), protected by ``token`` if given.

    Without a token only loopback ``Host`` values are answered, and the names in
    ``allowed_hosts`` (see ``origin.py``).

    ``coordinator``/``distributor`` are the coordination layer the messages and tasks endpoints
    use; by default a pair owned by the app, in memory, or persisted in the SQLite file
    ``store_path`` (opened at start-up; if another process holds it, the server says so on
    stderr and keeps them in memory rather than refusing to start).
    """
    limits = limits or Limits()
    owns_coordinator = coordinator is None
    coordinator = coordinator if coordinator is not None else MultiAgentSession()
    state = ServerState(
        manager=manager if manager is not None else SessionManager(),
        limits=limits,
        owns_manager=manager is None,
        coordinator=coordinator,
        distributor=distributor if distributor is not None else TaskDistributor(coordinator),
        owns_coordinator=owns_coordinator,
        host=host,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if state.owns_coordinator and store_path is not None:
            await _persist(state, store_path)
        async with mcp.running():
            yield
        if state.owns_coordinator:
            await state.coordinator.close()
        if state.owns_manager:
            await state.manager.stop_all()

    app = FastAPI(
        title="aitui HTTP API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        responses=GUARDED,
    )
    app.state.aitui = state
    app.state.aitui_token = token
    install_handlers(app)
    routers = (sessions, terminal, recording, stream, context, agents, tasks, scripting)
    for module in (*routers, agent_sessions, agent_desk, compress):
        app.include_router(module.router)
    mcp = McpRoutes(app)  # /mcp and /mcp/agent, inside the middleware below
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes, timeout_s=limits.body_timeout_s)
    if token is not None:
        app.add_middleware(TokenAuth, token=token)
        _document_token(app)
    # Added last, so it runs first: refused before the token or the body is looked at.
    app.add_middleware(
        OriginGuard,
        check_host=token is None,
        routes=app.router.routes,
        allowed_hosts=allowed_hosts,
    )
    return app


def _document_token(app: FastAPI) -> None:
    """Declare the bearer scheme in the OpenAPI schema so clients and fuzzers send it."""
    original = app.openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema is None:
            schema = original()
            components = schema.setdefault("components", {})
            components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
            for path, operations in schema.get("paths", {}).items():
                if path in ("/health", "/"):
                    continue
                for operation in operations.values():
                    operation["security"] = [{"bearer": []}]
        return app.openapi_schema or original()

    app.openapi = openapi  # type: ignore[method-assign]


async def _persist(state: ServerState, path: Path) -> None:
    """Swap the in-memory coordination pair for one persisted at ``path`` (before any request)."""
    try:
        state.coordinator, state.distributor = await open_persistent(path)
    except StoreError as exc:
        print(f"ai-session-server: {exc}; this server keeps them in memory", file=sys.stderr)
