"""Forgetting the styles no screen holds any more.

Cells and scrollback runs store style ids into one process-wide table (``style``), so output
that cycles through truecolor colours (a gradient, a video played in a terminal) interns a new
style for each and the table only grows: 300 MB for a million colours. Every live screen is
known here (weakly), and when the table is due (``style.compaction_due``) the styles still held
(cells of both buffers, scrollback runs, the pen and the saved cursors) are kept, renumbered,
and every id is rewritten. This happens before a feed, never inside one, so no id is in flight.
Its cost is one pass over every screen's cells and styled scrollback lines, paid once per
``COMPACT_AFTER`` new styles at least, and the table stays at most about twice what the screens
hold.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from aitui.core.terminal import style
from aitui.core.terminal.paint_plans import PAINT_PLANS
from aitui.core.terminal.sequences import SGR_PENS

if TYPE_CHECKING:
    from aitui.core.terminal.state import ScreenState

_SCREENS: weakref.WeakSet[ScreenState] = weakref.WeakSet()


def register(screen: ScreenState) -> None:
    """Count ``screen``'s style ids in each compaction for as long as it lives."""
    _SCREENS.add(screen)


def compact_if_due() -> None:
    """Compact the style table if it has grown enough (called before each feed)."""
    if not style.compaction_due():
        return
    screens = list(_SCREENS)
    used: set[int] = set()
    for screen in screens:
        _collect(screen, used)
    renumber = style.compact(used)
    SGR_PENS.clear()  # keyed by pen ids
    PAINT_PLANS.clear()
    for screen in screens:
        _renumber(screen, renumber)


def _collect(screen: ScreenState, used: set[int]) -> None:
    for grid in (screen.main_grid, screen.grid):
        for row in grid.styles:
            used.update(row)
    screen.scrollback.style_ids(used)
    used.update((screen.pen, screen.saved.pen))
    if screen.alt_saved is not None:
        used.add(screen.alt_saved.pen)


def _renumber(screen: ScreenState, renumber: dict[int, int]) -> None:
    get = renumber.__getitem__
    for grid in {id(g): g for g in (screen.main_grid, screen.grid)}.values():
        grid.styles = [list(map(get, row)) for row in grid.styles]
    screen.scrollback.renumber_styles(renumber)
    screen.shown.forget()  # its copy holds the old ids
    screen.paint_memo.clear()  # so does this
    screen.pen = renumber[screen.pen]
    screen.saved.pen = renumber[screen.saved.pen]
    if screen.alt_saved is not None:
        screen.alt_saved.pen = renumber[screen.alt_saved.pen]
