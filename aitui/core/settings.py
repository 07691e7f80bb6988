"""The user's configuration: ``config.toml`` in the platform's config dir (platformdirs).

Read with ``tomllib``, written with ``tomli-w``. A bad file never stops the app: every unknown
key or bad value becomes a message naming the key, and the default is used instead.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from platformdirs import user_config_dir

from aitui.core.paths import open_private, private_dir

DEFAULT_KEYS: dict[str, str] = {
    # Pressed in a focused terminal, the prefix hands the next key to the dashboard
    # (tmux-style); pressed twice, it sends itself to the program.
    "prefix": "ctrl+right_square_bracket",
    "next_session": "ctrl+pagedown",
    "previous_session": "ctrl+pageup",
    "next_attention": "alt+a",
}


#: The states a desktop notification is sent for by default (``[notifications] states``).
NOTIFY_STATES = ("approval", "waiting", "done", "error", "exited")


@dataclass
class Notifications:
    """Desktop notifications when a session out of view comes to need the user: through the
    outer terminal (OSC 9 and OSC 777, which iTerm2, kitty, WezTerm, foot, Windows Terminal and
    rxvt show) and ``notify-send`` where it is installed."""

    states: list[str] = field(default_factory=lambda: list(NOTIFY_STATES))
    terminal: bool = True
    desktop: bool = True


@dataclass
class Settings:
    theme: str = "aitui-dark"
    shell: str | None = None
    scrollback_lines: int = 10_000
    show_panels: bool = True
    #: Write a terminal pane's changed rows straight to the terminal when nothing covers it
    #: (off: every row goes through Textual's compositor, at several times the CPU).
    direct_draw: bool = True
    #: Keep each session's scrollback with its record, so it is back after a server restart.
    #: Off by default: scrollback may hold secrets (tokens printed, passwords echoed).
    persist_scrollback: bool = False
    #: Keep a dashboard process ready beside each server (~40 MB while it waits), so that
    #: ``aitui`` and ``aitui attach`` draw in tens of milliseconds instead of ~0.6 s.
    warm_dashboard: bool = True
    keys: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_KEYS))
    notifications: Notifications = field(default_factory=Notifications)


#: The settings that are a plain true or false under their own name.
SWITCHES = ("persist_scrollback", "direct_draw", "warm_dashboard")


def config_path() -> Path:
    """``$AITUI_CONFIG`` if set, else ``<user config dir>/aitui/config.toml``."""
    override = os.environ.get("AITUI_CONFIG")
    if override:
        return Path(override)
    return Path(user_config_dir("aitui")) / "config.toml"


def load_settings(
    path: Path | None = None, *, themes: Sequence[str] = ()
) -> tuple[Settings, list[str]]:
    """The settings in ``path`` (defaults where absent) and the problems found, one per key;
    with ``themes`` (the names the dashboard knows), a theme not among them is one."""
    path = path or config_path()
    settings = Settings()
    if not path.exists():
        return settings, []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return settings, [f"{path}: cannot read it ({exc}); using the defaults"]
    problems: list[str] = []
    for key, value in data.items():
        _apply(settings, key, value, problems, themes)
    return settings, [f"{path}: {p}" for p in problems]


def _apply(
    settings: Settings, key: str, value: Any, problems: list[str], themes: Sequence[str]
) -> None:
    if key == "theme":
        if isinstance(value, str) and value and (not themes or value in themes):
            settings.theme = value
        elif themes:
            problems.append(
                f"'theme' must be one of {', '.join(themes)}, got {value!r}; using {settings.theme}"
            )
        else:
            problems.append(f"'theme' must be a theme name, got {value!r}")
    elif key == "shell":
        if not isinstance(value, str) or not value:
            problems.append(f"'shell' must be a path or command name, got {value!r}")
        elif shutil.which(value) is None:  # found later, it failed each new session unnamed
            problems.append(f"'shell' {value!r} is not installed or not on PATH; using $SHELL")
        else:
            settings.shell = value
    elif key == "scrollback_lines":
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1_000_000:
            settings.scrollback_lines = value
        else:
            problems.append(f"'scrollback_lines' must be an integer 0..1000000, got {value!r}")
    elif key in SWITCHES:
        if isinstance(value, bool):
            setattr(settings, key, value)
        else:
            problems.append(f"'{key}' must be true or false, got {value!r}")
    elif key == "panels":
        if (
            isinstance(value, dict)
            and set(value) <= {"visible"}
            and isinstance(value.get("visible", True), bool)
        ):
            settings.show_panels = value.get("visible", True)
        else:
            problems.append(f"'panels' must be a table like {{visible = true}}, got {value!r}")
    elif key == "notifications":
        _apply_notifications(settings.notifications, value, problems)
    elif key == "keys":
        if not isinstance(value, dict):
            problems.append(f"'keys' must be a table, got {value!r}")
            return
        for name, binding in value.items():
            if name not in DEFAULT_KEYS:
                problems.append(
                    f"unknown key binding 'keys.{name}' (known: {', '.join(DEFAULT_KEYS)})"
                )
            elif not isinstance(binding, str) or not binding:
                problems.append(f"'keys.{name}' must be a key name like 'ctrl+b', got {binding!r}")
            else:
                settings.keys[name] = binding
    else:
        problems.append(f"unknown setting '{key}'")


def _apply_notifications(notifications: Notifications, value: Any, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"'notifications' must be a table, got {value!r}")
        return
    for name, item in value.items():
        if name == "states":
            if isinstance(item, list) and all(s in NOTIFY_STATES for s in item):
                notifications.states = list(item)
            else:
                problems.append(
                    f"'notifications.states' must be a list of {', '.join(NOTIFY_STATES)}, "
                    f"got {item!r}"
                )
        elif name in ("terminal", "desktop"):
            if isinstance(item, bool):
                setattr(notifications, name, item)
            else:
                problems.append(f"'notifications.{name}' must be true or false, got {item!r}")
        else:
            problems.append(f"unknown setting 'notifications.{name}'")


def to_toml(settings: Settings) -> str:
    data = asdict(settings)
    out: dict[str, Any] = {
        "theme": data["theme"],
        "scrollback_lines": data["scrollback_lines"],
        **{key: data[key] for key in SWITCHES},
        "panels": {"visible": data["show_panels"]},
        "keys": data["keys"],
        "notifications": data["notifications"],
    }
    if data["shell"]:
        out["shell"] = data["shell"]
    return tomli_w.dumps(out)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write all of ``settings`` (``aitui config init``); the dashboard changes only its theme
    (``aitui.core.theme_file``)."""
    path = path or config_path()
    write_config(path, to_toml(settings))
    return path


def write_config(path: Path, text: str) -> None:
    """Write ``text`` atomically (a private temporary file renamed over the old one)."""
    private_dir(path.parent)
    tmp = path.with_suffix(".toml.tmp")
    with os.fdopen(open_private(tmp, os.O_WRONLY | os.O_TRUNC), "w", encoding="utf-8") as out:
        out.write(text)
    tmp.replace(path)
