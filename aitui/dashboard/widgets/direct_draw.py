"""A pane's changed rows written straight to the terminal, when nothing is drawn over them.

Textual redraws a refreshed region by asking *every line* of every widget under it to render
(``Compositor._get_renders`` crops a widget only when it is clipped), then cutting and merging
the lines into chops. For a terminal pane whose program redraws a spinner 60 times a second that
is the whole pane and the screen beneath it, 50 lines each, for one changed row: the larger part
of the dashboard's CPU while an agent's UI turns (py-spy; docs/benchmarks.md has the figures).

So when the compositor would put nothing over the pane, the pane's changed rows are rendered by
the pane's own ``render_lines`` (the very strips the compositor would ask for, line filters and
border included) and written as Textual's display step writes an update (positioned strips,
the cursor put back, synchronised output), in one write. Whenever that cannot be known (a modal
screen, a toast or a tooltip over the pane, the pane clipped or being laid out, an inline or
headless app, a batch in progress) the rows go through ``refresh`` as before. Textual keeps no
picture of the terminal, so its next redraw of the region draws the same rows from the same
strips.

Textual has no public API for drawing outside its compositor: the update type, the display
step's ways and the few attributes read below are its own (Textual is pinned in pyproject.toml, and
``tests/e2e/test_direct_draw.py`` compares what both paths leave on a real terminal).
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.control import Control
from textual._ansi_sequences import SYNC_END, SYNC_START
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget


class PaneRows(CompositorUpdate):
    """Whole lines of one widget at their place on the terminal."""

    def __init__(self, x: int, lines: list[tuple[int, Strip]]) -> None:
        self.x = x
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for y, strip in self.lines:
            yield Control.move_to(self.x, y)
            yield from strip

    def render_segments(self, console: Console) -> str:
        # The cursor move Control.move_to makes (building one was 7% of a frame of 40 rows).
        column = self.x + 1
        return "".join(f"\x1b[{y + 1};{column}H{strip.render(console)}" for y, strip in self.lines)


class Placement:
    """What :func:`on_top` last found for one widget, and the compositor's map of visible
    widgets it was worked out from. Textual makes a new map whenever the layout changes, so
    while the same map comes back the answer is the same: working it out again walked every
    widget drawn above the pane at every frame (~80 us of a spinner's ~700 in the dashboard,
    measured 2026-12-07)."""

    __slots__ = ("region", "size", "visible")

    def __init__(self) -> None:
        self.visible: dict[Widget, tuple[Region, Region]] | None = None
        self.size = Size(0, 0)
        self.region: Region | None = None


def uncovered(widget: Widget, placement: Placement | None = None) -> Region | None:
    """``widget``'s region on the terminal when its app would draw nothing over any of it and
    may be written to now; ``None`` when only the compositor knows what shows there."""
    app = widget.app
    driver = app._driver
    if driver is None or driver.is_inline or app.is_headless or app._batch_count:
        return None
    return on_top(widget, placement)


def on_top(widget: Widget, placement: Placement | None = None) -> Region | None:
    """``widget``'s region when it is laid out whole on the screen shown and the compositor
    draws nothing over any of it (remembered in ``placement`` for the same map and size)."""
    app = widget.app
    screen = widget.screen
    if screen is not app.screen or screen._layout_required or widget._layout_required:
        return None
    visible = screen._compositor.visible_widgets  # topmost first
    size = widget.outer_size
    if placement is None:
        return _on_top(widget, visible, size)
    if placement.visible is not visible or placement.size != size:
        placement.visible, placement.size = visible, size
        placement.region = _on_top(widget, visible, size)
    return placement.region


def _on_top(
    widget: Widget, visible: dict[Widget, tuple[Region, Region]], size: Size
) -> Region | None:
    placed = visible.get(widget)
    if placed is None:
        return None
    region, clip = placed
    if region.size != size or not clip.contains_region(region):
        return None
    for other, (other_region, other_clip) in visible.items():
        if other is widget:
            return region
        if other_region.intersection(other_clip).overlaps(region):
            return None  # drawn over the widget (a toast, a tooltip, a layer above)
    return None


def draw_regions(widget: Widget, regions: list[Region], placement: Placement | None = None) -> bool:
    """Draw the lines ``regions`` span (``widget``'s own line numbers, border included; whole
    lines, one region per run of them) on the terminal now; ``False`` (nothing drawn) when the
    compositor must: see :func:`uncovered`."""
    region = uncovered(widget, placement)
    if region is None:
        return False
    styles = widget._styles_cache
    drawn: list[tuple[int, Strip]] = []
    for asked in regions:  # whole lines, whatever columns were asked
        run = Region(0, asked.y, region.width, asked.height).intersection(region.reset_offset)
        if run.height:
            styles.set_dirty(run)  # a bordered widget's cached lines are stale
            # One call per run: each call asks the widget's styles again (a tenth of a frame
            # when every line was a call of its own).
            strips = widget.render_lines(run)
            drawn.extend(zip(range(region.y + run.y, region.y + run.bottom), strips, strict=True))
    if drawn:
        _show(widget.app, PaneRows(region.x, drawn))
    return True


def _show(app: App[object], update: PaneRows) -> None:
    """What ``App._display`` does with a compositor update outside inline mode (the update,
    then the terminal cursor put back where the app keeps it, inside synchronised output when
    the terminal has it), in one write: there the synchronised-output start and end are writes
    of their own, and each woke Textual's writer thread and cost a flush (13% of a frame's
    samples with 40 new rows a frame)."""
    driver = app._driver
    assert driver is not None  # ``uncovered`` checked
    cursor = app.screen.outer_size.clamp_offset(app.cursor_position)
    sequence = f"{update.render_segments(app.console)}\x1b[{cursor.y + 1};{cursor.x + 1}H"
    if app._sync_available:
        sequence = f"{SYNC_START}{sequence}{SYNC_END}"
    driver.write(sequence)
    driver.flush()
