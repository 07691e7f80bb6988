"""Terminal modes the rest of aitui needs to know about.

The pane forwards keys and mouse events differently depending on what the program asked for
(DECCKM changes the arrow keys' bytes, mouse tracking decides whether clicks go to the program,
bracketed paste wraps pasted text), so these are exposed as one plain object.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

MouseTracking = Literal["x10", "normal", "button", "any"]

#: DEC private mode number -> mouse tracking protocol it selects.
MOUSE_MODES: dict[int, MouseTracking] = {9: "x10", 1000: "normal", 1002: "button", 1003: "any"}


@dataclass(slots=True)
class TerminalModes:
    """The modes a program can switch; defaults are xterm's power-on state."""

    alternate_screen: bool = False
    bracketed_paste: bool = False
    application_cursor_keys: bool = False  # DECCKM (?1)
    application_keypad: bool = False  # DECKPAM / DECKPNM (ESC = / ESC >)
    mouse_tracking: MouseTracking | None = None
    mouse_sgr: bool = False  # ?1006
    mouse_utf8: bool = False  # ?1005
    mouse_urxvt: bool = False  # ?1015
    focus_events: bool = False  # ?1004
    autowrap: bool = True  # DECAWM (?7)
    origin: bool = False  # DECOM (?6)
    insert: bool = False  # IRM (4)
    linefeed_newline: bool = False  # LNM (20)
    reverse_video: bool = False  # DECSCNM (?5)
    cursor_blink: bool = False  # ?12
    synchronized_output: bool = False  # ?2026
    #: Kitty's keyboard protocol flags in force (``keyboard_protocol``): 0 for legacy keys.
    kitty_keyboard: int = 0

    def copy(self) -> TerminalModes:
        """A snapshot, so callers can diff before/after a feed."""
        return TerminalModes(**{f.name: getattr(self, f.name) for f in fields(self)})
