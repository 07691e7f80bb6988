"""A screen as lines of text, for ``aitui read`` and ``GET /sessions/{name}/capture``.

What ``tmux capture-pane -p`` prints, with two choices made for scripts: blank rows below both
the last written row and the cursor are left out (a fresh shell's screen is one line, not 24),
and ``last`` lines reach back into the history, the screen's rows being the newest (a
full-screen program's alternate screen has no history of its own: its rows only, as in tmux). With
``ansi`` every line keeps its colours and attributes as SGR sequences, ending in a reset.
"""

from __future__ import annotations

from aitui.core.terminal.grid import row_to_entry
from aitui.core.terminal.screen import TerminalScreen
from aitui.core.terminal.scrollback import entry_ansi


def screen_lines(screen: TerminalScreen, last: int | None = None, ansi: bool = False) -> list[str]:
    """The screen's rows (``last`` given: the last ``last`` lines of history and screen)."""
    grid = screen.grid
    rows = [
        entry_ansi(row_to_entry(chars, styles)) if ansi else "".join(chars).rstrip(" ")
        for chars, styles in zip(grid.chars, grid.styles, strict=True)
    ]
    used = max((y for y, row in enumerate(rows) if row), default=-1)
    rows = rows[: max(used, screen.cursor[0]) + 1]
    if last is None:
        return rows
    if last <= len(rows) or grid is not screen.main_grid:
        return rows[max(0, len(rows) - last) :]
    history = screen.scrollback
    start = max(0, len(history) - (last - len(rows)))
    older = [
        entry_ansi(history.entry(i)) if ansi else history[i] for i in range(start, len(history))
    ]
    return older + rows
