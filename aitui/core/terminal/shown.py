"""What each row held when the screen last reported its changes, so "dirty" means "different".

Programs repaint rows with what they already showed all the time: an Ink UI (Claude Code's)
rewrites its whole frame for a spinner tick, a shell redraws its prompt. Writes mark rows dirty
as they happen (that is cheap, and it is all the parser can know); ``take_dirty`` then keeps
only the rows whose cells or styles differ from this copy, and refreshes the copy of those. The
comparison is two list equalities per candidate row, done in C: far cheaper than any consumer
turning forty rows into runs (the server's frames) or strips (the pane) to find two changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from aitui.core.terminal.grid import Grid


class ShownRows:
    """A copy of each row's cells and style ids as last reported."""

    __slots__ = ("chars", "cols", "styles")

    def __init__(self) -> None:
        self.chars: list[list[str]] = []
        self.styles: list[list[int]] = []
        self.cols = 0

    def forget(self) -> None:
        """The copy no longer means what the grid means (style ids were renumbered): the next
        report is every row."""
        self.chars, self.styles, self.cols = [], [], 0

    def changed(self, grid: Grid, candidates: Iterable[int]) -> set[int]:
        """The ``candidates`` rows of ``grid`` that differ from the copy (every row when the
        size changed or the copy was forgotten); the copy takes their new contents."""
        chars, styles = grid.chars, grid.styles
        if len(self.chars) != grid.rows or self.cols != grid.cols:
            self.chars = [row[:] for row in chars]
            self.styles = [row[:] for row in styles]
            self.cols = grid.cols
            return set(range(grid.rows))
        seen_chars, seen_styles = self.chars, self.styles
        out: set[int] = set()
        for y in candidates:
            row, row_styles = chars[y], styles[y]
            if row != seen_chars[y] or row_styles != seen_styles[y]:
                seen_chars[y] = row[:]
                seen_styles[y] = row_styles[:]
                out.add(y)
        return out
