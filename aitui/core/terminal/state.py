"""The state a terminal screen keeps, shared by the layers that act on it.

The screen is split by concern into a chain of classes (state -> editing -> sequences -> public
screen) so each module stays small; this base holds every attribute and the callbacks, so the
layers above can be type-checked without mixins guessing at each other's attributes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from aitui.core.terminal.events import ModeChanged, ScreenEvent
from aitui.core.terminal.grid import Grid
from aitui.core.terminal.keyboard_protocol import KeyboardFlags
from aitui.core.terminal.modes import TerminalModes
from aitui.core.terminal.scrollback import Scrollback
from aitui.core.terminal.shown import ShownRows
from aitui.core.terminal.size import check_size

log = logging.getLogger("aitui.core.terminal")

#: A row the repaint fast path wrote whole (``repaint.paint_rows``): the pen before, the row's
#: text and SGRs, the SGRs after its erase, the width, then what that wrote: the cells (their
#: text until the row is painted so again, then the list), their style ids (a list nothing
#: writes into), the cursor's column and the pen after.
RowMemo = tuple[int, str, str, int, str | list[str], list[int], int, int]

#: DEC special graphics (``ESC ( 0``): the line-drawing characters programs use for boxes.
#: This is tmux's table (tty-acs.c), so the screen shows what a tmux pane shows: it also maps
#: the arrows and block of ``+ , - . 0`` and leaves ``_ b c d e`` alone.
DEC_GRAPHICS: dict[int, str] = {
    ord(k): v
    for k, v in zip(
        "+,-.0`afghijklmnopqrstuvwxyz{|}~",
        "→←↑↓▮◆▒°±▒☃┘┐┌└┼⎺⎻─⎼⎽├┤┴┬│≤≥π≠£·",
        strict=True,
    )
}


@dataclass(slots=True)
class SavedCursor:
    """What DECSC (``ESC 7``) saves and DECRC (``ESC 8``) restores."""

    x: int = 0
    y: int = 0
    pen: int = 0
    origin: bool = False
    g0: str = "B"
    g1: str = "B"
    shift: int = 0


class ScreenState:
    """Every piece of state of a screen; behaviour lives in the subclasses."""

    def __init__(
        self,
        rows: int,
        cols: int,
        *,
        scrollback: int,
        on_reply: Callable[[bytes], None] | None,
        on_event: Callable[[ScreenEvent], None] | None,
    ) -> None:
        self._rows = max(1, int(rows))
        self._cols = max(2, int(cols))
        check_size(self._rows, self._cols)
        self.on_reply = on_reply
        self.on_event = on_event
        self.scrollback = Scrollback(scrollback)
        self.main_grid = Grid(self._rows, self._cols)
        self.grid = self.main_grid
        #: The rows as ``take_dirty`` last reported them (what its consumers have drawn).
        self.shown = ShownRows()
        #: What the repaint fast path last wrote whole on each row, by row: the paint's key
        #: and its result (``repaint.RowMemo``), so a row painted again the same way is copied.
        self.paint_memo: dict[int, RowMemo] = {}
        #: Whether the output fed last ended inside a row the repaint fast path took, so the
        #: next piece's text at the cursor is tried as the rest of that row (``paint_rows``).
        self.paint_open = False
        self.reset_state()

    def reset_state(self) -> None:
        """Power-on state of everything but the grids' contents and the scrollback."""
        self.x = 0
        self.y = 0
        self.pen = 0
        self.top = 0
        self.bottom = self._rows - 1
        self.g0 = "B"
        self.g1 = "B"
        self.shift = 0
        self.charset_table: dict[int, str] | None = None
        self.tabstops = [x % 8 == 0 and x > 0 for x in range(self._cols)]
        self.modes = TerminalModes()
        self.keyboard = KeyboardFlags()
        self.cursor_visible = True
        self.title = ""
        self.icon_title = ""
        self.cwd = ""
        self.saved = SavedCursor()
        self.alt_saved: SavedCursor | None = None
        self.last_char = ""  # for REP: only valid right after text, as in tmux
        self.joining = False  # the last character drawn was a ZWJ
        self.dirty: set[int] = set(range(self._rows))
        self.all_dirty = True

    @property
    def rows(self) -> int:
        """Height in cells."""
        return self._rows

    @property
    def cols(self) -> int:
        """Width in cells."""
        return self._cols

    def emit(self, event: ScreenEvent) -> None:
        """Hand an event to the owner; a failing callback is logged, never propagated."""
        if self.on_event is not None:
            try:
                self.on_event(event)
            except Exception:
                log.exception("terminal event callback failed for %r", event)

    def reply(self, text: str) -> None:
        """Write a reply (DSR, DA...) back to the program through the owner's PTY."""
        if self.on_reply is not None:
            try:
                self.on_reply(text.encode())
            except Exception:
                log.exception("terminal reply callback failed")

    def set_mode(self, name: str, value: object) -> None:
        """Change a :class:`TerminalModes` field, reporting a real change as an event."""
        if getattr(self.modes, name) != value:
            setattr(self.modes, name, value)
            self.emit(ModeChanged(name, value))

    def update_charset(self) -> None:
        """Recompute the translation table after SI/SO or a G0/G1 designation."""
        active = self.g1 if self.shift else self.g0
        self.charset_table = DEC_GRAPHICS if active == "0" else None
