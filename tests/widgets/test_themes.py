"""Theme files load into Textual themes with every aitui variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitui.theming import REQUIRED_VARIABLES, load_themes, theme_from_toml


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
