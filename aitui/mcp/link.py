"""Who a tool call speaks to the server as: the link from one MCP server to the API.

Over stdio the link is fixed when ``aitui mcp`` starts (an agent's key and token from its
environment, or none for an orchestrator). Inside the server, every MCP request passes on its
own ``Authorization`` and identity headers, so a nested call is checked exactly as the
request that made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from mcp.server.mcpserver import Context

from aitui.mcp.backend import FORWARDED, Identity, ServerApi


@dataclass
class Link:
    api: ServerApi
    identity: Identity | None = None
    #: Pass the MCP request's own headers on (the in-server transport).
    forward: bool = False

    def headers(self, ctx: Context | None) -> dict[str, str]:
        if self.identity is not None:
            return self.identity.headers()
        if not self.forward or ctx is None:
            return {}
        try:
            incoming = ctx.headers or {}
        except ValueError:  # no request (a call from inside the process)
            return {}
        return {k: v for k in FORWARDED if (v := incoming.get(k))}

    async def call(
        self,
        ctx: Context | None,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        params: dict[str, Any] | None = None,
        wait_s: float = 0.0,
    ) -> dict[str, Any]:
        return await self.api.call(
            method, path, body, params=params, headers=self.headers(ctx), wait_s=wait_s
        )


def part(name: str) -> str:
    """A session name or id as one path segment (a ``/`` in it cannot reach another route)."""
    return quote(name, safe="")
