"""aitui's terminal emulator: a fast, crash-proof xterm-compatible screen with scrollback.

The session engine feeds PTY bytes to a :class:`TerminalScreen`; the dashboard draws it through
``take_dirty`` and ``row_runs``; the API reads ``text``/``display`` and the scrollback.

The names below load on first use (PEP 562), as ``aitui.core``'s do: an attached dashboard
needs only the value types (``CellStyle``, ``Color``, ``TerminalModes``: the server emulates),
and importing the screen with them cost it the parser, the editing code and ``wcwidth``:
about 40 ms of its start-up and 4 MB of its memory (measured in docs/benchmarks.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aitui.core.terminal.events import (
        Bell,
        ModeChanged,
        PromptMark,
        ScreenEvent,
        TitleChanged,
    )
    from aitui.core.terminal.modes import TerminalModes
    from aitui.core.terminal.screen import TerminalScreen
    from aitui.core.terminal.scrollback import Scrollback
    from aitui.core.terminal.style import DEFAULT_STYLE, CellStyle, Color

_WHERE = {
    "Bell": "aitui.core.terminal.events",
    "CellStyle": "aitui.core.terminal.style",
    "Color": "aitui.core.terminal.style",
    "DEFAULT_STYLE": "aitui.core.terminal.style",
    "ModeChanged": "aitui.core.terminal.events",
    "PromptMark": "aitui.core.terminal.events",
    "ScreenEvent": "aitui.core.terminal.events",
    "Scrollback": "aitui.core.terminal.scrollback",
    "TerminalModes": "aitui.core.terminal.modes",
    "TerminalScreen": "aitui.core.terminal.screen",
    "TitleChanged": "aitui.core.terminal.events",
}

__all__ = [
    "DEFAULT_STYLE",
    "Bell",
    "CellStyle",
    "Color",
    "ModeChanged",
    "PromptMark",
    "ScreenEvent",
    "Scrollback",
    "TerminalModes",
    "TerminalScreen",
    "TitleChanged",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'aitui.core.terminal' has no attribute {name!r}")
