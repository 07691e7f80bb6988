"""The MCP tools through the SDK's client in process: the MCP server object called directly, and
the app's own ``/mcp`` route over ASGI, both over a host whose sessions are real shells."""

from __future__ import annotations

import shlex
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from aitui.core.host import SessionHost
from aitui.mcp.backend import ServerApi
from aitui.mcp.link import Link
from aitui.mcp.server import agent_server, orchestrator_server
from aitui.server import create_app


@pytest.fixture
async def host() -> AsyncIterator[SessionHost]:
    host = SessionHost()
    yield host
    await host.close()


def app_of(host: SessionHost | None) -> Any:
    if host is None:
        return create_app()  # ai-session-server's: no activity, no host
    coordination = host.coordination
    return create_app(
        host.manager,
        host=host,
        coordinator=coordination.coordinator,
        distributor=coordination.distributor,
    )


async def test_tools_called_in_process(host: SessionHost, tmp_path: Path) -> None:
    server = orchestrator_server(Link(ServerApi.asgi(app_of(host))))
    async with Client(server) as client:
        made = await client.call_tool(
            "create_session", {"name": "inproc", "directory": str(tmp_path)}
        )
        assert not made.is_error, made.content
        ran = await client.call_tool("execute", {"session": "inproc", "command": "echo $((2+3))"})
        assert ran.structured_content is not None
        assert ran.structured_content["exit_code"] == 0 and "5" in ran.structured_content["output"]
        missing = await client.call_tool("execute", {"session": "ghost", "command": "true"})
        assert missing.is_error and "SESSION_NOT_FOUND" in missing.content[0].text  # type: ignore[union-attr]
        bad = await client.call_tool("execute", {"session": "inproc"})  # no command
        assert bad.is_error


async def test_wait_for_takes_a_zero_timeout_and_asks_for_a_missing_pattern(
    host: SessionHost, tmp_path: Path
) -> None:
    server = orchestrator_server(Link(ServerApi.asgi(app_of(host))))
    async with Client(server) as client:
        made = await client.call_tool("create_session", {"name": "w", "directory": str(tmp_path)})
        assert not made.is_error, made.content
        for timeout in (0, -5, 0.0001):  # look once
            once = await client.call_tool(
                "wait_for",
                {"session": "w", "until": "pattern", "pattern": "x^", "timeout_s": timeout},
            )
            assert not once.is_error, once.content
            assert once.structured_content is not None
            assert once.structured_content["reason"] == "timeout"
        bare = await client.call_tool("wait_for", {"session": "w", "until": "pattern"})
        assert bare.is_error
        assert "needs a pattern" in bare.content[0].text  # type: ignore[union-attr]


async def test_send_text_presses_enter_apart_from_the_text(
    host: SessionHost, tmp_path: Path
) -> None:
    """In one burst with the text, Codex takes the Enter for part of a paste and never
    submits the prompt: the program here prints what each read got."""
    reader = (
        "import os, tty; tty.setraw(0); os.write(1, b'raw\\r\\n')\n"
        "while True: os.write(1, b'[' + repr(os.read(0, 4096)).encode() + b']\\r\\n')"
    )
    server = orchestrator_server(Link(ServerApi.asgi(app_of(host))))
    async with Client(server) as client:
        command = shlex.join([sys.executable, "-c", reader])
        made = await client.call_tool(
            "create_session", {"name": "r", "directory": str(tmp_path), "command": command}
        )
        assert not made.is_error, made.content
        wait = {"session": "r", "until": "pattern", "timeout_s": 60}
        assert not (await client.call_tool("wait_for", {**wait, "pattern": "^raw$"})).is_error
        sent = await client.call_tool("send_text", {"session": "r", "text": "hi", "enter": True})
        assert sent.structured_content is not None and sent.structured_content["bytes_sent"] == 3
        alone = await client.call_tool("wait_for", {**wait, "pattern": r"^\[b'\\r'\]$"})
        assert alone.structured_content is not None
        assert alone.structured_content["met"], alone.structured_content


async def test_the_apps_own_mcp_route_over_asgi(host: SessionHost) -> None:
    app = app_of(host)
    async with app.router.lifespan_context(app):
        http = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app))
        async with Client(streamable_http_client("http://localhost/mcp", http_client=http)) as c:
            listed = await c.call_tool("list_sessions", {})
            assert listed.structured_content == {"sessions": [], "problems": []}


async def test_a_server_without_activity_says_so_and_agent_tools_need_an_identity() -> None:
    app = app_of(None)
    async with Client(orchestrator_server(Link(ServerApi.asgi(app)))) as client:
        listed = await client.call_tool("list_sessions", {})
        assert listed.is_error and "NO_HOST" in listed.content[0].text  # type: ignore[union-attr]
    async with Client(agent_server(Link(ServerApi.asgi(app)))) as client:
        me = await client.call_tool("whoami", {})
        assert me.is_error and "x-aitui-session" in me.content[0].text.lower()  # type: ignore[union-attr]


async def test_a_server_that_is_gone_is_named_with_what_to_do(tmp_path: Path) -> None:
    server = orchestrator_server(Link(ServerApi.unix(tmp_path / "no-server")))
    async with Client(server) as client:
        result = await client.call_tool("list_sessions", {})
        assert result.is_error
        assert "does not answer" in result.content[0].text  # type: ignore[union-attr]
