"""Configuration: TOML in the config dir, clear messages naming bad keys, defaults kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aitui.core.settings import Settings, load_settings, save_settings
from aitui.dashboard.theming import theme_names


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings, problems = load_settings(tmp_path / "none.toml")
    assert settings == Settings() and problems == []


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "c" / "config.toml"
    original = Settings(
        theme="aitui-light",
        shell="/bin/sh",
        scrollback_lines=500,
        show_panels=False,
        persist_scrollback=True,
    )
    original.keys["prefix"] = "ctrl+b"
    save_settings(original, path)
    loaded, problems = load_settings(path)
    assert problems == [] and loaded == original


def test_bad_values_are_named_and_defaults_used(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'theme = 3\npersist_scrollback = 1\nscrollback_lines = -1\ncolour = "x"\n'
        '[keys]\nprefix = "ctrl+b"\nzap = "x"\n'
        "[panels]\nvisible = 'yes'\n"
    )
    settings, problems = load_settings(path)
    text = "\n".join(problems)
    keys = ("'theme'", "'scrollback_lines'", "'colour'", "'keys.zap'", "'panels'")
    for key in (*keys, "'persist_scrollback'"):
        assert key in text
    assert settings.theme == "aitui-dark" and settings.scrollback_lines == 10_000
    assert settings.persist_scrollback is False  # scrollback may hold secrets: off unless asked
    assert settings.keys["prefix"] == "ctrl+b"  # the good value in a bad table is kept


@pytest.mark.parametrize("theme", ["nope", "aitui-drak"])
def test_an_unknown_theme_is_reported_with_the_known_ones(tmp_path: Path, theme: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"theme = {theme!r}\n")
    settings, problems = load_settings(path, themes=theme_names())
    assert len(problems) == 1
    assert "'theme' must be one of aitui-dark, aitui-high-contrast, aitui-light" in problems[0]
    assert f"got {theme!r}; using aitui-dark" in problems[0]
    assert settings.theme == "aitui-dark"
    assert load_settings(_written(tmp_path, 'theme = "nord"'), themes=theme_names())[1] == []


def test_a_shell_that_is_not_installed_is_named_and_the_users_used(tmp_path: Path) -> None:
    """Taken as it was, it gave a dashboard with no session and "shell not found:
    /opt/nowhere/zsh", naming neither the file nor the key it came from."""
    path = tmp_path / "config.toml"
    path.write_text('shell = "/opt/nowhere/zsh"\n')
    settings, problems = load_settings(path)
    assert settings.shell is None  # the user's $SHELL, as without the key
    assert len(problems) == 1 and str(path) in problems[0]
    assert "'shell'" in problems[0] and "/opt/nowhere/zsh" in problems[0]
    assert load_settings(_written(tmp_path, 'shell = "sh"'))[0].shell == "sh"


def _written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "other.toml"
    path.write_text(text + "\n")
    return path


def test_unparsable_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("theme = [unclosed")
    settings, problems = load_settings(path)
    assert settings == Settings()
    assert len(problems) == 1 and "cannot read" in problems[0]


@pytest.mark.parametrize("action", ["path", "init", "show"])
def test_config_command(tmp_path: Path, action: str) -> None:
    env = {"AITUI_CONFIG": str(tmp_path / "config.toml"), "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "aitui.cli", "config"]
    if action != "init":
        subprocess.run([*run, "init"], env=env, check=True, capture_output=True)
    proc = subprocess.run([*run, action], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    if action == "path":
        assert proc.stdout.strip() == str(tmp_path / "config.toml")
    elif action == "show":
        assert 'theme = "aitui-dark"' in proc.stdout
    again = subprocess.run([*run, "init"], env=env, capture_output=True, text=True)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_notifications_settings_and_their_problems(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[notifications]\nstates = ["approval"]\ndesktop = false\n')
    settings, problems = load_settings(path)
    assert problems == []
    assert settings.notifications.states == ["approval"]
    assert settings.notifications.desktop is False and settings.notifications.terminal is True
    path.write_text('[notifications]\nstates = ["sleeping"]\nterminal = "yes"\nsound = true\n')
    settings, problems = load_settings(path)
    assert settings.notifications.states == ["approval", "waiting", "done", "error", "exited"]
    assert len(problems) == 3 and "notifications.states" in problems[0]
