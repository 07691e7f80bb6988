"""Encode mouse events the way xterm reports them, when (and only when) the program asked.

Programs enable reporting with DEC private modes (9, 1000, 1002, 1003) and choose the SGR
encoding with 1006; without a mode, the dashboard keeps the mouse for itself (selection, wheel
scrolling through history).
"""

from __future__ import annotations

from typing import Protocol

from aitui.core.terminal import TerminalModes


class _Mouse(Protocol):
    @property
    def x(self) -> int: ...
    @property
    def y(self) -> int: ...
    @property
    def button(self) -> int: ...
    @property
    def shift(self) -> bool: ...
    @property
    def meta(self) -> bool: ...
    @property
    def ctrl(self) -> bool: ...


def mouse_report(modes: TerminalModes, kind: str, event: _Mouse) -> bytes | None:
    """The report for ``kind`` ("down", "up", "move", "scroll_up", "scroll_down") or ``None``."""
    tracking = modes.mouse_tracking
    if tracking is None:
        return None
    if kind == "move" and tracking not in ("button", "any"):
        return None
    if kind == "move" and tracking == "button" and not event.button:
        return None
    if kind == "up" and tracking == "x10":
        return None
    if kind == "scroll_up":
        code = 64
    elif kind == "scroll_down":
        code = 65
    else:
        button = max(0, (event.button or 1) - 1)
        code = button if kind != "move" else 32 + (button if event.button else 3)
    code += (4 if event.shift else 0) + (8 if event.meta else 0) + (16 if event.ctrl else 0)
    x, y = event.x + 1, event.y + 1
    if modes.mouse_sgr:
        final = "m" if kind == "up" else "M"
        return f"\x1b[<{code};{x};{y}{final}".encode()
    if kind == "up":
        code = 3 + (code & ~3)
    if x > 223 or y > 223:
        return None  # not representable in the legacy encoding
    return bytes([0x1B, 0x5B, 0x4D, 32 + code, 32 + x, 32 + y])
