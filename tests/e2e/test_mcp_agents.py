"""Agents that coordinate through aitui's MCP tools, end to end: real server processes, agent
sessions started from the shipped ``claude`` profile (the fake Claude Code of
``tests/agents_cli``, an MCP client of the SDK started from its ``--mcp-config``), messages and
tasks that reach them as the server's typed announcements, and a server killed with -9.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from aitui.client.http import ApiClient
from aitui.server.daemon import running_pid
from tests.e2e.server_helpers import short_socket, stop_server
from tests.e2e.test_cli_scripting import LONG, Cli

pytestmark = pytest.mark.timeout(300)
FAKES = Path(__file__).parents[1] / "agents_cli"
BOUND_S = 90.0


@pytest.fixture
def fleet(tmp_path: Path) -> Iterator[Cli]:
    yield from make_fleet(tmp_path, passive=False)


@pytest.fixture
def passive_fleet(tmp_path: Path) -> Iterator[Cli]:
    """Agents that only say what was typed to them (their tools are the test's to call)."""
    yield from make_fleet(tmp_path, passive=True)


def make_fleet(tmp_path: Path, passive: bool) -> Iterator[Cli]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "claude"
    program.write_text(f'#!/bin/sh\nexec {sys.executable} {FAKES}/fake_claude.py "$@"\n')
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    env = dict(os.environ, PS1="$ ", AITUI_DATA_DIR=str(tmp_path / "data"))
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    env["FAKE_MCP_LOG"] = str(tmp_path / "mcp.log")
    if passive:
        env["FAKE_MCP_PASSIVE"] = "1"
    env.pop("AITUI_SOCKET", None)
    sock = short_socket()
    runner = Cli(sock, env)
    runner.log = tmp_path / "mcp.log"  # type: ignore[attr-defined]
    yield runner
    stop_server(sock, signal.SIGKILL if running_pid(sock) else signal.SIGTERM)


def did(cli: Cli) -> list[dict[str, Any]]:
    path: Path = cli.log  # type: ignore[attr-defined]
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def until(condition: Callable[[], bool], what: str, cli: Cli | None = None) -> None:
    deadline = time.monotonic() + BOUND_S
    while not condition():
        if time.monotonic() > deadline:
            seen = "" if cli is None else f"\nlog: {did(cli)}\nsessions: {cli.rows()}"
            raise AssertionError(f"not within {BOUND_S:g}s: {what}{seen}")
        time.sleep(0.1)


def start_agent(cli: Cli, name: str, role: str) -> None:
    cli.ok("new", name, "--agent", "claude", "--role", role)
    waited = cli.json("wait", name, "--until", "waiting", "--timeout", LONG)
    assert waited["_status"] == 0, waited


def api(cli: Cli) -> ApiClient:
    return ApiClient(cli.sock, start=False)


def identity(cli: Cli, name: str) -> dict[str, str]:
    """The agent's key and token, from its 0600 ``--mcp-config`` file (we are its user)."""
    command = str(cli.rows()[name]["command"]).split()
    config = json.loads(Path(command[command.index("--mcp-config") + 1]).read_text())
    return dict(config["mcpServers"]["aitui"]["env"])


def test_agents_exchange_a_schema_change_and_split_three_tasks_across_a_kill_9(
    fleet: Cli,
) -> None:
    start_agent(fleet, "front", "frontend")
    start_agent(fleet, "back", "backend")
    fleet.ok("send", "front", "say back schema: users.email is now required", "--enter")
    # back is told (typed in while it waits), reads, answers front, acknowledges; front too.
    until(
        lambda: any(e["event"] == "acked" and e["agent"] == "front" for e in did(fleet)),
        "front acknowledged back's answer",
        fleet,
    )
    reads = [e for e in did(fleet) if e["event"] == "read"]
    assert [(e["agent"], e["from"], e["text"]) for e in reads] == [
        ("back", "front", "schema: users.email is now required"),
        ("front", "back", "ok schema: users.email is now required"),
    ]
    held = api(fleet).request("GET", "/messages")["messages"]
    assert {m["state"] for m in held} == {"acknowledged"}

    fleet.ok(
        "send",
        "front",
        "submit backend add the email column; frontend add the email field; "
        "frontend check the email format",
        "--enter",
    )
    until(lambda: api(fleet).request("GET", "/tasks")["total"] >= 1, "a task on the board")
    stop_server(fleet.sock, signal.SIGKILL)  # in the middle of submitting and working
    acknowledged = did(fleet)  # what the server had answered before it died

    for name in ("front", "back"):  # the next server lists them stopped; resume them
        fleet.ok("restart", name)
    submitted = {e["id"] for e in acknowledged if e["event"] == "submitted"}
    board = {t["id"]: t for t in api(fleet).request("GET", "/tasks")["tasks"]}
    assert submitted <= set(board), "a task the server accepted was lost"
    if len(board) < 3:  # the kill came before front submitted them all: it is asked again
        missing = [
            d
            for d in ("add the email column", "add the email field", "check the email format")
            if d not in {t["description"] for t in board.values()}
        ]
        needs = {"add the email column": "backend"}
        items = "; ".join(f"{needs.get(d, 'frontend')} {d}" for d in missing)
        fleet.json("wait", "front", "--until", "waiting", "--timeout", LONG)
        fleet.ok("send", "front", f"submit {items}", "--enter")

    def finished() -> bool:
        tasks = api(fleet).request("GET", "/tasks")["tasks"]
        return len(tasks) == 3 and all(t["state"] == "done" for t in tasks)

    until(finished, "all three tasks done")
    tasks = api(fleet).request("GET", "/tasks")["tasks"]
    holders = {t["description"]: t["agent"] for t in tasks}
    assert holders == {
        "add the email column": "back",
        "add the email field": "front",
        "check the email format": "front",
    }
    for task in tasks:
        assert task["result"] == {"summary": f"{task['agent']} did {task['description']}"}
        assert task["metadata"] == {"submitted_by": "front"}
    # Nothing acknowledged came back: a message acknowledged before the kill is not read again.
    log = did(fleet)
    acked = [e["id"] for e in acknowledged if e["event"] == "acked"]
    assert all(sum(e["event"] == "read" and e["id"] == m for e in log) == 1 for m in acked)
    assert all(
        m["state"] == "acknowledged"
        for m in api(fleet).request("GET", "/messages")["messages"]
        if m["message_type"] != "TaskAssignment"
    )


def test_an_agent_cannot_speak_or_report_as_another(passive_fleet: Cli) -> None:
    fleet = passive_fleet
    import anyio
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    start_agent(fleet, "alice", "a")
    start_agent(fleet, "bob", "b")
    alice, bob = identity(fleet, "alice"), identity(fleet, "bob")
    task = api(fleet).request("POST", "/tasks", {"description": "bob's job", "requirements": ["b"]})
    assert task["agent"] == "bob"

    async def call(who: dict[str, str], tool: str, args: dict[str, Any]) -> tuple[bool, Any]:
        headers = {
            "x-aitui-session": who["AITUI_SESSION"],
            "x-aitui-session-token": who["AITUI_SESSION_TOKEN"],
        }
        http = httpx2.AsyncClient(
            transport=httpx2.AsyncHTTPTransport(uds=str(fleet.sock)), headers=headers
        )
        async with Client(
            streamable_http_client("http://localhost/mcp/agent", http_client=http)
        ) as c:
            tools = {t.name: t for t in (await c.list_tools()).tools}
            for name in ("send_message", "broadcast", "complete_task", "read_inbox"):
                properties = tools[name].input_schema["properties"]
                assert not {"from", "sender", "session", "as"} & set(properties)
            result = await c.call_tool(tool, args)
            text = result.content[0].text if result.is_error and result.content else None
            return result.is_error, text or result.structured_content

    error, _ = anyio.run(call, alice, "send_message", {"to": "bob", "text": "hi"})
    assert not error
    # The server tells bob, who waits, in one typed line (the passive fake only echoes it).
    until(
        lambda: "done: aitui: 1 new message (from alice)" in fleet.ok("read", "bob"),
        "bob told of alice's message",
        fleet,
    )
    inbox = api(fleet).request("GET", "/agents/bob/messages")["messages"]
    assert [(m["to"], m["payload"]) for m in inbox][-1:] == [("bob", {"text": "hi"})]
    assert inbox[-1]["from"] != "bob"  # the server put alice's id, whatever she might claim
    forged = dict(bob, AITUI_SESSION_TOKEN=alice["AITUI_SESSION_TOKEN"])  # bob's key, her token
    error, text = anyio.run(call, forged, "send_message", {"to": "alice", "text": "it's bob"})
    assert error and "HOOK_REFUSED" in text
    error, text = anyio.run(call, alice, "complete_task", {"task_id": task["id"], "summary": "x"})
    assert error and "NOT_YOUR_TASK" in text and "held by bob" in text
    assert api(fleet).request("GET", f"/tasks/{task['id']}")["state"] == "assigned"
    error, sent = anyio.run(call, bob, "broadcast", {"text": "standup in 5"})
    assert not error and sent["recipients"] == ["alice"]  # everyone but the sender
    error, claimed = anyio.run(call, bob, "claim_task", {})
    assert not error and claimed["task"]["id"] == task["id"]
    assert claimed["task"]["state"] == "running"
    error, failed = anyio.run(call, bob, "fail_task", {"task_id": task["id"], "summary": "no db"})
    assert not error and failed["state"] == "failed" and failed["error"] == "no db"
