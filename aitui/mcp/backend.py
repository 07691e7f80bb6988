"""The server's HTTP API as the MCP tools call it: one async client, over the Unix socket or,
inside the server, straight into its ASGI app (no socket, the same middleware and routes).

An error reply becomes ``ToolError`` with the server's own words and code, which the MCP client
sees as the tool's error result (``isError``); a server that does not answer says so and what
to do, rather than a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
from mcp.server.mcpserver.exceptions import ToolError

#: A plain call's bound; a wait adds its own timeout to this.
CALL_TIMEOUT_S = 60.0
#: The headers that name an agent (``routes/agent_desk.py``).
SESSION_HEADER = "x-aitui-session"
TOKEN_HEADER = "x-aitui-session-token"
#: What an in-server call passes on from the MCP request it serves.
FORWARDED = ("authorization", SESSION_HEADER, TOKEN_HEADER)


@dataclass(frozen=True)
class Identity:
    """An agent session, as its token proves it."""

    session: str
    token: str

    def headers(self) -> dict[str, str]:
        return {SESSION_HEADER: self.session, TOKEN_HEADER: self.token}

    @classmethod
    def from_headers(cls, headers: Mapping[str, str] | None) -> Identity | None:
        if not headers:
            return None
        session, token = headers.get(SESSION_HEADER), headers.get(TOKEN_HEADER)
        return cls(session, token) if session and token else None


class ServerApi:
    """Calls to one aitui server: ``ServerApi.unix(path)`` or ``ServerApi.asgi(app)``."""

    def __init__(self, transport: httpx2.AsyncBaseTransport, where: str) -> None:
        self._client = httpx2.AsyncClient(
            transport=transport, base_url="http://localhost", timeout=CALL_TIMEOUT_S
        )
        self.where = where

    @classmethod
    def unix(cls, sock: Path) -> ServerApi:
        return cls(httpx2.AsyncHTTPTransport(uds=str(sock)), f"the aitui server on {sock}")

    @classmethod
    def asgi(cls, app: Any) -> ServerApi:
        return cls(httpx2.ASGITransport(app=app), "this server")

    async def close(self) -> None:
        await self._client.aclose()

    async def call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        params: dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        wait_s: float = 0.0,
    ) -> dict[str, Any]:
        """The JSON reply, or ``ToolError`` saying what went wrong."""
        if method != "GET" and body is None:
            body = {}
        try:
            reply = await self._client.request(
                method,
                path,
                json=body,
                params={k: v for k, v in (params or {}).items() if v is not None},
                headers=dict(headers or {}),
                timeout=CALL_TIMEOUT_S + wait_s,
            )
        except httpx2.TimeoutException:
            raise ToolError(f"{self.where} did not answer in time") from None
        except httpx2.TransportError as exc:
            raise ToolError(
                f"{self.where} does not answer ({exc.__class__.__name__}): start it with "
                "`aitui server` (or any aitui command), then call again"
            ) from None
        try:
            data = reply.json()
        except ValueError:
            raise ToolError(f"{self.where} answered {reply.status_code} without JSON") from None
        if reply.status_code >= 400:
            code = data.get("code", reply.status_code) if isinstance(data, dict) else ""
            message = data.get("error", reply.reason_phrase) if isinstance(data, dict) else data
            raise ToolError(f"{message} ({code})")
        if not isinstance(data, dict):
            raise ToolError(f"{self.where} answered with something other than an object")
        return data
