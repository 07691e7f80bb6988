"""Strips of terminal rows, cached by what the row shows rather than where it is.

Building a row's ``Strip`` (a segment per run, the pane's colours under them, padding to the
width) was most of the dashboard's time while an agent UI redrew (profiled). Keyed by content,
a row that scrolled up one line, a spinner frame that comes round again, or a screen shown
again after a switch costs one dict lookup. The same ``Strip`` object coming back also keeps
Textual's own per-strip caches (its line filters, crops) warm. Bounded: least recently used
rows go first.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from aitui.core.terminal import CellStyle
from aitui.dashboard.widgets.cell_style import rich_style

#: Rows kept: more than a full screen, so a screen scrolled by a line is all hits but the new row.
CACHE_ROWS = 2_048
#: Cell styles kept combined with the pane's colours (a truecolor gradient has one per cell).
CACHE_STYLES = 4_096

Runs = Sequence[tuple[str, CellStyle]]


class RowStrips:
    """Base strips (content, the pane's colours, padded to the width; no cursor, selection or
    match: those go on top) of rows, by their runs. ``configure`` before use: a new width or
    base style empties the cache."""

    def __init__(self, limit: int = CACHE_ROWS) -> None:
        self._limit = limit
        self._strips: dict[tuple[tuple[str, CellStyle], ...], Strip] = {}
        self._styles: dict[CellStyle, Style] = {}
        self._width = -1
        self._base = Style()
        #: Lookups answered from the cache, and strips built: what the tests check.
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._strips)

    def configure(self, width: int, base: Style) -> None:
        if width != self._width or base != self._base:
            self.clear()
            self._width, self._base = width, base

    def clear(self) -> None:
        self._strips.clear()
        self._styles.clear()

    def strip(self, runs: Runs) -> Strip:
        """The strip of a row showing ``runs``."""
        key = tuple(runs)
        strips = self._strips
        strip = strips.pop(key, None)  # re-inserted below: the newest use goes last
        if strip is None:
            self.misses += 1
            strip = self._build(runs)
            if len(strips) >= self._limit:
                del strips[next(iter(strips))]
        else:
            self.hits += 1
        strips[key] = strip
        return strip

    def _build(self, runs: Runs) -> Strip:
        """The runs over the base style (as ``Strip.apply_style(base)`` would put it, done once
        per cell style instead of once per segment), padded or cut to the width as
        ``Strip.adjust_cell_length`` would. A row of printable ASCII is as wide as its text
        is long, so its strip is made once, its width given (measuring it, and making a second
        strip to pad it, were most of the cost of a new row: profiled)."""
        base, styles, width = self._base, self._styles, self._width
        if len(styles) > CACHE_STYLES:
            styles.clear()
        segments = []
        length = 0
        plain = True
        for text, cell in runs:
            if text:
                style = styles.get(cell)
                if style is None:
                    style = styles[cell] = base + rich_style(cell)
                segments.append(Segment(text, style))
                if plain and text.isascii() and text.isprintable():
                    length += len(text)
                else:
                    plain = False
        if plain and length <= width:
            if length < width:
                segments.append(Segment(" " * (width - length), base))
            return Strip(segments, width)
        return Strip(segments).adjust_cell_length(width, base)
