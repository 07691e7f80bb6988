"""Agent CLIs as sessions of a real server: their own hooks move their state, a permission
request goes through the auto-accept policy, ``wait --until waiting|done``, ``answer``.

The agent is ``tests/agents_cli/fake_claude.py``, installed as ``claude`` on the server's PATH,
so the shipped ``claude`` profile starts it exactly as it would start Claude Code: with a
``--settings`` file of hooks that run ``python -m aitui.client.hook EVENT``.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aitui.server.daemon import running_pid
from tests.e2e.server_helpers import short_socket, stop_server
from tests.e2e.test_cli_scripting import LONG, Cli

pytestmark = pytest.mark.timeout(300)
FAKES = Path(__file__).parents[1] / "agents_cli"


@pytest.fixture(scope="module")
def agents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    tmp = tmp_path_factory.mktemp("agents")
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    for name in ("claude", "codex"):  # the profiles' commands, found on PATH
        program = bin_dir / name
        program.write_text(f'#!/bin/sh\nexec {sys.executable} {FAKES}/fake_{name}.py "$@"\n')
        program.chmod(program.stat().st_mode | stat.S_IXUSR)
    env = dict(os.environ, PS1="$ ", AITUI_DATA_DIR=str(tmp / "data"))
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    env["FAKE_AGENT_LOG"] = str(tmp / "hooks.log")
    env.pop("AITUI_SOCKET", None)
    sock = short_socket()
    runner = Cli(sock, env)
    runner.workdir = tmp  # type: ignore[attr-defined]
    yield runner
    stop_server(sock, signal.SIGKILL if running_pid(sock) else signal.SIGTERM)


def row(cli: Cli, name: str) -> dict[str, object]:
    return cli.rows()[name]


def wait_state(cli: Cli, name: str, until: str) -> dict[str, object]:
    waited = cli.json("wait", name, "--until", until, "--timeout", LONG)
    assert waited["_status"] == 0, waited
    return waited


def test_hooks_move_the_state_and_ls_says_it_came_from_the_hook(agents: Cli) -> None:
    agents.ok("new", "cc", "--agent", "claude")
    first = wait_state(agents, "cc", "waiting")  # SessionStart: its input box is up
    assert first["activity"] == "waiting"
    info = row(agents, "cc")
    assert info["agent"] == "claude" and info["source"] == "hook"
    assert "--settings" in str(info["command"])
    agents.ok("send", "cc", "hello", "--enter")
    done = wait_state(agents, "cc", "done")  # UserPromptSubmit, then Stop
    assert done["activity"] == "done"
    assert "done: hello" in agents.ok("read", "cc")
    listing = agents.ok("ls").splitlines()
    cells = next(line.split() for line in listing if line.startswith("cc "))
    assert (cells[1], cells[3], cells[4]) == ("done", "hook", "-")  # DETAIL does not repeat FROM


def test_a_turn_that_ends_without_a_question_ends_a_wait_for_waiting(agents: Cli) -> None:
    """Done is waiting for the user too (the dashboard's "needs you" says so): the wait ended
    only at Claude's idle notification a minute later, and for Codex at its timeout."""
    agents.ok("new", "turn", "--agent", "claude")
    wait_state(agents, "turn", "waiting")
    agents.ok("send", "turn", "hello", "--enter")
    waited = wait_state(agents, "turn", "waiting")
    assert (waited["reason"], waited["activity"]) == ("waiting", "done")
    assert "done: hello" in agents.ok("read", "turn")


def test_a_permission_request_waits_for_approval_with_what_is_asked(agents: Cli) -> None:
    agents.ok("new", "asker", "--agent", "claude")
    wait_state(agents, "asker", "waiting")
    agents.ok("send", "asker", "run rm -rf build", "--enter")
    wait_state(agents, "asker", "waiting")  # approval counts as waiting for the user
    info = row(agents, "asker")
    assert info["activity"] == "approval"
    assert info["asked"] == "Bash: rm -rf build"
    decisions = agents.json("decisions", "asker")["decisions"]
    assert [d["approved"] for d in decisions] == [False]  # auto-accept is off by default
    agents.ok("answer", "asker", "approve")  # the profile's key: Enter, option 1
    wait_state(agents, "asker", "done")
    assert "ran: rm -rf build" in agents.ok("read", "asker")


def test_auto_accept_approves_a_read_and_leaves_a_risky_command(agents: Cli) -> None:
    agents.ok("new", "auto", "--agent", "claude", cwd=Path(agents.workdir))  # type: ignore[attr-defined]
    wait_state(agents, "auto", "waiting")
    policy = agents.ok("auto-accept", "auto", "--on", "--threshold", "3")
    assert "auto-accept on: risk up to 3" in policy
    target = Path(agents.workdir) / "notes.txt"  # type: ignore[attr-defined]
    agents.ok("send", "auto", f"read {target}", "--enter")
    wait_state(agents, "auto", "done")  # approved by the policy: nobody was asked
    assert f"ran: {target}" in agents.ok("read", "auto")
    agents.ok("send", "auto", "run sudo rm -rf /", "--enter")
    wait_state(agents, "auto", "waiting")
    assert row(agents, "auto")["activity"] == "approval"
    decisions = agents.json("decisions", "auto")["decisions"]
    assert [d["approved"] for d in decisions] == [True, False]
    assert decisions[1]["risk"] > 3 and decisions[1]["subject"]
    agents.ok("answer", "auto", "deny")


def test_setting_one_field_of_the_policy_keeps_the_others(agents: Cli) -> None:
    from aitui.client.http import ApiClient

    agents.ok("new", "partial", "--agent", "claude")
    wait_state(agents, "partial", "waiting")
    agents.ok("auto-accept", "partial", "--on", "--threshold", "2", "--protect", "*.env")
    client = ApiClient(agents.sock, start=False)
    path = "/sessions/partial/auto-accept"
    reply = client.request("POST", path, {"risk_threshold": 5})
    assert reply == {"enabled": True, "risk_threshold": 5, "protected_patterns": ["*.env"]}
    assert client.request("GET", path) == reply
    off = client.request("POST", path, {"enabled": False})
    assert off == {"enabled": False, "risk_threshold": 5, "protected_patterns": ["*.env"]}


def test_a_hook_with_the_wrong_token_is_refused(agents: Cli) -> None:
    from aitui.client.http import ApiClient, ApiRequestError

    agents.ok("new", "victim", "--agent", "claude")
    wait_state(agents, "victim", "waiting")
    client = ApiClient(agents.sock, start=False)
    key = str(row(agents, "victim")["key"])
    body = {"event": "Stop", "token": "not-its-token", "payload": {}}
    with pytest.raises(ApiRequestError) as refused:
        client.request("POST", f"/sessions/{key}/hook", body)
    assert refused.value.status == 403
    assert row(agents, "victim")["activity"] == "waiting"


def test_the_hooks_settings_file_is_private_and_leaves_the_users_settings(agents: Cli) -> None:
    agents.ok("new", "private", "--agent", "claude")
    wait_state(agents, "private", "waiting")
    command = str(row(agents, "private")["command"]).split()
    settings = Path(command[command.index("--settings") + 1])
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
    hooks = json.loads(settings.read_text())["hooks"]
    assert set(hooks) >= {"SessionStart", "PermissionRequest", "Stop", "Notification"}
    assert (
        not (Path.home() / ".claude" / "settings.json").exists()
        or "aitui.client.hook" not in (Path.home() / ".claude" / "settings.json").read_text()
    )


def test_codex_reports_its_turns_and_its_screen_says_it_works(agents: Cli) -> None:
    agents.ok("new", "cx", "--agent", "codex")
    info = row(agents, "cx")
    assert "notify=" in str(info["command"])
    agents.ok("send", "cx", "fix the bug", "--enter")
    deadline = time.monotonic() + 60
    while (info := row(agents, "cx"))["activity"] != "working":  # its screen, debounced
        assert time.monotonic() < deadline, info
        time.sleep(0.1)
    assert info["source"] == "screen"
    agents.ok("send", "cx", "", "--enter")  # the fake's turn ends
    done = wait_state(agents, "cx", "done")  # its notify program, with the turn's JSON
    assert done["activity"] == "done"
    assert row(agents, "cx")["source"] == "hook"  # and its input box after does not undo it


def test_after_the_server_dies_an_agent_resumes_its_conversation(agents: Cli) -> None:
    agents.ok("new", "keeper", "--agent", "claude")
    wait_state(agents, "keeper", "waiting")
    stop_server(agents.sock, signal.SIGKILL)
    assert row(agents, "keeper")["activity"] == "exited"  # listed again, stopped
    agents.ok("restart", "keeper")
    wait_state(agents, "keeper", "waiting")  # its hooks are wired again, with a new token
    info = row(agents, "keeper")
    assert str(info["command"]).endswith("--continue") and info["source"] == "hook"
    assert "(resumed the last conversation)" in agents.ok("read", "keeper", "-n", "50")


def test_an_agents_own_command_gets_its_profile(agents: Cli) -> None:
    agents.ok("new", "bycommand", "--", "claude", "--model", "opus")
    info = wait_state(agents, "bycommand", "waiting")
    assert row(agents, "bycommand")["agent"] == "claude" and info["activity"] == "waiting"
    assert str(row(agents, "bycommand")["command"]).endswith("--model opus")
    agents.ok("new", "plain", "--", "cat")
    assert row(agents, "plain")["agent"] is None
