"""The real Claude Code and Codex as agent sessions of a real aitui server: started from the
shipped profiles (``aitui new NAME --agent claude``), their own hooks wired by aitui, talking
to the local fake APIs of ``tests/agent_fake_apis.py``. What ``aitui ls`` says must be what the
agent reported: waiting at its input box, done after a turn, approval with the command asked,
an auto-approved call that never reaches the person.

The CLIs come from ``.ci/install-agent-clis`` (``make test`` installs them); without them these
tests skip.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aitui.server.daemon import running_pid
from tests.agent_clis import claude_launch, codex_launch, require_cli
from tests.agent_fake_apis import REPLY_TEXT, TOOL_FILE, TOOL_MARKER, FakeAnthropic, FakeOpenAI
from tests.e2e.server_helpers import short_socket, stop_server
from tests.e2e.test_cli_scripting import LONG, Cli

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "project"
    path.mkdir()
    return path


def server_cli(tmp: Path, env: dict[str, str], program: Path) -> Cli:
    env = dict(env, AITUI_DATA_DIR=str(tmp / "data"), XDG_RUNTIME_DIR=str(tmp))
    env["PATH"] = f"{program.parent}{os.pathsep}{env['PATH']}"
    return Cli(short_socket(), env)


def row(cli: Cli, name: str) -> dict[str, Any]:
    return cli.rows()[name]


def until_state(cli: Cli, name: str, until: str) -> dict[str, Any]:
    waited = cli.json("wait", name, "--until", until, "--timeout", LONG)
    assert waited["_status"] == 0, (waited, cli.ok("read", name))
    return row(cli, name)


def type_prompt(cli: Cli, name: str, text: str) -> None:
    """Text, then Enter once it shows (the CLIs drop keys that come with the text)."""
    cli.ok("send", name, text)
    deadline = time.monotonic() + 30
    while text not in cli.ok("read", name):
        assert time.monotonic() < deadline, cli.ok("read", name)
        time.sleep(0.1)
    cli.ok("keys", name, "enter")


def answer(cli: Cli, name: str, action: str) -> None:
    """``aitui answer``, again if the agent ignored a key pressed too early (both CLIs drop
    keys in a dialog's first moments)."""
    deadline = time.monotonic() + 60
    while row(cli, name)["activity"] == "approval":
        assert time.monotonic() < deadline, cli.ok("read", name)
        cli.ok("answer", name, action)
        time.sleep(2)


def new_claude(cli: Cli, name: str, project: Path) -> dict[str, Any]:
    """Claude Code from the shipped profile (its permission prompts on), once it waits."""
    cli.ok("new", name, "--agent", "claude", "--cwd", str(project), "--", "claude",
           "--permission-mode", "manual")  # fmt: skip
    return until_state(cli, name, "waiting")


@pytest.fixture
def claude(tmp_path: Path, project: Path) -> Iterator[tuple[Cli, Path]]:
    program = require_cli("claude")
    api = FakeAnthropic()
    with api.running():
        launch = claude_launch(tmp_path, project, trusted=True, base_url=api.base_url)
        cli = server_cli(tmp_path, launch.env, program)
        yield cli, launch.home
        stop_server(cli.sock, signal.SIGKILL if running_pid(cli.sock) else signal.SIGTERM)


def test_real_claude_code_reports_through_the_hooks_aitui_wired(
    claude: tuple[Cli, Path], project: Path
) -> None:
    cli, home = claude
    info = new_claude(cli, "cc", project)  # waiting, from SessionStart: its own hook
    assert (info["activity"], info["source"]) == ("waiting", "hook")
    type_prompt(cli, "cc", "say hello")
    info = until_state(cli, "cc", "done")  # UserPromptSubmit, then Stop
    assert info["source"] == "hook" and REPLY_TEXT in cli.ok("read", "cc")
    type_prompt(cli, "cc", f"please {TOOL_MARKER}")
    info = until_state(cli, "cc", "waiting")
    assert info["activity"] == "approval" and info["asked"] == f"Bash: touch {TOOL_FILE}"
    assert [d["approved"] for d in cli.json("decisions", "cc")["decisions"]] == [False]
    answer(cli, "cc", "approve")  # its own key: 1
    until_state(cli, "cc", "done")
    assert (project / TOOL_FILE).exists()
    assert not (home / ".claude" / "settings.json").exists()  # the user's settings untouched


def test_real_claude_code_call_approved_by_the_policy_reaches_nobody(
    claude: tuple[Cli, Path], project: Path
) -> None:
    cli, _ = claude
    new_claude(cli, "auto", project)
    cli.ok("auto-accept", "auto", "--on", "--threshold", "6")
    type_prompt(cli, "auto", f"please {TOOL_MARKER}")
    until_state(cli, "auto", "done")  # no approval state in between: the hook answered
    assert (project / TOOL_FILE).exists()
    decisions = cli.json("decisions", "auto")["decisions"]
    assert [(d["approved"], d["subject"]) for d in decisions] == [(True, f"touch {TOOL_FILE}")]
    assert "Do you want to proceed?" not in cli.ok("read", "auto", "-n", "200")


def test_real_codex_turn_done_from_its_notify_and_working_from_its_screen(
    tmp_path: Path, project: Path
) -> None:
    program = require_cli("codex")
    api = FakeOpenAI()
    with api.running():
        launch = codex_launch(tmp_path, project, provider_url=api.base_url, trusted=True)
        cli = server_cli(tmp_path, launch.env, program)
        try:
            # The profile's own command (codex --no-daemon); its home's config has the provider.
            cli.ok("new", "cx", "--agent", "codex", "--cwd", str(project))
            info = row(cli, "cx")
            assert "notify=" in info["command"]
            deadline = time.monotonic() + 60
            while row(cli, "cx")["activity"] != "waiting":  # its input box, from its screen
                assert time.monotonic() < deadline, cli.ok("read", "cx")
                time.sleep(0.2)
            type_prompt(cli, "cx", "say hello")
            info = until_state(cli, "cx", "done")  # its notify program: the turn completed
            assert info["source"] == "hook" and REPLY_TEXT in cli.ok("read", "cx")
        finally:
            stop_server(cli.sock, signal.SIGKILL if running_pid(cli.sock) else signal.SIGTERM)


def test_a_hook_payload_recorded_from_claude_code_fits_the_route() -> None:
    """The route takes the real payload shape as is (what the hook command posts)."""
    sample = Path(__file__).parents[1] / "data" / "agent_hooks" / "claude-PermissionRequest.json"
    from aitui.server.agent_models import HookBody

    body = HookBody.model_validate(
        {"event": "PermissionRequest", "token": "t", "payload": json.loads(sample.read_text())}
    )
    assert body.payload["tool_name"] == "Bash"
