"""``TerminalPane``: draws a session's screen with the Line API and forwards keys to it.

Only rows the engine reports dirty (rows whose content changed) are redrawn: their strips are
dropped and Textual is asked to refresh those lines alone, consecutive ones as one region. A
row's strip comes from a cache keyed by its content (``row_strips``), and without a border the
pane hands Textual its strips itself (``render_lines``). The pane reads a :class:`PaneSource`
(see ``source.py``), so a live session, a replayed recording or a remote session can stand
behind it. Keys become the bytes a real xterm sends (``keys.py``) and go out through one
ordered input queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import Iterator

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.selection import Selection
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from aitui.core.errors import AituiError
from aitui.core.hosting import PaneSource
from aitui.core.terminal import CellStyle
from aitui.dashboard.widgets.direct_draw import draw_regions
from aitui.dashboard.widgets.keys import key_to_bytes, paste_bytes
from aitui.dashboard.widgets.mouse import mouse_report
from aitui.dashboard.widgets.row_strips import RowStrips


def _overlay(strip: Strip, start: int, end: int, style: Style) -> Strip:
    """``style`` on top of cells ``start``..``end`` (apply_style would put it underneath)."""
    length = strip.cell_length
    start, end = max(0, min(start, length)), max(0, min(end, length))
    if start >= end:
        return strip
    left, mid, right = strip.divide([start, end, length])
    return Strip.join([left, Strip(Segment.apply_style(iter(mid), post_style=style)), right])


#: Redraws per second of a pane that does not have the focus (the focused one: every frame).
UNFOCUSED_FPS = 15


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


class TerminalPane(Widget, can_focus=True):
    """A terminal. ``source`` may be ``None`` (an empty pane)."""

    COMPONENT_CLASSES = {
        "terminal-pane--cursor",
        "terminal-pane--scrolled",
        "terminal-pane--match",
    }
    ALLOW_SELECT = True

    #: Lines scrolled back into history; 0 follows the live screen.
    scroll_back: reactive[int] = reactive(0, repaint=False)

    class Scrolled(Message):
        """The user scrolled into history (or back to the live screen)."""

        def __init__(self, pane: TerminalPane, lines: int) -> None:
            super().__init__()
            self.pane = pane
            self.lines = lines

    class InputRefused(Message):
        """Keys could not reach the program (it exited, the session is gone): ``reason``
        says why. Posted once per refusal streak, not once per key."""

        def __init__(self, pane: TerminalPane, source: PaneSource, reason: str) -> None:
            super().__init__()
            self.pane = pane
            self.source = source
            self.reason = reason

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
        self._base_style: Style | None = None
        self._part_styles: dict[str, Style] = {}
        self._cursor_row: int | None = None  # where the cursor was last drawn
        self._cursor_seen: tuple[tuple[int, int], bool] | None = None
        self._input: asyncio.Queue[bytes] = asyncio.Queue()
        self._last_redraw = 0.0
        self._redraw_timer: Timer | None = None
        #: The history match shown by ``search_history``: (line index, column, length).
        self._match: tuple[int, int, int] | None = None
        self._fetched = 0  # the history's ``fetched`` when last drawn

    # -- wiring -------------------------------------------------------------------------------
    @staticmethod
    def showing(source: PaneSource) -> Iterator[TerminalPane]:
        """The mounted panes that show ``source``. Asked at every frame of every session on
        display: a DOM query walked the whole app each time (a tenth of the dashboard's time
        while a spinner turned, profiled)."""
        return (pane for pane in list(_MOUNTED) if pane.source is source)

    def on_mount(self) -> None:
        _MOUNTED.add(self)
        self.run_worker(self._pump_input(), name="pane-input", group="pane-input", exclusive=True)

    def on_unmount(self) -> None:
        _MOUNTED.discard(self)

    def attach(self, source: PaneSource | None) -> None:
        """Show another source (switching sessions); resizes it to this pane."""
        self.source = source
        self.scroll_back = 0
        self._invalidate()
        self._resize_source()

    def screen_changed(self) -> None:
        """The source's screen changed: redraw its dirty rows and the cursor's old/new rows.

        Coalesced to a frame budget: the focused pane redraws at every change (Textual still
        composites at most once a frame); a pane without focus at most ``UNFOCUSED_FPS`` times
        a second, so a flooding neighbour cannot crowd out the pane being typed in.
        """
        if self.source is None:
            return
        if not self.has_focus:
            now = time.monotonic()
            wait = self._last_redraw + 1 / UNFOCUSED_FPS - now
            if wait > 0:
                if self._redraw_timer is None:
                    self._redraw_timer = self.set_timer(wait, self._deferred_redraw)
                return
            self._last_redraw = now
        screen = self.source.screen
        dirty = screen.take_dirty()
        if self.scroll_back:
            fetched = screen.scrollback.fetched
            if fetched != self._fetched:  # history lines from a server arrived: draw them
                self._fetched = fetched
                self._invalidate()
            return  # history view is frozen; the live rows are re-read on return
        cursor = (screen.cursor, screen.cursor_visible)
        if cursor != self._cursor_seen:  # the cursor moved, showed or hid: its rows change
            self._cursor_seen = cursor
            if self._cursor_row is not None:
                dirty.add(self._cursor_row)
            dirty.add(cursor[0][0])
        for y in dirty:
            self._strips.pop(y, None)
        self._refresh_rows(dirty)

    def _deferred_redraw(self) -> None:
        self._redraw_timer = None
        self._last_redraw = 0.0
        self.screen_changed()

    def _refresh_rows(self, rows: set[int]) -> None:
        """Draw exactly ``rows``, one region per run of consecutive rows: straight to the
        terminal when nothing covers the pane (``direct_draw.py``), else through Textual."""
        if not rows:
            return
        regions = row_regions(rows, *self.size)
        if self.direct_draw and regions:
            offset = self.content_offset
            if draw_regions(self, [r.translate(offset) for r in regions]):
                return
        self.refresh(*regions)

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
        if not self._plain_box():
            return super().render_lines(crop)
        _, background = self.background_colors
        filters = self.get_line_filters()
        width, height = self.size  # asked once: each ask walks up to the screen
        selection = self.text_selection
        strips: list[Strip] = []
        for y in crop.line_range:
            strip = self._line(y, width, selection) if y < height else self._blank(width)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

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

    # -- selection and copy -------------------------------------------------------------------
    def _visible_text(self) -> list[str]:
        if self.source is None:
            return []
        lines = []
        for y in range(self.size.height):
            runs = self._line_at(y)[1] or []
            lines.append("".join(text for text, _ in runs).rstrip())
        return lines

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text, as shown (scrolled-back history included)."""
        return selection.extract("\n".join(self._visible_text())), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._invalidate()

    def on_focus(self) -> None:
        self._invalidate()

    def on_blur(self) -> None:
        self._invalidate()

    # -- size ---------------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._invalidate()
        self._resize_source()

    def _resize_source(self) -> None:
        if self.source is None or not self.size.height or not self.size.width:
            return
        rows, cols = self.size.height, self.size.width
        screen = self.source.screen
        if (screen.rows, screen.cols) != (rows, cols):
            self.run_worker(
                self._resize(self.source, rows, cols),
                name="pty-resize",
                group="pty-resize",
                exclusive=True,
            )

    @staticmethod
    async def _resize(source: PaneSource, rows: int, cols: int) -> None:
        """A source whose program has exited keeps its last size: nothing to report."""
        with contextlib.suppress(AituiError):
            await source.resize(rows, cols)

    # -- input --------------------------------------------------------------------------------
    async def _pump_input(self) -> None:
        """Send queued keys in order, for the pane's whole life. A source that refuses them
        (its program exited) is reported once, and the pump goes on: an engine error must
        never end the worker, which took the whole dashboard down with it."""
        refused: PaneSource | None = None
        while True:
            data = await self._input.get()
            source = self.source
            if source is None:
                continue
            try:
                await source.send_input(data)
            except AituiError as exc:
                if refused is not source:
                    refused = source
                    self.post_message(self.InputRefused(self, source, str(exc)))
            else:
                refused = None

    def send(self, data: bytes) -> None:
        """Queue bytes for the program (in order)."""
        self._input.put_nowait(data)

    async def on_key(self, event: events.Key) -> None:
        if self.source is None:
            return
        if event.key == "ctrl+c" and self.text_selection is not None:
            # With text selected, Ctrl+C copies it (as in most terminals); otherwise it is ^C.
            event.stop()
            text = self.screen.get_selected_text()
            if text:
                self.app.copy_to_clipboard(text)
                self.notify("copied", timeout=1.5)
            self.screen.clear_selection()
            return
        if self.scroll_back and event.key in ("escape", "shift+pagedown"):
            event.stop()
            self.scroll_history(-self.scroll_back if event.key == "escape" else -self.size.height)
            return
        if event.key == "shift+pageup":
            event.stop()
            self.scroll_history(self.size.height)
            return
        modes = self.source.screen.modes
        data = key_to_bytes(
            event.key, event.character, application_cursor=modes.application_cursor_keys
        )
        if data is None:
            return
        event.stop()
        event.prevent_default()
        if self.scroll_back:
            self.scroll_history(-self.scroll_back)
        self.send(data)

    def on_paste(self, event: events.Paste) -> None:
        if self.source is None:
            return
        event.stop()
        self.send(paste_bytes(event.text, bracketed=self.source.screen.modes.bracketed_paste))

    # -- history ------------------------------------------------------------------------------
    def scroll_history(self, lines: int) -> None:
        """Scroll ``lines`` further back (negative: forward); clamps to the history's size."""
        if self.source is None:
            return
        limit = len(self.source.screen.scrollback)
        new = max(0, min(limit, self.scroll_back + lines))
        if new == 0:
            self._match = None
        if new != self.scroll_back:
            self.scroll_back = new
            self._invalidate()
            self.post_message(self.Scrolled(self, new))

    async def search_history(self, query: str, *, regex: bool = False) -> bool:
        """Show the newest match of ``query`` above the current view (wrapping to the newest);
        ``re.error`` (or ``AituiError`` from a server) for a bad regex. Whether it matched."""
        if self.source is None:
            return False
        history = self.source.screen.scrollback
        matches = await history.find(query, regex=regex)
        if not matches:
            return False
        top = len(history) - self.scroll_back if self.scroll_back else len(history)
        older = [m for m in matches if m[0] < top]
        line, col, length = older[-1] if older else matches[-1]
        self._match = (line, col, length)
        self.scroll_back = max(1, len(history) - line + 1)
        self._invalidate()
        self.post_message(self.Scrolled(self, self.scroll_back))
        return True

    def _mouse_to_program(self, event: events.MouseEvent, kind: str) -> bool:
        if self.source is None or self.scroll_back:
            return False
        report = mouse_report(self.source.screen.modes, kind, event)
        if report is None:
            return False
        self.send(report)
        return True

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if not self._mouse_to_program(event, "scroll_up"):
            self.scroll_history(3)
        event.stop()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if not self._mouse_to_program(event, "scroll_down"):
            self.scroll_history(-3)
        event.stop()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if self._mouse_to_program(event, "down"):
            event.stop()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._mouse_to_program(event, "up"):
            event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._mouse_to_program(event, "move"):
            event.stop()


_MOUNTED: weakref.WeakSet[TerminalPane] = weakref.WeakSet()
