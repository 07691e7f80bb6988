"""Load aitui's themes from TOML data files into Textual themes.

Themes are data, not code (as in Posting): ``themes/*.toml`` ships inside the wheel as
``aitui/themes``. Each file holds Textual's base colours plus aitui's own variables (status
colours, token-bar fill, terminal colours), which the stylesheets use as ``$status-running`` etc.
"""

from __future__ import annotations

import functools
import logging
import tomllib
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

log = logging.getLogger(__name__)

DEFAULT_THEME = "aitui-dark"
#: Whose variables a light theme without aitui's own takes (Textual's built-in light themes).
LIGHT_THEME = "aitui-light"
_BASE_KEYS = [
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
]
REQUIRED_VARIABLES = [
    "status-running",
    "status-waiting",
    "status-idle",
    "status-exited",
    "status-error",
    "attention",
    "token-bar-fill",
    "token-bar-empty",
    "terminal-background",
    "terminal-foreground",
    "terminal-cursor",
]


def theme_dirs() -> list[Path]:
    """Where theme files live: inside the installed package, or the source tree's ``themes/``."""
    package = Path(__file__).parents[1]  # aitui/
    return [d for d in (package / "themes", package.parent / "themes") if d.is_dir()]


def theme_from_toml(path: Path) -> Theme:
    """Parse one theme file; ``ValueError`` names the file and the problem."""
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"theme {path}: {exc}") from None
    name = data.get("name")
    if not isinstance(name, str) or "primary" not in data:
        raise ValueError(f"theme {path}: needs at least 'name' and 'primary'")
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ValueError(f"theme {path}: 'variables' must be a table")
    missing = [v for v in REQUIRED_VARIABLES if v not in variables]
    if missing:
        raise ValueError(f"theme {path}: missing variables {', '.join(missing)}")
    if not isinstance(data.get("dark", True), bool):
        raise ValueError(f"theme {path}: 'dark' must be true or false, got {data['dark']!r}")
    kwargs = {key: data[key] for key in _BASE_KEYS if key in data}
    # Checked here, where the file can be named: Textual parses them only once the theme is
    # chosen, and a bad one then ended the dashboard in a traceback.
    for key, value in [*kwargs.items(), *((v, variables[v]) for v in REQUIRED_VARIABLES)]:
        _check_colour(path, key, value)
    return Theme(
        name=name,
        dark=bool(data.get("dark", True)),
        luminosity_spread=float(data.get("luminosity_spread", 0.15)),
        variables={str(k): str(v) for k, v in variables.items()},
        **kwargs,
    )


def _check_colour(path: Path, key: str, value: object) -> None:
    if isinstance(value, str):
        try:
            Color.parse(value)
        except ColorParseError:
            pass
        else:
            return
    raise ValueError(f"theme {path}: '{key}' must be a colour such as \"#5fafff\", got {value!r}")


@functools.cache
def load_themes() -> tuple[Theme, ...]:
    """Every valid theme file found; a broken file is logged and skipped, never fatal.

    Read once per process: the app asks for them while Textual is still initialising it and
    again to register them."""
    themes: dict[str, Theme] = {}
    for directory in theme_dirs():
        for path in sorted(directory.glob("*.toml")):
            try:
                theme = theme_from_toml(path)
            except ValueError as exc:
                log.warning("%s", exc)
                continue
            themes.setdefault(theme.name, theme)
    return tuple(themes.values())


def theme_names() -> list[str]:
    """Every theme a configuration may name: aitui's own, then Textual's built-in ones."""
    from textual.theme import BUILTIN_THEMES

    return [theme.name for theme in load_themes()] + list(BUILTIN_THEMES)
