"""Start the real agent CLIs (Claude Code, Codex) offline, in a home of their own.

``.ci/install-agent-clis`` installs pinned versions into ``.cache/agent-clis/`` (``make deps``
does on CI); a test that needs one calls :func:`require_cli`, which skips with the reason when
it is missing. Each launch gets an empty temporary ``HOME`` with just the configuration that
skips onboarding (docs/agent-clis.md says which and why), a dummy API key and ``env -i``, so
nothing of the developer's own setup (``~/.claude``, ``~/.codex``, API keys, proxies) leaks in
or gets written to. The facts these helpers encode were found by running the CLIs; the
document records them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
#: Where ``.ci/install-agent-clis`` puts the CLIs' npm packages.
INSTALL_DIR = REPO / ".cache" / "agent-clis"
BIN_DIR = INSTALL_DIR / "node_modules" / ".bin"
PACKAGES = {"claude": "@anthropic-ai/claude-code", "codex": "@openai/codex"}

#: A dummy key: long enough that Claude Code's "approved keys" list (its last 20 characters)
#: differs from the key itself, as with a real one.
CLAUDE_KEY = "sk-ant-api03-offline-dummy-key-for-aitui-tests-000000"
CODEX_KEY = "sk-offline-dummy-key-for-aitui-tests"
#: The environment variable the fake Codex provider reads its key from.
CODEX_PROVIDER_KEY_ENV = "AGENT_TEST_PROVIDER_KEY"

#: Regular expressions (multiline) whose matches together identify each state on the screen;
#: checked live and against the captures in tests/data/agent_screens/.
SCREEN_MARKERS: dict[str, tuple[str, ...]] = {
    "claude-trust": (r"Accessing workspace:", r"Yes, I trust this folder", r"Enter to confirm"),
    # The input box: a "❯" line (then U+00A0, a no-break space) between two rules; the footer
    # under it varies with the permission mode.
    "claude-input": (r"^─{40,}\n❯(?:\s.*)?\n─{40,}$",),
    "claude-working": (r"esc to interrupt",),
    "claude-permission": (
        r"Do you want to proceed\?",
        r"❯ 1\. Yes",
        r"\d\. No\s*$",
        r"Esc to cancel",
    ),
    "codex-signin": (r"Sign in with ChatGPT", r"Sign in with Device Code", r"Sign in another way"),
    "codex-trust": (r"Trust this folder\?", r"1\. Trust and continue"),
    "codex-input": (r"^› ", r"\? for shortcuts"),
    "codex-approval": (
        r"Would you like to run the following command\?",
        r"1\. Yes, proceed \(y\)",
        r"No, and tell Codex what to do differently \(esc\)",
    ),
}


def shows(text: str, state: str) -> bool:
    """Whether a screen's text shows ``state`` (every marker of it matches)."""
    return all(re.search(marker, text, re.MULTILINE) for marker in SCREEN_MARKERS[state])


@dataclass
class Launch:
    """What to run: ``argv`` under exactly ``env``, in ``cwd``; ``home`` is its ``HOME``."""

    argv: list[str]
    env: dict[str, str]
    cwd: Path
    home: Path
    #: Files the hook / notify recorder appends to (one JSON object a line), if any.
    hook_log: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def command_line(self) -> str:
        """One line for ``SessionConfig.shell_command``: ``env -i`` then the variables."""
        assignments = [f"{k}={v}" for k, v in sorted(self.env.items())]
        return shlex.join(["env", "-i", *assignments, *self.argv])


def cli_path(name: str) -> Path | None:
    """The installed CLI ``name`` ("claude" or "codex"): the repo-local one, else on PATH."""
    local = BIN_DIR / name
    if local.exists():
        return local
    found = shutil.which(name)
    return Path(found) if found else None


def cli_version(name: str) -> str | None:
    manifest = INSTALL_DIR / "node_modules" / PACKAGES[name] / "package.json"
    if not manifest.exists():
        return None
    return str(json.loads(manifest.read_text())["version"])


def require_cli(name: str) -> Path:
    """The CLI's path, or skip the test saying how to install it."""
    path = cli_path(name)
    if path is None:
        pytest.skip(f"{name} is not installed: run .ci/install-agent-clis (needs npm)")
    if name == "codex" and shutil.which("node") is None:
        pytest.skip("codex's npm launcher needs node on PATH")
    return path


def _base_env(home: Path) -> dict[str, str]:
    """A clean environment: the tools a CLI runs (node, git, sh) and a terminal, nothing else."""
    dirs = ["/usr/local/bin", "/usr/bin", "/bin"]
    node = shutil.which("node")
    if node:
        dirs.insert(0, str(Path(node).parent))
    return {
        "HOME": str(home),
        "PATH": os.pathsep.join(dict.fromkeys(dirs)),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }


def hook_recorder(directory: Path) -> tuple[str, Path]:
    """A hook command and the log it appends to: argv and stdin JSON, one object a line."""
    script = directory / "record-hook.py"
    log = directory / "hooks.jsonl"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        "data = sys.stdin.read() if not sys.stdin.isatty() else ''\n"
        "try:\n"
        "    payload = json.loads(data) if data.strip() else None\n"
        "except ValueError:\n"
        "    payload = data\n"
        "with open(sys.argv[1], 'a') as f:\n"
        "    f.write(json.dumps({'argv': sys.argv[2:], 'stdin': payload}) + '\\n')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return f"{shlex.quote(str(script))} {shlex.quote(str(log))}", log


def read_hook_log(log: Path | None) -> list[dict[str, Any]]:
    if log is None or not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


#: Claude Code's hook events recorded by :func:`claude_launch` (``hooks=True``).
CLAUDE_HOOK_EVENTS = (
    "SessionStart",
    "UserPromptSubmit",
    "PreToolUse",
    "PermissionRequest",
    "PostToolUse",
    "Notification",
    "Stop",
    "StopFailure",
    "SessionEnd",
)


def claude_launch(
    tmp: Path,
    project: Path,
    *,
    trusted: bool = False,
    hooks: bool = False,
    base_url: str | None = None,
    args: tuple[str, ...] = (),
) -> Launch:
    """Claude Code in ``project`` with a fresh home: onboarding done, the dummy key approved.

    ``trusted`` pre-accepts the folder-trust prompt; ``hooks`` passes a per-session
    ``--settings`` file whose hooks record every event; ``base_url`` points it at a fake API.
    """
    cli = require_cli("claude")
    home = tmp / "claude-home"
    home.mkdir()
    state: dict[str, Any] = {
        "hasCompletedOnboarding": True,
        "customApiKeyResponses": {"approved": [CLAUDE_KEY[-20:]], "rejected": []},
    }
    if trusted:
        state["projects"] = {str(project): {"hasTrustDialogAccepted": True}}
    (home / ".claude.json").write_text(json.dumps(state, indent=2))
    env = _base_env(home)
    env["ANTHROPIC_API_KEY"] = CLAUDE_KEY
    env["DISABLE_AUTOUPDATER"] = "1"
    if base_url:
        env["ANTHROPIC_BASE_URL"] = base_url
    argv = [str(cli)]
    log = None
    extra: dict[str, Any] = {}
    if hooks:
        command, log = hook_recorder(tmp)
        settings = {
            "hooks": {
                event: [{"hooks": [{"type": "command", "command": f"{command} {event}"}]}]
                for event in CLAUDE_HOOK_EVENTS
            }
        }
        settings_file = tmp / "session-settings.json"
        settings_file.write_text(json.dumps(settings, indent=2))
        argv += ["--settings", str(settings_file)]
        extra["settings_file"] = settings_file
    argv += list(args)
    return Launch(argv=argv, env=env, cwd=project, home=home, hook_log=log, extra=extra)


#: Codex's hook events (hooks.json in CODEX_HOME) recorded by :func:`codex_launch`.
CODEX_HOOK_EVENTS = (
    "SessionStart",
    "UserPromptSubmit",
    "PreToolUse",
    "PermissionRequest",
    "PostToolUse",
    "Stop",
    "Interrupt",
    "SessionEnd",
)


def codex_launch(
    tmp: Path,
    project: Path,
    *,
    provider_url: str | None = None,
    trusted: bool = False,
    notify: bool = False,
    hooks: bool = False,
    args: tuple[str, ...] = (),
) -> Launch:
    """Codex in ``project`` with a fresh ``CODEX_HOME`` (``$HOME/.codex``), always ``--no-daemon``
    (otherwise it leaves an app-server daemon running per home after it exits).

    Without ``provider_url`` it is signed out and draws its sign-in menu. With it, a custom
    model provider at that URL (key in ``CODEX_PROVIDER_KEY_ENV``) needs no sign-in.
    ``trusted`` marks ``project`` trusted; ``notify`` sets ``notify`` to the recorder;
    ``hooks`` writes a hooks.json recording every event and passes
    ``--dangerously-bypass-hook-trust`` (else Codex first asks to review them).
    """
    cli = require_cli("codex")
    home = tmp / "codex-home"
    codex_home = home / ".codex"
    codex_home.mkdir(parents=True)
    env = _base_env(home)
    lines: list[str] = []
    command, log = hook_recorder(tmp) if (notify or hooks) else ("", None)
    if notify:
        notify_argv = [*shlex.split(command), "notify"]
        lines.append(f"notify = {json.dumps(notify_argv)}")
    if provider_url:
        lines.append('model_provider = "fake"')
        env[CODEX_PROVIDER_KEY_ENV] = CODEX_KEY
    if provider_url:
        lines += [
            "",
            "[model_providers.fake]",
            'name = "fake"',
            f'base_url = "{provider_url}/v1"',
            f'env_key = "{CODEX_PROVIDER_KEY_ENV}"',
            'wire_api = "responses"',
        ]
    if trusted:
        lines += ["", f"[projects.{json.dumps(str(project))}]", 'trust_level = "trusted"']
    (codex_home / "config.toml").write_text("\n".join(lines) + "\n")
    argv = [str(cli), "--no-daemon"]
    if hooks:
        table = {
            event: [{"hooks": [{"type": "command", "command": f"{command} {event}"}]}]
            for event in CODEX_HOOK_EVENTS
        }
        (codex_home / "hooks.json").write_text(json.dumps({"hooks": table}, indent=2))
        argv.append("--dangerously-bypass-hook-trust")
    argv += list(args)
    return Launch(argv=argv, env=env, cwd=project, home=home, hook_log=log)
