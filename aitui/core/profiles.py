"""Agent profiles: how to start each agent CLI, resume it, learn its state, and answer it.

A profile is data, a TOML file: the ones shipped in ``aitui/data/profiles/`` (Claude Code,
Codex, Gemini CLI, aider, OpenCode, a plain shell), and the user's in
``<config dir>/aitui/profiles/NAME.toml``, which replace a shipped one of the same name or add
a new one. Fields::

    title = "Claude Code"
    command = ["claude"]              # argv; [] is the user's shell
    resume_args = ["--continue"]      # appended to the command to resume its last conversation
    hooks = "claude"                  # how it reports its state: claude | codex | aider | none
    mcp = "claude"                    # how aitui's MCP tools are given to it: claude | codex | none
    [screen]                          # fallback patterns (Python regexes on the screen's text)
    approval = ['Do you want to proceed']
    waiting = ['\\? for shortcuts']
    working = ['esc to interrupt']
    [keys]                            # key names, as ``aitui keys`` takes them
    approve = ["enter"]
    deny = ["escape"]
    interrupt = ["escape"]

A file that cannot be read is an error naming the file and the field, never a silent default:
a profile that guesses wrong would say an agent waits when it works.
"""

from __future__ import annotations

import os
import re
import shlex
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

from aitui.core.activity import Activity
from aitui.core.errors import ConfigError
from aitui.core.keys import KeyNameError, named_key

#: How agents report their state; what each means is in ``aitui.core.agent_wiring``.
HOOK_KINDS = ("claude", "codex", "aider", "none")
#: How an agent CLI is given aitui's MCP server (``agent_wiring``): its own flag or config.
MCP_KINDS = ("claude", "codex", "none")
#: What each kind's hooks report (the screen's patterns stand in for the others).
HOOK_STATES: dict[str, frozenset[Activity]] = {
    "claude": frozenset({Activity.WORKING, Activity.WAITING, Activity.APPROVAL, Activity.DONE}),
    "codex": frozenset({Activity.DONE}),
    "aider": frozenset({Activity.WAITING}),
    "none": frozenset(),
}
#: The order a screen is tried in: an approval dialog may be drawn while "esc to interrupt" is
#: still on screen, and an agent's input box stays drawn while it works.
SCREEN_STATES = {
    "approval": Activity.APPROVAL,
    "working": Activity.WORKING,
    "waiting": Activity.WAITING,
}
KEY_ACTIONS = ("approve", "deny", "interrupt")
_FIELDS = {"title", "command", "resume_args", "hooks", "mcp", "screen", "keys"}


class ProfileError(ConfigError):
    """A profile file is unreadable or invalid, or no profile has the name asked for."""


@dataclass(frozen=True)
class AgentProfile:
    name: str
    title: str
    command: tuple[str, ...]
    resume_args: tuple[str, ...]
    hooks: str
    mcp: str
    #: (state, compiled patterns), in the order a screen is tried (``SCREEN_STATES``).
    screen: tuple[tuple[Activity, tuple[re.Pattern[str], ...]], ...]
    keys: dict[str, tuple[str, ...]]
    path: str = ""  # the file it came from

    @property
    def hook_states(self) -> frozenset[Activity]:
        return HOOK_STATES[self.hooks]

    def screen_state(self, text: str) -> Activity | None:
        """The state the screen's text shows by this profile's patterns, if any."""
        for activity, patterns in self.screen:
            if any(pattern.search(text) for pattern in patterns):
                return activity
        return None

    def key_bytes(self, action: str, kitty: int = 0) -> bytes:
        """The bytes of ``action``'s keys (``approve``, ``deny``, ``interrupt``), encoded for
        the keyboard-protocol flags ``kitty`` the agent asked for."""
        if action not in KEY_ACTIONS:
            raise ProfileError(f"unknown action {action!r}: use one of {', '.join(KEY_ACTIONS)}")
        names = self.keys.get(action, ())
        if not names:
            raise ProfileError(f"the {self.name} profile has no keys to {action}")
        return b"".join(named_key(name, kitty=kitty) for name in names)


def user_profiles_dir() -> Path:
    """``$AITUI_PROFILES`` if set, else ``<user config dir>/aitui/profiles``."""
    override = os.environ.get("AITUI_PROFILES")
    return Path(override) if override else Path(user_config_dir("aitui")) / "profiles"


def load_profiles(user_dir: Path | None = None) -> dict[str, AgentProfile]:
    """Every profile by name: the shipped ones, then the user's over them."""
    found: dict[str, AgentProfile] = {}
    shipped = resources.files("aitui.data").joinpath("profiles")
    for item in sorted(shipped.iterdir(), key=lambda i: i.name):
        if item.name.endswith(".toml"):
            name = item.name.removesuffix(".toml")
            found[name] = parse_profile(name, item.read_text("utf-8"), f"(shipped) {item.name}")
    directory = user_dir if user_dir is not None else user_profiles_dir()
    if directory.is_dir():
        for path in sorted(directory.glob("*.toml")):
            try:
                text = path.read_text("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise ProfileError(f"{path}: cannot be read: {exc}") from None
            found[path.stem] = parse_profile(path.stem, text, str(path))
    return found


def profile_for_command(command: str | None, profiles: dict[str, AgentProfile]) -> str | None:
    """The profile whose program ``command`` runs (``claude --model x`` is Claude Code's), so
    starting an agent by its command gets its hooks without naming the profile."""
    try:
        words = shlex.split(command) if command else []
    except ValueError:  # unbalanced quotes: starting it says so
        return None
    if not words:
        return None
    program = Path(words[0]).name
    return next((n for n, p in profiles.items() if p.command and p.command[0] == program), None)


def get_profile(name: str, user_dir: Path | None = None) -> AgentProfile:
    profiles = load_profiles(user_dir)
    try:
        return profiles[name]
    except KeyError:
        raise ProfileError(
            f"no agent profile named {name!r}: there are {', '.join(sorted(profiles))}"
        ) from None


def parse_profile(name: str, text: str, where: str) -> AgentProfile:
    """The profile in ``text`` (a TOML document) called ``name``; ``where`` names the file in
    errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{where}: not valid TOML: {exc}") from None
    unknown = set(data) - _FIELDS
    if unknown:
        raise ProfileError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    hooks = data.get("hooks", "none")
    if hooks not in HOOK_KINDS:
        raise ProfileError(f"{where}: hooks must be one of {', '.join(HOOK_KINDS)}, not {hooks!r}")
    mcp = data.get("mcp", "none")
    if mcp not in MCP_KINDS:
        raise ProfileError(f"{where}: mcp must be one of {', '.join(MCP_KINDS)}, not {mcp!r}")
    return AgentProfile(
        name=name,
        title=_string(data.get("title", name), where, "title"),
        command=_strings(data.get("command", []), where, "command"),
        resume_args=_strings(data.get("resume_args", []), where, "resume_args"),
        hooks=hooks,
        mcp=mcp,
        screen=_screen(data.get("screen", {}), where),
        keys=_keys(data.get("keys", {}), where),
        path=where,
    )


def _string(value: Any, where: str, field: str) -> str:
    if not isinstance(value, str):
        raise ProfileError(f"{where}: {field} must be a string")
    return value


def _strings(value: Any, where: str, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{where}: {field} must be a list of strings")
    return tuple(value)


def _table(value: Any, where: str, field: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProfileError(f"{where}: [{field}] must be a table")
    unknown = set(value) - set(allowed)
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) in [{field}]: {', '.join(sorted(unknown))}")
    return value


def _screen(value: Any, where: str) -> tuple[tuple[Activity, tuple[re.Pattern[str], ...]], ...]:
    table = _table(value, where, "screen", tuple(SCREEN_STATES))
    screen = []
    for key, activity in SCREEN_STATES.items():
        patterns = []
        for text in _strings(table.get(key, []), where, f"screen.{key}"):
            try:
                patterns.append(re.compile(text, re.MULTILINE))
            except re.error as exc:
                raise ProfileError(f"{where}: screen.{key}: bad pattern {text!r}: {exc}") from None
        screen.append((activity, tuple(patterns)))
    return tuple(screen)


def _keys(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    table = _table(value, where, "keys", KEY_ACTIONS)
    keys = {}
    for action in KEY_ACTIONS:
        names = _strings(table.get(action, []), where, f"keys.{action}")
        for key in names:
            try:
                named_key(key)
            except KeyNameError as exc:
                raise ProfileError(f"{where}: keys.{action}: {exc}") from None
        keys[action] = names
    return keys
