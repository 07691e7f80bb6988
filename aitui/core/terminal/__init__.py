"""aitui's terminal emulator: a fast, crash-proof xterm-compatible screen with scrollback.

The session engine feeds PTY bytes to a :class:`TerminalScreen`; the dashboard draws it through
``take_dirty`` and ``row_runs``; the API reads ``text``/``display`` and the scrollback.
"""

from aitui.core.terminal.events import Bell, ModeChanged, PromptMark, ScreenEvent, TitleChanged
from aitui.core.terminal.modes import TerminalModes
from aitui.core.terminal.screen import TerminalScreen
from aitui.core.terminal.scrollback import Scrollback
from aitui.core.terminal.style import DEFAULT_STYLE, CellStyle, Color

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
