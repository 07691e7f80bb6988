"""Starting an agent from its profile with its hooks wired for that session only.

Each hook kind (``AgentProfile.hooks``) has one way in that leaves the user's own agent
settings alone:

* ``claude``: a settings file written for the session (0600, in a 0700 directory of the
  runtime dir) and passed with ``--settings``; Claude Code merges it over the user's settings
  for that run only. Every wired event runs ``<python> -m aitui.client.hook EVENT``.
* ``codex``: ``-c notify=[...]``, Codex's own per-run override of its ``notify`` program.
* ``aider``: ``--notifications --notifications-command``.

A profile with ``mcp`` also gets aitui's MCP server (``python -m aitui.mcp --agent``, stdio)
for that session, bound to it by the same three variables:

* ``claude``: ``--mcp-config FILE`` (0600, beside the settings file), the documented
  ``{"mcpServers": {NAME: {"type": "stdio", "command", "args", "env"}}}``; the variables are in
  the file's ``env`` (a 0600 file may hold a secret; a command line may not: any user can read
  ``/proc/PID/cmdline``). The user's own MCP servers stay (no ``--strict-mcp-config``).
* ``codex``: ``-c mcp_servers.aitui.command=...``, ``.args=[...]`` and ``.env_vars=[...]``, the
  names of the variables Codex passes on from its own environment, so the token never appears
  on its command line; and ``.default_tools_approval_mode="approve"``: otherwise Codex asks
  before every call ("Allow the aitui MCP server to run tool …?"), a dialog no hook reports and
  the profile's screen does not know, so the agent would sit blocked while aitui shows it
  waiting. aitui's tools act only on aitui's own desk, as this session (docs/agent-clis.md).
  Claude Code gets the same through its settings file: ``permissions.allow: ["mcp__aitui"]``.

The hook command knows its session from the environment: ``AITUI_SESSION`` (the key),
``AITUI_SESSION_TOKEN`` (a secret only this session's processes hold, so one agent cannot
report, or approve, for another) and ``AITUI_SOCKET`` (the server). These three are set for the
session explicitly; every other ``AITUI_*`` variable stays out of children's environments.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from aitui.core.agent_hooks import CLAUDE_EVENTS
from aitui.core.paths import PRIVATE_FILE_MODE, private_dir
from aitui.core.profiles import AgentProfile

SESSION_VARIABLE = "AITUI_SESSION"
TOKEN_VARIABLE = "AITUI_SESSION_TOKEN"
SOCKET_VARIABLE = "AITUI_SOCKET"
#: Claude Code waits this long (seconds) for a hook; a permission request's answer comes from
#: the server at once, so this bounds only a server that stopped answering.
HOOK_TIMEOUT_S = 10
#: The tool events that need a matcher ("*": every tool).
_TOOL_EVENTS = ("PreToolUse", "PostToolUse", "PermissionRequest")


@dataclass
class Wiring:
    """What to start: the command line, the variables to add, the files written for it."""

    command: list[str]
    environment: dict[str, str]
    token: str
    files: list[Path] = field(default_factory=list)

    def remove_files(self) -> None:
        for path in self.files:
            with contextlib.suppress(OSError):
                path.unlink()


#: The MCP server's name in the agent CLI's configuration (its tools show as ``aitui``'s).
MCP_NAME = "aitui"
#: What an agent CLI runs as aitui's MCP server for the session.
MCP_COMMAND = (sys.executable, "-m", "aitui.mcp", "--agent")
IDENTITY_VARIABLES = (SESSION_VARIABLE, TOKEN_VARIABLE, SOCKET_VARIABLE)
#: Codex runs aitui's tools without asking (see the module's note).
CODEX_TOOLS_APPROVAL = "approve"


def hook_command(event: str) -> list[str]:
    """The argv of the hook command for ``event`` (this interpreter, so no PATH is needed)."""
    return [sys.executable, "-m", "aitui.client.hook", event]


def wire(
    profile: AgentProfile,
    command: list[str],
    *,
    key: str,
    socket: Path | None,
    hooks_dir: Path,
    resume: bool = False,
) -> Wiring:
    """``command`` (the profile's, or the user's own for it) with ``profile``'s hooks wired for
    session ``key``, and its resume arguments when ``resume``. Without a ``socket`` (sessions
    held by a dashboard, not a server) nothing is wired: the screen's patterns tell the state."""
    argv = list(command or profile.command)
    if resume:
        argv += profile.resume_args
    token = secrets.token_urlsafe(24)
    if socket is None or profile.hooks == "none" or not argv:
        return Wiring(argv, {}, token)
    environment = {SESSION_VARIABLE: key, TOKEN_VARIABLE: token, SOCKET_VARIABLE: str(socket)}
    program, rest = argv[0], argv[1:]
    files: list[Path] = []
    flags = _mcp_flags(profile, hooks_dir, key, environment, files)
    if profile.hooks == "claude":
        settings = claude_settings(mcp=profile.mcp == "claude")
        path = write_private_json(hooks_dir, f"claude-{key}.json", settings)
        files.append(path)
        flags = ["--settings", str(path), *flags]
    elif profile.hooks == "codex":
        notify = "notify=" + json.dumps(hook_command("codex"))  # a TOML array is JSON's
        flags = ["-c", notify, *flags]
    elif profile.hooks == "aider":
        flags = ["--notifications", "--notifications-command", shlex.join(hook_command("aider"))]
    return Wiring([program, *flags, *rest], environment, token, files)


def _mcp_flags(
    profile: AgentProfile, hooks_dir: Path, key: str, env: dict[str, str], files: list[Path]
) -> list[str]:
    """The flags that give the session aitui's MCP server (see the module's note)."""
    if profile.mcp == "claude":
        path = write_private_json(hooks_dir, f"mcp-{key}.json", claude_mcp_config(env))
        files.append(path)
        return ["--mcp-config", str(path)]
    if profile.mcp == "codex":
        return [flag for value in codex_mcp_overrides() for flag in ("-c", value)]
    return []


def claude_mcp_config(env: dict[str, str]) -> dict[str, object]:
    """Claude Code's ``--mcp-config`` document for the session's MCP server."""
    command, *args = MCP_COMMAND
    server = {"type": "stdio", "command": command, "args": args, "env": dict(env)}
    return {"mcpServers": {MCP_NAME: server}}


def codex_mcp_overrides() -> list[str]:
    """Codex's ``-c key=value`` overrides (values in TOML; JSON strings and arrays are TOML)."""
    command, *args = MCP_COMMAND
    prefix = f"mcp_servers.{MCP_NAME}"
    return [
        f"{prefix}.command={json.dumps(command)}",
        f"{prefix}.args={json.dumps(args)}",
        f"{prefix}.env_vars={json.dumps(list(IDENTITY_VARIABLES))}",
        f"{prefix}.default_tools_approval_mode={json.dumps(CODEX_TOOLS_APPROVAL)}",
    ]


def claude_settings(mcp: bool = False) -> dict[str, object]:
    """The settings Claude Code is given: one command hook per wired event; with ``mcp``, an
    allow rule for aitui's own tools (``mcp__aitui``: every tool of that server), which act on
    aitui's desk as this session only, so that reading its inbox never waits on a person."""
    hooks: dict[str, object] = {}
    for event in CLAUDE_EVENTS:
        handler = {
            "type": "command",
            "command": shlex.join(hook_command(event)),
            "timeout": HOOK_TIMEOUT_S,
        }
        entry: dict[str, object] = {"hooks": [handler]}
        if event in _TOOL_EVENTS:
            entry = {"matcher": "*", **entry}
        hooks[event] = [entry]
    if mcp:
        return {"hooks": hooks, "permissions": {"allow": [f"mcp__{MCP_NAME}"]}}
    return {"hooks": hooks}


def write_private_json(directory: Path, name: str, document: dict[str, object]) -> Path:
    """Write one of the session's files (0600 at creation, in a 0700 directory); its path."""
    path = private_dir(directory) / name
    text = json.dumps(document, indent=2)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    return path
