"""Theme files load into Textual themes with every aitui variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitui.core.config import SessionConfig
from aitui.dashboard.app import AituiApp
from aitui.dashboard.theming import REQUIRED_VARIABLES, load_themes, theme_dirs, theme_from_toml
from aitui.dashboard.widgets.terminal_pane import TerminalPane


def test_three_themes_ship() -> None:
    names = {theme.name for theme in load_themes()}
    assert {"aitui-dark", "aitui-light", "aitui-high-contrast"} <= names
    for theme in load_themes():
        assert set(REQUIRED_VARIABLES) <= set(theme.variables)


def test_broken_theme_is_reported_by_name(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "bad"\nprimary = "#fff"\n[variables]\nstatus-running = "#fff"\n')
    with pytest.raises(ValueError, match=r"bad\.toml.*missing variables"):
        theme_from_toml(path)


def _dark_theme_with(tmp_path: Path, old: str, new: str) -> Path:
    source = next(d for d in theme_dirs() if (d / "aitui-dark.toml").exists()) / "aitui-dark.toml"
    text = source.read_text(encoding="utf-8").replace('name = "aitui-dark"', 'name = "mine"')
    assert old in text
    path = tmp_path / "mine.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('primary = "#5fafff"', 'primary = "bleu"', "'primary'"),
        ('primary = "#5fafff"', "primary = 5", "'primary'"),
        ('status-idle = "#808080"', 'status-idle = "grey-ish"', "'status-idle'"),
        ("dark = true", 'dark = "maybe"', "'dark'"),
    ],
)
def test_a_theme_with_a_bad_value_is_reported_by_file_and_key(
    tmp_path: Path, old: str, new: str, named: str
) -> None:
    """Such a file was taken, and choosing it ended the dashboard in a traceback."""
    path = _dark_theme_with(tmp_path, old, new)
    with pytest.raises(ValueError, match=rf"mine\.toml.*{named}"):
        theme_from_toml(path)


def test_a_theme_file_that_is_not_utf8_is_reported_by_name(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b'name = "caf\xe9"\n')
    with pytest.raises(ValueError, match=r"latin\.toml"):
        theme_from_toml(path)


async def test_the_pane_follows_a_theme_switch(tmp_path: Path) -> None:
    """The pane keeps its base style between style changes (``rich_style`` is costly to ask
    for every row); a theme switch must still reach every row it draws."""
    app = AituiApp(sessions=[SessionConfig(name="s", shell="sh", working_directory=tmp_path)])
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one("#pane-main", TerminalPane)
        await pilot.pause()
        dark = list(pane.render_line(5))[-1].style
        app.theme = "aitui-light"
        await pilot.pause()
        light = list(pane.render_line(5))[-1].style
        assert pane.base_style == pane.rich_style
        assert dark is not None and light is not None and dark.bgcolor != light.bgcolor
        assert light.bgcolor == pane.rich_style.bgcolor
        await app.action_quit()


async def test_a_light_builtin_theme_takes_the_light_themes_variables(tmp_path: Path) -> None:
    """Textual's own themes lack aitui's variables (status colours, the terminal's); a light
    one took the dark theme's, a black terminal and pale status colours on a white list."""
    app = AituiApp(sessions=[SessionConfig(name="s", shell="sh", working_directory=tmp_path)])
    light = next(t for t in load_themes() if t.name == "aitui-light").variables
    dark = next(t for t in load_themes() if t.name == "aitui-dark").variables
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "textual-light"
        await pilot.pause()
        for name in ("status-waiting", "terminal-background", "terminal-foreground"):
            assert app.theme_variables[name] == light[name], name
        app.theme = "textual-dark"
        await pilot.pause()
        assert app.theme_variables["terminal-background"] == dark["terminal-background"]
        await app.action_quit()
