"""An agent's state: its hooks are the authority, its screen stands in (debounced) for what
they cannot say, and approvals follow the policy, from the payload only."""

from __future__ import annotations

from pathlib import Path

from aitui.core.activity import Activity, ActivityTracker
from aitui.core.agent_hooks import describe_call, interpret
from aitui.core.agent_watch import AgentWatch
from aitui.core.agent_wiring import Wiring, claude_settings, wire
from aitui.core.autoaccept import AutoAcceptConfig
from aitui.core.profiles import get_profile

NO_USER = Path("/nonexistent")


def watch(name: str, policy: AutoAcceptConfig | None = None) -> AgentWatch:
    return AgentWatch(get_profile(name, NO_USER), Wiring([], {}, "t0ken"), Path("/w"), policy)


def test_claude_hook_events_and_their_states() -> None:
    assert interpret("SessionStart", {"source": "startup"}).activity is Activity.WAITING  # type: ignore[union-attr]
    assert interpret("UserPromptSubmit", {"prompt": "x"}).activity is Activity.WORKING  # type: ignore[union-attr]
    assert interpret("Stop", {}).activity is Activity.DONE  # type: ignore[union-attr]
    idle = interpret("Notification", {"notification_type": "idle_prompt", "message": "..."})
    assert idle is not None and idle.activity is Activity.WAITING
    asked = interpret(
        "PermissionRequest", {"tool_name": "Bash", "tool_input": {"command": "ls -la"}}
    )
    assert asked is not None and asked.is_permission and asked.asked == "Bash: ls -la"
    assert interpret("SessionEnd", {}) is None
    assert interpret("Notification", {"notification_type": "auth_success"}) is None
    assert interpret("NoSuchEvent", {}) is None
    assert interpret("Stop", "not json") is not None  # the event alone says it
    codex = interpret("codex", {"type": "agent-turn-complete", "turn-id": "1"})
    assert codex is not None and codex.activity is Activity.DONE
    assert interpret("codex", ["garbage"]) is None
    assert (
        describe_call("Write", {"file_path": "/w/a.py", "content": "x" * 10_000})
        == "Write: /w/a.py"
    )
    assert describe_call(None, {}) is None
    # What is asked reaches terminals (aitui ls, the status bar): no escape sequence acts there.
    asked = describe_call("Bash", {"command": "echo \x1b]0;PWNED\x07\x1b[2J\rx"})
    assert asked is not None and asked.isprintable() and "PWNED" in asked
    assert len(describe_call("Bash", {"command": "x" * 1000}) or "") == 200


def test_hooks_are_the_authority_over_the_screen() -> None:
    tracker, agent = ActivityTracker(), watch("claude")
    screen = "─" * 40 + "\n❯\u00a0\n" + "─" * 40
    assert not agent.screen(tracker, screen, 1.0)  # a first look: not agreed yet
    assert agent.screen(tracker, screen, 1.0)  # two in a row agree: waiting, from the screen
    assert (tracker.state.activity, tracker.state.source) == (Activity.WAITING, "screen")
    agent.hook(tracker, "UserPromptSubmit", {"prompt": "go"})
    assert (tracker.state.activity, tracker.state.source) == (Activity.WORKING, "hook")
    for _ in range(3):  # the input box is still drawn: the hooks say what it does
        assert not agent.screen(tracker, screen, 2.0)
    assert tracker.state.activity is Activity.WORKING


def test_a_mid_redraw_frame_changes_nothing() -> None:
    tracker, agent = ActivityTracker(), watch("codex")
    agent.screen(tracker, "• Working (esc to interrupt)", 1.0)
    agent.screen(tracker, "Would you like to run the following command?", 1.1)  # one frame
    agent.screen(tracker, "• Working (esc to interrupt)", 1.2)
    assert tracker.state.activity is Activity.STARTING
    agent.screen(tracker, "• Working (esc to interrupt)", 1.3)
    assert tracker.state.activity is Activity.WORKING


def test_codex_screen_says_what_its_notify_cannot_but_not_over_done() -> None:
    tracker, agent = ActivityTracker(), watch("codex")
    for _ in range(2):
        agent.screen(tracker, "Would you like to run the following command?\n$ make", 1.0)
    assert tracker.state.activity is Activity.APPROVAL  # its notify never says approval
    agent.hook(tracker, "codex", {"type": "agent-turn-complete"})
    assert tracker.state.activity is Activity.DONE
    for _ in range(3):
        agent.screen(tracker, "› Ask Codex\n  99% context left", 2.0)
    assert (tracker.state.activity, tracker.state.source) == (Activity.DONE, "hook")


def test_a_permission_request_is_approved_only_by_the_policy() -> None:
    tracker = ActivityTracker()
    off = watch("claude")
    outcome = off.hook(
        tracker, "PermissionRequest", {"tool_name": "Read", "tool_input": {"file_path": "/w/a.py"}}
    )
    assert not outcome.approve and tracker.state.activity is Activity.APPROVAL
    assert tracker.state.asked == "Read: /w/a.py"
    on = watch("claude", AutoAcceptConfig(enabled=True, risk_threshold=3))
    tracker = ActivityTracker()
    outcome = on.hook(
        tracker, "PermissionRequest", {"tool_name": "Read", "tool_input": {"file_path": "/w/a.py"}}
    )
    assert outcome.approve and tracker.state.activity is Activity.WORKING
    malformed = on.hook(tracker, "PermissionRequest", "{not json")
    assert not malformed.approve and tracker.state.activity is Activity.APPROVAL
    assert [d.approved for d in on.decisions] == [True, False]
    assert on.decisions[-1].risk == 10


def test_typing_into_an_approval_prompt_answers_it() -> None:
    tracker, agent = ActivityTracker(), watch("claude")
    agent.hook(
        tracker, "PermissionRequest", {"tool_name": "Bash", "tool_input": {"command": "make"}}
    )
    tracker.acknowledge_input()
    assert (tracker.state.activity, tracker.state.source, tracker.state.asked) == (
        Activity.WORKING,
        "input",
        None,
    )


def test_a_denied_approval_shows_the_input_box_the_screen_draws() -> None:
    """Claude Code fires no hook after a denied tool: once the key is sent the state is only
    aitui's guess (working, from input), and its screen says what came of it."""
    tracker, agent = ActivityTracker(), watch("claude")
    agent.hook(tracker, "SessionStart", {"source": "startup"})
    agent.hook(
        tracker, "PermissionRequest", {"tool_name": "Bash", "tool_input": {"command": "make"}}
    )
    tracker.acknowledge_input()  # Esc: denied
    denied = "⎿  Interrupted · What should Claude do instead?\n" + "─" * 40 + "\n❯\u00a0\n"
    for _ in range(2):
        agent.screen(tracker, denied, 3.0)
    assert (tracker.state.activity, tracker.state.source) == (Activity.WAITING, "screen")
    tracker.acknowledge_input()  # not an approval: typing changes nothing
    agent.hook(
        tracker, "PermissionRequest", {"tool_name": "Bash", "tool_input": {"command": "make"}}
    )
    tracker.acknowledge_input()  # a key the dialog dropped: it is still asking
    dialog = "Do you want to proceed?\n❯ 1. Yes\n  2. No\nEsc to cancel · Tab to amend"
    for _ in range(2):
        agent.screen(tracker, dialog, 4.0)
    assert (tracker.state.activity, tracker.state.source) == (Activity.APPROVAL, "screen")


def test_only_the_sessions_token_is_accepted() -> None:
    agent = watch("claude")
    assert agent.token_matches("t0ken")
    assert not agent.token_matches("t0ken2") and not agent.token_matches("")


def test_wiring_each_kind_for_its_session_only(tmp_path: Path) -> None:
    sock = tmp_path / "s"
    claude = wire(
        get_profile("claude", NO_USER),
        ["claude", "--model", "opus"],
        key="k1",
        socket=sock,
        hooks_dir=tmp_path / "hooks",
        resume=True,
    )
    assert claude.command[:2] == ["claude", "--settings"]
    assert claude.command[3] == "--mcp-config"
    assert claude.command[5:] == ["--model", "opus", "--continue"]
    assert claude.environment["AITUI_SESSION"] == "k1"
    assert claude.environment["AITUI_SOCKET"] == str(sock)
    assert len(claude.environment["AITUI_SESSION_TOKEN"]) >= 24
    assert (Path(claude.command[2]).stat().st_mode & 0o777) == 0o600
    assert (Path(claude.command[4]).stat().st_mode & 0o777) == 0o600
    claude.remove_files()
    assert not Path(claude.command[2]).exists() and not Path(claude.command[4]).exists()
    codex = wire(get_profile("codex", NO_USER), [], key="k2", socket=sock, hooks_dir=tmp_path)
    assert codex.command[:2] == ["codex", "-c"] and codex.command[2].startswith('notify=["')
    without_server = wire(
        get_profile("claude", NO_USER), [], key="k3", socket=None, hooks_dir=tmp_path
    )
    assert without_server.command == ["claude"] and without_server.environment == {}
    other = wire(get_profile("claude", NO_USER), [], key="k4", socket=sock, hooks_dir=tmp_path)
    assert other.token != claude.token
    hooks = claude_settings()["hooks"]
    assert isinstance(hooks, dict) and hooks["PermissionRequest"][0]["matcher"] == "*"


HOOK_SAMPLES = Path(__file__).parents[1] / "data" / "agent_hooks"


def test_the_real_payloads_recorded_from_claude_code_and_codex() -> None:
    import json

    def sample(name: str) -> object:
        return json.loads((HOOK_SAMPLES / f"{name}.json").read_text())

    expected = {
        "SessionStart": Activity.WAITING,
        "UserPromptSubmit": Activity.WORKING,
        "PreToolUse": Activity.WORKING,
        "PermissionRequest": Activity.APPROVAL,
        "PostToolUse": Activity.WORKING,
        "Notification": Activity.APPROVAL,
        "Stop": Activity.DONE,
    }
    for event, state in expected.items():
        report = interpret(event, sample(f"claude-{event}"))
        assert report is not None and report.activity is state, event
    asked = interpret("PermissionRequest", sample("claude-PermissionRequest"))
    assert asked is not None and asked.asked == "Bash: touch created-by-tool"
    turn = sample("codex-notify-argv")
    title = sample("codex-notify-argv-title-thread")
    assert isinstance(turn, dict) and isinstance(title, dict)
    done = interpret("codex", turn["argv_last_parsed"])
    assert done is not None and done.activity is Activity.DONE
    assert interpret("codex", title["argv_last_parsed"]) is None  # its title thread, not a turn


def test_the_mcp_wiring_is_in_the_forms_claude_code_and_codex_document(tmp_path: Path) -> None:
    """Claude Code's ``--mcp-config`` takes ``{"mcpServers": {name: {"type": "stdio", "command",
    "args", "env"}}}``; Codex's ``-c key=value`` takes TOML values for ``mcp_servers.NAME.command``,
    ``.args``, ``.env_vars`` (names it passes on from its own environment) and
    ``.default_tools_approval_mode`` (its ask would block the agent unseen). The session's
    token is in the 0600 file or the environment, never on a command line."""
    import json
    import sys
    import tomllib

    sock = tmp_path / "s"
    claude = wire(
        get_profile("claude", NO_USER), [], key="k1", socket=sock, hooks_dir=tmp_path / "h"
    )
    config = json.loads(Path(claude.command[claude.command.index("--mcp-config") + 1]).read_text())
    server = config["mcpServers"]["aitui"]
    assert set(server) == {"type", "command", "args", "env"}
    assert server["type"] == "stdio" and server["command"] == sys.executable
    assert server["args"] == ["-m", "aitui.mcp", "--agent"]
    assert server["env"] == claude.environment
    settings = json.loads(Path(claude.command[claude.command.index("--settings") + 1]).read_text())
    assert settings["permissions"] == {"allow": ["mcp__aitui"]}  # its own tools, never asked
    assert claude.token not in " ".join(claude.command)
    codex = wire(get_profile("codex", NO_USER), [], key="k2", socket=sock, hooks_dir=tmp_path)
    overrides = [codex.command[i + 1] for i, w in enumerate(codex.command) if w == "-c"]
    table: dict[str, object] = {}
    for override in overrides:
        key, _, value = override.partition("=")
        table[key] = tomllib.loads(f"v = {value}")["v"]  # each value is valid TOML
    assert table["mcp_servers.aitui.command"] == sys.executable
    assert table["mcp_servers.aitui.args"] == ["-m", "aitui.mcp", "--agent"]
    assert table["mcp_servers.aitui.env_vars"] == [
        "AITUI_SESSION",
        "AITUI_SESSION_TOKEN",
        "AITUI_SOCKET",
    ]
    assert table["mcp_servers.aitui.default_tools_approval_mode"] == "approve"
    assert codex.token not in " ".join(codex.command)
    aider = wire(get_profile("aider", NO_USER), [], key="k3", socket=sock, hooks_dir=tmp_path)
    assert "--mcp-config" not in aider.command
    assert not any("mcp_servers" in word for word in aider.command)
