"""Convert the engine's ``CellStyle`` into Rich styles, cached (a screen uses few styles)."""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.style import Style

from aitui.core.terminal import CellStyle, Color


def _color(value: Color) -> RichColor | None:
    if value is None:
        return None
    if isinstance(value, int):
        return RichColor.from_ansi(value)
    return RichColor.parse(value)


@lru_cache(maxsize=4096)
def rich_style(style: CellStyle) -> Style:
    """The Rich style for ``style``; default colours are left unset (the theme supplies them)."""
    return Style(
        color=_color(style.fg),
        bgcolor=_color(style.bg),
        bold=style.bold or None,
        dim=style.dim or None,
        italic=style.italic or None,
        underline=style.underline or None,
        blink=style.blink or None,
        reverse=style.reverse or None,
        conceal=style.hidden or None,
        strike=style.strike or None,
    )
