"""aitui's MCP tools for an orchestrator, through the SDK's own client, against a real server
process: over stdio (``aitui mcp``), over streamable HTTP on the Unix socket, and on TCP under
the token and Origin rules; every tool, and their errors (unknown session, timeout, bad
arguments).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from aitui.server.daemon import running_pid
from tests.e2e.server_helpers import short_socket, stop_server
from tests.e2e.test_cli_scripting import Cli

pytestmark = pytest.mark.timeout(180)
Connect = Callable[[], AbstractAsyncContextManager[Client]]


class Served(Cli):
    port: int
    token: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("mcp")
    sock = short_socket()
    token = secrets.token_urlsafe(24)
    env = dict(os.environ, PS1="$ ", AITUI_DATA_DIR=str(tmp / "data"), AITUI_TOKEN=token)
    env.pop("AITUI_SOCKET", None)
    runner = Served(sock, env)
    runner.port, runner.token = free_port(), token
    runner.ok("server", "--port", str(runner.port))
    yield runner
    stop_server(sock, signal.SIGKILL if running_pid(sock) else signal.SIGTERM)


def over_stdio(cli: Cli) -> Connect:
    env = {k: v for k, v in cli.env.items() if k != "AITUI_TOKEN"}
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "aitui.cli", "-S", str(cli.sock), "mcp"], env=env
    )
    return lambda: Client(params)


def over_http(
    url: str, transport: httpx2.AsyncBaseTransport | None = None, **headers: str
) -> Connect:
    @asynccontextmanager
    async def connect() -> AsyncIterator[Client]:
        http = httpx2.AsyncClient(transport=transport, headers=headers)
        async with Client(streamable_http_client(url, http_client=http)) as client:
            yield client

    return connect


def transports(cli: Served) -> dict[str, Connect]:
    return {
        "stdio": over_stdio(cli),
        "unix": over_http("http://localhost/mcp", httpx2.AsyncHTTPTransport(uds=str(cli.sock))),
        "tcp": over_http(f"http://127.0.0.1:{cli.port}/mcp", Authorization=f"Bearer {cli.token}"),
    }


async def call(client: Client, tool: str, **args: Any) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def error_of(client: Client, tool: str, **args: Any) -> str:
    result = await client.call_tool(tool, args)
    assert result.is_error, result.structured_content
    return result.content[0].text  # type: ignore[union-attr]


@pytest.mark.parametrize("transport", ["stdio", "unix", "tcp"])
async def test_every_orchestrator_tool(served: Served, transport: str, tmp_path: Path) -> None:
    name = f"w-{transport}"
    async with transports(served)[transport]() as client:
        tools = {t.name for t in (await client.list_tools()).tools}
        assert tools == {
            "list_sessions", "create_session", "send_text", "send_keys", "read_screen",
            "read_output", "execute", "read_raw_output", "wait_for", "stop_session",
            "compress_text",
        }  # fmt: skip
        made = await call(
            client, "create_session", name=name, directory=str(tmp_path), role="backend"
        )
        assert made["name"] == name and made["role"] == "backend"
        listed = await call(client, "list_sessions")
        assert name in {s["name"] for s in listed["sessions"]}
        mark = (await call(client, "read_output", session=name))["position"]
        ran = await call(client, "execute", session=name, command="seq 1 3000; false")
        assert ran["exit_code"] == 1 and not ran["success"]
        assert "3000" in ran["output"] and "[raw output:" in ran["output"]  # compressed
        archive = ran["raw_output_id"]
        assert f"archive {archive}" in ran["output"]  # the compressed text names it
        raw = await call(
            client, "read_raw_output", session=name, archive_id=archive, start=1500, end=1501
        )
        assert raw["text"].split("\n") == ["1500", "1501"]
        since = await call(client, "read_output", session=name, since=mark)
        assert "2999" in since["output"] and "raw_output" not in since
        await call(client, "send_text", session=name, text="echo typed-$((6*7))", enter=True)
        waited = await call(
            client, "wait_for", session=name, until="pattern", pattern="typed-42", timeout_s=30
        )
        assert waited["met"] and waited["match"] == "typed-42"
        screen = await call(client, "read_screen", session=name)
        assert any("typed-42" in line for line in screen["lines"])
        await call(client, "send_text", session=name, text="sleep 30")
        keyed = await call(client, "send_keys", session=name, keys=["ctrl+u", "ctrl+c"])
        assert keyed["bytes_sent"] == 2
        squeezed = await call(
            client, "compress_text",
            text="\n".join(f"ok {i}" for i in range(3000)) + "\nERROR: disk full", budget_tokens=80,
        )  # fmt: skip
        assert "ERROR: disk full" in squeezed["text"] and squeezed["compressed_tokens"] <= 80
        await call(client, "stop_session", session=name)
        assert name not in {s["name"] for s in (await call(client, "list_sessions"))["sessions"]}


async def test_tool_errors_say_what_is_wrong(served: Served) -> None:
    async with transports(served)["unix"]() as client:
        assert "SESSION_NOT_FOUND" in await error_of(client, "read_screen", session="nobody")
        assert "SESSION_NOT_FOUND" in await error_of(
            client, "wait_for", session="nobody", until="exit"
        )
        assert "validation" in (await error_of(client, "send_keys", session="x")).lower()  # no keys
        bad_until = await error_of(client, "wait_for", session="x", until="forever")
        assert "until" in bad_until
        await call(client, "create_session", name="slowpoke")
        timed = await call(
            client,
            "wait_for",
            session="slowpoke",
            until="pattern",
            pattern="never-shown",
            timeout_s=0.3,
        )
        assert not timed["met"] and timed["reason"] == "timeout"
        assert "INVALID_KEY" in await error_of(
            client, "send_keys", session="slowpoke", keys=["hyper+q"]
        )
        assert "INVALID_PATTERN" in await error_of(
            client, "wait_for", session="slowpoke", until="pattern", pattern="("
        )
        assert "budget" in (await error_of(client, "compress_text", text="x", budget_tokens=3))
        await call(client, "stop_session", session="slowpoke")


async def test_http_mcp_keeps_the_token_and_origin_rules(served: Served) -> None:
    url = f"http://127.0.0.1:{served.port}/mcp"
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    async with httpx2.AsyncClient() as http:
        assert (await http.post(url, json=body, headers=headers)).status_code == 401
        wrong = {**headers, "Authorization": "Bearer " + "x" * 32}
        assert (await http.post(url, json=body, headers=wrong)).status_code == 401
        evil = {**headers, "Authorization": f"Bearer {served.token}", "Origin": "http://evil.test"}
        refused = await http.post(url, json=body, headers=evil)
        assert refused.status_code == 403 and refused.json()["code"] == "ORIGIN_NOT_ALLOWED"
        agent = f"http://127.0.0.1:{served.port}/mcp/agent"
        assert (await http.post(agent, json=body, headers=headers)).status_code == 401


def test_aitui_mcp_agent_without_a_session_says_what_it_needs(served: Served) -> None:
    env = {k: v for k, v in served.env.items() if not k.startswith("AITUI_SESSION")}
    done = subprocess.run(
        [sys.executable, "-m", "aitui.mcp", "--agent"],
        env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 2
    assert "AITUI_SESSION" in done.stderr and "aitui new NAME --agent" in done.stderr


async def test_hostile_mcp_requests_get_errors_and_the_server_goes_on(served: Served) -> None:
    url = "http://localhost/mcp"
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    bodies: list[bytes] = [
        b"not json at all",
        b"[]",
        b'{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "nope"}}',
        b'{"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": 7}',
        b'{"jsonrpc": "1.0", "id": 3}',
        b"{" * 100_000,
        b'{"jsonrpc": "2.0", "id": 4, "method": "no/such/method", "params": {}}',
    ]
    transport = httpx2.AsyncHTTPTransport(uds=str(served.sock))
    async with httpx2.AsyncClient(transport=transport) as http:
        for body in bodies:
            reply = await http.post(url, content=body, headers=headers)
            assert reply.status_code < 500, (body[:40], reply.status_code, reply.text[:200])
        huge = b'{"jsonrpc": "2.0", "id": 5, "method": "ping", "x": "' + b"a" * 40_000_000 + b'"}'
        assert (await http.post(url, content=huge, headers=headers)).status_code == 413
        simple = await http.post(url, content=bodies[2], headers={"Content-Type": "text/plain"})
        assert simple.status_code == 415  # no web page can send it unasked
        for accept in ("*/*", "text/event-stream"):  # a GET's stream would never end
            stream = await http.get(url, headers={"Accept": accept}, timeout=10)
            assert stream.status_code == 405, stream.text
            assert stream.json()["code"] == "METHOD_NOT_ALLOWED"
            assert "POST" in stream.headers["allow"]
    async with transports(served)["unix"]() as client:  # still serving
        assert "sessions" in await call(client, "list_sessions")


async def test_an_mcp_client_keeps_working_across_a_kill_9_of_the_server(tmp_path: Path) -> None:
    """The server dies under a connected client; once a server runs again the same client goes
    on: over stdio (where a call in between gets a tool error saying so), and over HTTP, which
    is stateless (no MCP session to lose; a call while nothing listens fails in the client's
    own transport, which is the SDK's to report)."""
    sock = short_socket()
    env = dict(os.environ, PS1="$ ", AITUI_DATA_DIR=str(tmp_path / "data"))
    env.pop("AITUI_SOCKET", None)
    cli = Cli(sock, env)
    cli.ok("new", "survivor")
    try:
        connects = [
            over_stdio(cli),
            over_http("http://localhost/mcp", httpx2.AsyncHTTPTransport(uds=str(sock))),
        ]
        for connect, call_while_down in zip(connects, (True, False), strict=True):
            async with connect() as client:
                listed = await call(client, "list_sessions")
                assert "survivor" in {s["name"] for s in listed["sessions"]}
                stop_server(sock, signal.SIGKILL)
                if call_while_down:
                    down = await error_of(client, "list_sessions")
                    assert "does not answer" in down and "aitui server" in down
                cli.ok("server")  # the next server lists the session again, stopped
                listed = await call(client, "list_sessions")
                assert {s["name"]: s["activity"] for s in listed["sessions"]} == {
                    "survivor": "exited"
                }
    finally:
        stop_server(sock, signal.SIGKILL if running_pid(sock) else signal.SIGTERM)


def test_a_line_that_is_not_json_rpc_gets_an_error_over_stdio_and_the_next_works(
    served: Served,
) -> None:
    """The SDK dropped such a line without a word: the sender waited for good."""
    env = {k: v for k, v in served.env.items() if k != "AITUI_TOKEN"}
    hello = {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "by-hand", "version": "1"},
        },
    }
    lines = ["not json", '{"no": "jsonrpc"}', json.dumps(hello), "[1, 2"]
    done = subprocess.run(
        [sys.executable, "-m", "aitui.cli", "-S", str(served.sock), "mcp"],
        input="".join(line + "\n" for line in lines), env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r.get("id"), r.get("error", {}).get("code")) for r in replies] == [
        (None, -32700),
        (None, -32600),
        (7, None),
        (None, -32700),
    ], done.stderr
    assert "Invalid JSON" in replies[0]["error"]["message"]
    assert replies[2]["result"]["serverInfo"]["name"] == "aitui"
