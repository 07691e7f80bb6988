"""``PaneView``: draws a :class:`PaneSource`'s screen with the Line API, row by changed row.

A row's strip comes from a cache keyed by its content (``row_strips``); only the rows asked for
are drawn again, straight to the terminal when nothing covers the pane (``direct_draw``), else
through Textual's compositor, consecutive rows as one region. Without a border the view hands
Textual its strips itself (``render_lines``). What to redraw and when, and everything the user
does to a terminal, is :class:`~aitui.dashboard.widgets.terminal_pane.TerminalPane`'s.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.geometry import Offset, Region, Size
from textual.reactive import reactive
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

from aitui.core.hosting import PaneSource
from aitui.core.terminal import CellStyle
from aitui.dashboard.widgets.direct_draw import Placement, draw_regions
from aitui.dashboard.widgets.row_strips import RowStrips


def _overlay(strip: Strip, start: int, end: int, style: Style) -> Strip:
    """``style`` on top of cells ``start``..``end`` (apply_style would put it underneath).

    The cursor's row is drawn anew at every frame of a spinner, and ``Strip.divide`` with
    ``Strip.join`` made four strips on the way (each with six caches of its own): 60 us of a
    frame's ~700 in the dashboard (measured 2026-12-07). Rows of printable ASCII (a cell a
    character) are cut by slicing; any other goes through ``Segment.divide``."""
    length = strip.cell_length
    start, end = max(0, min(start, length)), max(0, min(end, length))
    if start >= end:
        return strip
    segments: list[Segment] = []
    add = segments.append
    pos = 0
    for segment in strip:
        text, seg_style, control = segment
        if control or not (text.isascii() and text.isprintable()):
            return _overlay_cells(strip, start, end, style)
        stop = pos + len(text)
        if stop <= start or pos >= end:
            add(segment)
        else:
            a, b = max(start - pos, 0), min(end - pos, len(text))
            if a:
                add(Segment(text[:a], seg_style, control))
            add(Segment(text[a:b], seg_style + style if seg_style else style, control))
            if b < len(text):
                add(Segment(text[b:], seg_style, control))
        pos = stop
    return Strip(segments, length)


def _overlay_cells(strip: Strip, start: int, end: int, style: Style) -> Strip:
    """``_overlay`` for any row: cut by cells (wide characters, combining marks)."""
    left, mid, right = Segment.divide(strip, [start, end, strip.cell_length])
    return Strip([*left, *Segment.apply_style(mid, post_style=style), *right], strip.cell_length)


def row_regions(rows: set[int], width: int, height: int) -> list[Region]:
    """``rows`` (those inside ``height``) as full-width regions, one per consecutive run."""
    regions: list[Region] = []
    start = end = -2
    for y in sorted(rows):
        if y >= height:
            break
        if y != end + 1:
            if start >= 0:
                regions.append(Region(0, start, width, end - start + 1))
            start = y
        end = y
    if start >= 0:
        regions.append(Region(0, start, width, end - start + 1))
    return regions


class PaneView(Widget):
    """A source's screen (or its history, scrolled back), drawn; ``source`` may be ``None``."""

    COMPONENT_CLASSES = {
        "terminal-pane--cursor",
        "terminal-pane--scrolled",
        "terminal-pane--match",
    }

    #: Lines scrolled back into history; 0 follows the live screen.
    scroll_back: reactive[int] = reactive(0, repaint=False)

    def __init__(
        self,
        source: PaneSource | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        direct_draw: bool = True,
    ) -> None:
        """``direct_draw``: changed rows may be written straight to the terminal when nothing
        covers the pane (``direct_draw.py``); off, every row goes through Textual's compositor."""
        super().__init__(name=name, id=id, classes=classes)
        self.source = source
        self.direct_draw = direct_draw
        self._strips: dict[int, Strip] = {}  # what each line shows now, by position
        self._rows = RowStrips()  # rows' base strips, by content
        self._placement = Placement()  # where the direct draw last found the pane
        self._base_style: Style | None = None
        self._box: tuple[bool, Color] | None = None  # see ``_paint_box``
        self._part_styles: dict[str, Style] = {}
        self._cursor_row: int | None = None  # where the cursor was last drawn
        #: The history match shown by ``search_history``: (line index, column, length).
        self._match: tuple[int, int, int] | None = None

    def _refresh_rows(self, rows: set[int]) -> None:
        """Draw exactly ``rows``, one region per run of consecutive rows: straight to the
        terminal when nothing covers the pane (``direct_draw.py``), else through Textual."""
        if not rows:
            return
        size, offset = self._content_box()
        regions = row_regions(rows, *size)
        if (
            self.direct_draw
            and regions
            and draw_regions(self, [r.translate(offset) for r in regions], self._placement)
        ):
            return
        self.refresh(*regions)

    def _content_box(self) -> tuple[Size, Offset]:
        """``Widget.size`` and ``Widget.content_offset``, from the outer size the layout gave
        the pane and its own gutter (padding and border). ``size`` finds the pane's region in
        the screen's compositor map, walking up to the screen, and ``content_offset`` works
        out the scrollbars' gutter, which lies right and bottom only: ~4.6 and ~4.0 us, asked
        at every frame, against ~0.3 us here (measured 2026-12-07). The same whenever the pane
        is laid out; one that is not (hidden) is not drawn the direct way anyway."""
        outer = self._size
        gutter = self.styles.gutter
        width = max(0, outer.width - gutter.left - gutter.right)
        height = max(0, outer.height - gutter.top - gutter.bottom)
        return Size(width, height), Offset(gutter.left, gutter.top)

    def _invalidate(self) -> None:
        self._strips.clear()
        self.refresh()

    # -- drawing ------------------------------------------------------------------------------
    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    def notify_style_update(self) -> None:
        """Styles changed (theme, focus, CSS): the base style and every strip are stale."""
        super().notify_style_update()
        self._base_style = None
        self._box = None
        self._part_styles.clear()
        self._strips.clear()

    @property
    def base_style(self) -> Style:
        """The pane's own background and colour. ``rich_style`` walks every ancestor's CSS
        each time it is asked; asked for every row drawn, that was a third of the dashboard's
        time while a program flooded the pane on display (profiled), so it is kept until the
        styles change."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def _component(self, name: str) -> Style:
        """A component class's style, kept until the styles change (Textual's own cache of
        these is emptied at every refresh, which for this pane is every frame)."""
        style = self._part_styles.get(name)
        if style is None:
            owner: Widget = self.screen if name.startswith("screen--") else self
            style = self._part_styles[name] = owner.get_component_rich_style(name)
        return style

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop``. Without a border, padding or effects (the single-pane view)
        the strips are the pane's own with the app's line filters applied, as Textual's styles
        cache would give them, without its per-line rebuilding: a strip met again keeps its
        filtered copy. Otherwise (the grid's bordered panes) Textual draws the box around
        ``render_line``."""
        plain, background = self._paint_box()
        if not plain:
            return super().render_lines(crop)
        filters = self.get_line_filters()
        width, height = self._content_box()[0]  # asked once (see ``_content_box``)
        selection = self.text_selection
        if selection is None and not self.scroll_back and self.source is not None:
            strips = self._live_lines(crop.line_range, width, height)
        else:
            strips = [
                self._line(y, width, selection) if y < height else self._blank(width)
                for y in crop.line_range
            ]
        if filters:
            for line_filter in filters:
                strips = [strip.apply_filter(line_filter, background) for strip in strips]
        x1, x2 = crop.column_span
        if (x1, x2) != (0, width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def _live_lines(self, lines: range, width: int, height: int) -> list[Strip]:
        """``lines`` of the live screen with nothing selected: what ``_line`` gives each,
        with what it asks of the pane (its source, styles, focus, the cursor) asked once for
        them all rather than once a row (a fifth of drawing a frame of 40 new rows: ~10 of
        ~45 us a row in the dashboard, measured 2026-12-07)."""
        assert self.source is not None
        screen = self.source.screen
        base = self.base_style
        rows = self._rows
        rows.configure(width, base)
        known = self._strips
        cursor_y = cursor_x = -1
        if self.has_focus and screen.cursor_visible:
            cursor_y, cursor_x = screen.cursor
        screen_rows = screen.rows
        out: list[Strip] = []
        for y in lines:
            if y >= height:
                out.append(self._blank(width))
                continue
            strip = known.get(y)
            if strip is None or strip.cell_length != width:
                if self._cursor_row == y:
                    self._cursor_row = None  # set again below if the cursor is still here
                if y >= screen_rows:
                    strip = Strip.blank(width, base)
                else:
                    strip = rows.strip(screen.row_runs(y))
                    if y == cursor_y and cursor_x < width:
                        self._cursor_row = y
                        cursor = self._component("terminal-pane--cursor")
                        strip = _overlay(strip, cursor_x, cursor_x + 1, cursor)
                known[y] = strip
            out.append(strip)
        return out

    def _paint_box(self) -> tuple[bool, Color]:
        """Whether the box is plain (``_plain_box``) and the background the line filters
        get, kept until the styles change: both walk every ancestor's styles, and asked at
        every frame they were a quarter of drawing a spinner's row (~60 of ~230 us a frame in
        the dashboard, measured 2026-12-07)."""
        if self._box is None:
            self._box = (self._plain_box(), self.background_colors[1])
        return self._box

    def _plain_box(self) -> bool:
        """Whether the pane draws nothing but its lines (no border, padding, outline, tint,
        hatch or transparency): what ``render_lines`` may skip Textual's box drawing for."""
        styles = self.styles
        return not (
            any(styles.gutter)
            or any(edge for edge, _ in styles.outline)
            or styles.tint.a
            or styles.text_opacity != 1.0
            or (styles.has_rule("hatch") and styles.hatch != "none")
            or self.opacity != 1.0
        )

    def render_line(self, y: int) -> Strip:
        return self._line(y, self.size.width, self.text_selection)

    def _blank(self, width: int) -> Strip:
        return Strip.blank(width, self.base_style)

    def _line(self, y: int, width: int, selection: Selection | None) -> Strip:
        if self.source is None:
            return self._blank(width)
        key = y if not self.scroll_back else -1 - y
        strip = self._strips.get(key)
        if strip is None or strip.cell_length != width:
            strip = self._render_row(y, width, selection)
            self._strips[key] = strip
        return strip

    def _line_at(self, y: int) -> tuple[int | None, list[tuple[str, CellStyle]] | None]:
        """What row ``y`` shows: (its history index when scrolled back, else ``None``; its
        styled runs, or ``None`` past the last line)."""
        assert self.source is not None
        screen = self.source.screen
        if not self.scroll_back:
            return None, screen.row_runs(y) if y < screen.rows else None
        history = screen.scrollback
        index = len(history) - self.scroll_back + y
        if index < len(history):
            return index, history.runs(index)
        if index - len(history) < screen.rows:
            return index, screen.row_runs(index - len(history))
        return index, None

    def _render_row(self, y: int, width: int, selection: Selection | None) -> Strip:
        assert self.source is not None
        screen = self.source.screen
        base = self.base_style
        index, runs = self._line_at(y)
        if self._cursor_row == y:
            self._cursor_row = None  # set again below if the cursor is still drawn here
        if runs is None:
            return Strip.blank(width, base)
        rows = self._rows
        rows.configure(width, base)
        strip = rows.strip(runs)
        if self._match is not None and index is not None and self._match[0] == index:
            _, column, length = self._match
            found = self._component("terminal-pane--match")
            strip = _overlay(strip, column, column + length, found)
        span = selection.get_span(y) if selection is not None else None
        if span is not None:
            start, end = span
            strip = _overlay(
                strip,
                start,
                width if end == -1 else end,
                self._component("screen--selection"),
            )
        if self.scroll_back and y == 0:
            marker = self._component("terminal-pane--scrolled")
            label = f" history -{self.scroll_back} · Shift+PgDn / Esc to return "
            strip = Strip.join(
                [strip.crop(0, max(0, width - len(label))), Strip([Segment(label, marker)])]
            ).crop(0, width)
        if not self.scroll_back and self.has_focus and screen.cursor_visible:
            row, col = screen.cursor
            if row == y and col < width:
                self._cursor_row = y
                strip = _overlay(strip, col, col + 1, self._component("terminal-pane--cursor"))
        return strip
