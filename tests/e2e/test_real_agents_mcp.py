"""The real Claude Code and Codex, started by a real aitui server from the shipped profiles,
start aitui's MCP server with aitui's own wiring (``aitui.core.agent_wiring``), list its
tools to the model, and run ``whoami`` as the session itself.

The proof is what the CLI sends the (fake) model API: a CLI only names tools its MCP server
listed to it, and the tool's result, the session's own name, can only come from that server
speaking to aitui with the session's token. The expected names are the agent server's own
(``agent_server(...).list_tools()``), not a copied list. Skipped without the CLIs
(``.ci/install-agent-clis``).
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from aitui.mcp.backend import ServerApi
from aitui.mcp.link import Link
from aitui.mcp.server import AGENT_NOTE, agent_server
from aitui.server.daemon import running_pid
from tests.agent_clis import claude_launch, codex_launch, require_cli
from tests.agent_fake_apis import REPLY_TEXT, FakeApi
from tests.agent_fake_mcp import (
    CLAUDE_WHOAMI,
    WHOAMI_DONE,
    WHOAMI_MARKER,
    ClaudeCallsWhoami,
    CodexCallsWhoami,
    claude_tool_results,
    codex_tool_outputs,
)
from tests.e2e.server_helpers import stop_server
from tests.e2e.test_cli_scripting import Cli
from tests.e2e.test_real_agents import row, server_cli, type_prompt

pytestmark = pytest.mark.timeout(300)

#: Bound on any one condition (the CLIs take seconds to start on a loaded machine).
BOUND = 90.0
Body = dict[str, Any]


def aitui_tools() -> set[str]:
    """The tools aitui's agent MCP server lists (its names, without the CLI's prefix)."""
    server = agent_server(Link(ServerApi.unix(Path("/nonexistent"))))
    return {tool.name for tool in asyncio.run(server.list_tools())}


def wait_until(condition: Callable[[], bool], cli: Cli, name: str, what: str) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, (what, cli.ok("read", name, "-n", "200"))
        time.sleep(0.2)


def replied(cli: Cli, name: str, prompt: str, reply: str) -> bool:
    """The reply is drawn below the prompt (its first showing: Codex repeats the last prompt
    in its status line) and the turn is over."""
    text = cli.ok("read", name, "-n", "200")
    return text.rfind(reply) > text.find(prompt) >= 0 and row(cli, name)["activity"] == "done"


def turn_that_lists(cli: Cli, name: str, api: FakeApi, lists: Callable[[Body], bool]) -> Body:
    """Plain turns until the model request of one lists aitui's server; that request. A turn
    that begins before the MCP server has answered goes without its tools (docs/agent-clis.md),
    so the first may not."""
    for attempt in range(1, 6):
        prompt = f"say hello {attempt}"
        type_prompt(cli, name, prompt)
        wait_until(lambda p=prompt: replied(cli, name, p, REPLY_TEXT), cli, name, prompt)
        asked = [r["body"] for r in api.requests if prompt in json.dumps(r["body"])]
        if any(lists(body) for body in asked):
            return next(body for body in asked if lists(body))
    raise AssertionError(("no request listed aitui's tools", api.requests[-1]))


def new_agent(cli: Cli, name: str, agent: str, project: Path, *command: str) -> None:
    """``aitui new NAME --agent AGENT`` (with ``command`` for the profile's), once it waits."""
    extra = ["--", *command] if command else []
    cli.ok("new", name, "--agent", agent, "--cwd", str(project), *extra)
    wait_until(lambda: row(cli, name)["activity"] == "waiting", cli, name, "its input box")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "project"
    path.mkdir()
    return path


@pytest.fixture
def claude(tmp_path: Path, project: Path) -> Iterator[tuple[Cli, ClaudeCallsWhoami]]:
    program = require_cli("claude")
    api = ClaudeCallsWhoami()
    with api.running():
        launch = claude_launch(tmp_path, project, trusted=True, base_url=api.base_url)
        cli = server_cli(tmp_path, launch.env, program)
        yield cli, api
        stop_server(cli.sock, signal.SIGKILL if running_pid(cli.sock) else signal.SIGTERM)


@pytest.fixture
def codex(tmp_path: Path, project: Path) -> Iterator[tuple[Cli, CodexCallsWhoami]]:
    program = require_cli("codex")
    api = CodexCallsWhoami()
    with api.running():
        launch = codex_launch(tmp_path, project, provider_url=api.base_url, trusted=True)
        cli = server_cli(tmp_path, launch.env, program)
        yield cli, api
        stop_server(cli.sock, signal.SIGKILL if running_pid(cli.sock) else signal.SIGTERM)


def claude_names(body: Body) -> set[str]:
    """The aitui tools a Claude Code request names (its deferred list, or ``tools``)."""
    return set(re.findall(r"mcp__aitui__(\w+)", json.dumps(body)))


def test_real_claude_code_lists_aitui_tools_and_whoami_answers_as_the_session(
    claude: tuple[Cli, ClaudeCallsWhoami], project: Path
) -> None:
    cli, api = claude
    name = "mcp-probe-cc"
    new_agent(cli, name, "claude", project, "claude", "--permission-mode", "manual")
    expected = aitui_tools()
    body = turn_that_lists(cli, name, api, lambda b: claude_names(b) >= {"whoami"})
    assert claude_names(body) == expected  # every tool the server lists, no other
    type_prompt(cli, name, f"please {WHOAMI_MARKER}")
    # ToolSearch loads the schema; the call is not asked (the session's settings allow aitui's
    # tools), so the turn goes straight through.
    prompt = f"please {WHOAMI_MARKER}"
    wait_until(lambda: replied(cli, name, prompt, WHOAMI_DONE), cli, name, "whoami's turn")
    loaded = [
        tool
        for r in api.requests
        for tool in r["body"].get("tools") or []
        if tool.get("name") == CLAUDE_WHOAMI
    ]
    assert loaded and loaded[-1]["input_schema"]["properties"] == {}  # the server's schema
    results = claude_tool_results(api.requests, CLAUDE_WHOAMI)
    assert len(results) == 1, results
    me = json.loads(results[0])["me"]
    assert (me["name"], me["agent"]) == (name, "claude")


def test_real_codex_lists_aitui_tools_and_whoami_answers_as_the_session(
    codex: tuple[Cli, CodexCallsWhoami], project: Path
) -> None:
    cli, api = codex
    name = "mcp-probe-cx"
    new_agent(cli, name, "codex", project)  # the profile's own command, as a user would
    # Codex names the server a deferred namespace, with the server's instructions.
    note = f"- mcp__aitui: {AGENT_NOTE[:60]}"
    turn_that_lists(cli, name, api, lambda b: note in json.dumps(b, ensure_ascii=False))
    prompt = f"please {WHOAMI_MARKER}"
    type_prompt(cli, name, prompt)
    # No ask in between: the wiring pre-approves aitui's tools (Codex's ask would block unseen).
    wait_until(lambda: replied(cli, name, prompt, WHOAMI_DONE), cli, name, "whoami's turn")
    outputs = [t for t in codex_tool_outputs(api.requests) if t.startswith("{")]
    assert len(outputs) == 1, codex_tool_outputs(api.requests)
    result = json.loads(outputs[0])
    assert set(result["names"]) == {f"mcp__aitui__{tool}" for tool in aitui_tools()}
    me = result["whoami"]["structuredContent"]["me"]
    assert (me["name"], me["agent"]) == (name, "codex")
    assert not result["whoami"]["isError"]
