"""The largest terminal aitui makes: one bound, checked by one function, wherever a size comes in.

A screen keeps every cell of its grid from the start (a pointer to the character and one to
the style: 16 bytes a cell, as much again for the alternate screen), so a size is an amount of
memory: an 80-byte recording declaring 10000x10000 made ``aitui replay --dump`` allocate
1.6 GB and run for 12 s. tmux accepts up to 10,000 rows or columns (``WINDOW_MAXIMUM``) but
allocates a line only once something is written to it.

The bound is what a real window can need, twice over: a terminal filling an 8K display
(7680x4320 pixels) in a small 6x12-pixel font is 1280 columns by 360 rows, 460,800 cells. So a
terminal may have up to ``MAX_CELLS`` = 1,000,000 cells (16 MB a grid), and at most tmux's
10,000 a side. The screen, sessions (their configured size and every resize), the HTTP API and
recordings (the header and each resize event) all check with :func:`check_size`.
"""

from __future__ import annotations

from aitui.core.errors import ConfigError

#: Most cells (rows x columns) a terminal may have.
MAX_CELLS = 1_000_000
#: Most rows, and most columns, as in tmux.
MAX_SIDE = 10_000


class TerminalSizeError(ConfigError):
    """A terminal size past :data:`MAX_CELLS` or :data:`MAX_SIDE` (or not positive)."""


def check_size(rows: int, cols: int) -> None:
    """Raise :class:`TerminalSizeError`, with a one-line reason, unless ``rows`` x ``cols`` is
    a terminal size aitui accepts."""
    if rows < 1 or cols < 1:
        raise TerminalSizeError(f"a terminal needs at least 1 row and 1 column, not {rows}x{cols}")
    if rows > MAX_SIDE or cols > MAX_SIDE or rows * cols > MAX_CELLS:
        raise TerminalSizeError(
            f"{cols} columns by {rows} rows is too large for a terminal: at most "
            f"{MAX_CELLS:,} cells (such as 1000x1000) and {MAX_SIDE:,} a side"
        )
