"""What the pane redraws when a program repaints: the rows whose content changed, asked of
Textual as regions, from strips cached by row content (``TerminalPane``, ``RowStrips``)."""

from __future__ import annotations

from typing import Any

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from aitui.core.terminal import CellStyle, TerminalScreen
from aitui.dashboard.widgets.cell_style import rich_style
from aitui.dashboard.widgets.pane_view import row_regions
from aitui.dashboard.widgets.row_strips import RowStrips
from aitui.dashboard.widgets.terminal_pane import TerminalPane

ROWS, COLS = 8, 40


class LocalSource:
    """A screen fed by the test, as a session's would be by its program."""

    name = "test"

    def __init__(self) -> None:
        self.screen = TerminalScreen(ROWS, COLS, scrollback=100)

    async def send_input(self, data: str | bytes) -> None:
        pass

    async def resize(self, rows: int, cols: int) -> None:
        self.screen.resize(rows, cols)


class PaneApp(App[None]):
    CSS = "TerminalPane { width: 1fr; height: 1fr; }"

    def __init__(self, source: LocalSource) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        yield TerminalPane(self.source, id="pane")  # type: ignore[arg-type]


def ink_frame(spinner: str, counter: int, changed: int | None = None) -> bytes:
    """Cursor home, every row written again (row ``changed`` with new text), then the status
    row: a spinner and a counter, the cursor left after them."""
    rows = []
    for y in range(ROWS - 1):
        text = f"row {y} changed {counter}" if y == changed else f"row {y} stays"
        rows.append(f"\x1b[3{1 + y % 6}m{text}\x1b[0m\x1b[K\r\n")
    return ("\x1b[H" + "".join(rows) + f"{spinner} working {counter}\x1b[K").encode()


def text_of(strip: Strip) -> str:
    return "".join(segment.text for segment in strip).rstrip()


class Requests:
    """The regions the pane asks Textual to refresh (``Widget.refresh``), call by call."""

    def __init__(self, pane: TerminalPane, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[Region, ...]] = []
        original = pane.refresh

        def spy(*regions: Region, **options: Any) -> Widget:
            self.calls.append(regions)
            return original(*regions, **options)

        monkeypatch.setattr(pane, "refresh", spy)

    def take(self) -> list[tuple[Region, ...]]:
        calls, self.calls = self.calls, []
        return calls


async def settled_pane(app: PaneApp, source: LocalSource, pilot: Any) -> TerminalPane:
    pane = app.query_one(TerminalPane)
    pane.focus()
    await pilot.pause()
    assert pane.size == (COLS, ROWS)
    source.screen.feed(ink_frame("|", 0))
    pane.screen_changed()
    await pilot.pause()
    return pane


async def test_a_spinner_tick_refreshes_the_status_row_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = LocalSource()
    app = PaneApp(source)
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        pane = await settled_pane(app, source, pilot)
        requests = Requests(pane, monkeypatch)
        source.screen.feed(ink_frame("/", 1))
        pane.screen_changed()
        await pilot.pause()
        assert requests.take() == [(Region(0, ROWS - 1, COLS, 1),)]
        assert text_of(pane.render_line(ROWS - 1)) == "/ working 1"
        # A repaint that changes nothing asks for nothing.
        source.screen.feed(ink_frame("/", 1))
        pane.screen_changed()
        await pilot.pause()
        assert requests.take() == []


async def test_changed_rows_are_asked_for_as_one_region_per_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = LocalSource()
    app = PaneApp(source)
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        pane = await settled_pane(app, source, pilot)
        requests = Requests(pane, monkeypatch)
        source.screen.feed(b"\x1b[2;1Hnew one\x1b[3;1Hnew two\x1b[6;1Hnew five")
        pane.screen_changed()
        await pilot.pause()
        # Rows 1-2 together, row 5 (where the cursor went), and row 7 the cursor left.
        assert requests.take() == [
            (Region(0, 1, COLS, 2), Region(0, 5, COLS, 1), Region(0, 7, COLS, 1))
        ]
        assert text_of(pane.render_line(2)).startswith("new two")


async def test_spinner_frames_coming_round_again_are_drawn_from_the_cache() -> None:
    source = LocalSource()
    app = PaneApp(source)
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        pane = await settled_pane(app, source, pilot)
        rows = pane._rows
        for spinner in "/-\\|":  # one turn: each frame's status row is new
            source.screen.feed(ink_frame(spinner, 0))
            pane.screen_changed()
            await pilot.pause()
        built = rows.misses
        for spinner in "/-\\|" * 2:  # the same frames again: nothing is built
            source.screen.feed(ink_frame(spinner, 0))
            pane.screen_changed()
            await pilot.pause()
            assert text_of(pane.render_line(ROWS - 1)) == f"{spinner} working 0"
        assert rows.misses == built
        assert rows.hits >= 8


async def test_a_scrolled_screen_reuses_the_strips_of_the_rows_that_moved() -> None:
    source = LocalSource()
    app = PaneApp(source)
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        pane = await settled_pane(app, source, pilot)
        source.screen.feed(b"\x1b[2J\x1b[H" + b"\r\n".join(b"line %d" % n for n in range(ROWS)))
        pane.screen_changed()
        await pilot.pause()
        built = pane._rows.misses
        source.screen.feed(b"\r\nline 8")
        pane.screen_changed()
        await pilot.pause()
        assert [text_of(pane.render_line(y)) for y in range(ROWS)] == [
            f"line {n}" for n in range(1, ROWS + 1)
        ]
        assert pane._rows.misses == built + 1  # only the new line was built


async def test_the_pane_draws_what_textuals_styles_cache_would() -> None:
    """The plain pane hands Textual its own strips: they must be the ones Textual's line
    rendering gives for the same widget (colours, padding, line filters), cursor included."""
    source = LocalSource()
    app = PaneApp(source)
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        pane = await settled_pane(app, source, pilot)
        source.screen.feed(b"\x1b[3;5H\x1b[1;44mbold on blue\x1b[0m \xe4\xb8\xad wide")
        pane.screen_changed()
        await pilot.pause()
        crop = Region(0, 0, COLS, ROWS)
        ours = pane.render_lines(crop)
        pane._strips.clear()
        pane._styles_cache.clear()
        textuals = Widget.render_lines(pane, crop)
        assert [list(strip) for strip in ours] == [list(strip) for strip in textuals]
        part = Region(3, 2, 10, 2)
        assert [list(s) for s in pane.render_lines(part)] == [
            list(s) for s in Widget.render_lines(pane, part)
        ]


async def test_live_rows_drawn_together_are_what_each_row_drawn_alone_gives() -> None:
    """``render_lines`` draws the live screen's rows with what it asks of the pane asked
    once; frame after frame (the cursor moving, hiding, the focus going) every strip and the
    row the cursor is drawn on must be what ``render_line`` row by row gives."""
    source = LocalSource()
    app = PaneApp(source)
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        pane = await settled_pane(app, source, pilot)
        crop = Region(0, 0, COLS, ROWS)
        steps = [
            b"\x1b[2;3Hab\x1b[1;31mcd",
            b"\x1b[5;1H\x1b[44m  \x1b[0m\x1b[K",
            b"\x1b[?25l\x1b[H\x1b[2J",
            b"\x1b[?25h\x1b[8;40Hx",
            b"\x1b[8;39H",
        ]
        for n, data in enumerate(steps * 2):
            if n == len(steps):
                pane.blur()
                await pilot.pause()
            source.screen.feed(data)
            pane.screen_changed()
            await pilot.pause()
            pane._strips.clear()
            together = pane.render_lines(crop)
            cursor_row = pane._cursor_row
            pane._strips.clear()
            alone = [pane.render_line(y) for y in range(ROWS)]
            for line_filter in pane.get_line_filters():  # as Textual's styles cache applies them
                background = pane.background_colors[1]
                alone = [strip.apply_filter(line_filter, background) for strip in alone]
            assert [list(s) for s in together] == [list(s) for s in alone], data
            assert cursor_row == pane._cursor_row


def test_row_regions_join_consecutive_rows_and_drop_rows_below_the_pane() -> None:
    assert row_regions({0, 1, 2, 5, 7, 9}, 10, 8) == [
        Region(0, 0, 10, 3),
        Region(0, 5, 10, 1),
        Region(0, 7, 10, 1),
    ]
    assert row_regions(set(), 10, 8) == []


def test_row_strips_are_cached_by_content_and_bounded() -> None:
    red = CellStyle(fg=1)
    strips = RowStrips(limit=3)
    strips.configure(10, Style(bgcolor="black"))
    first = strips.strip([("ab", red), ("c", CellStyle())])
    assert strips.strip([("ab", red), ("c", CellStyle())]) is first
    assert (strips.hits, strips.misses) == (1, 1)
    assert first.cell_length == 10
    for text in ("x", "y", "z"):
        strips.strip([(text, red)])
    assert len(strips) == 3  # the oldest (first) went
    assert strips.strip([("ab", red), ("c", CellStyle())]) is not first
    strips.configure(12, Style(bgcolor="black"))  # another width: nothing kept is right
    assert len(strips) == 0
    assert strips.strip([("x", red)]).cell_length == 12


@pytest.mark.parametrize(
    "runs",
    [
        [("plain ", CellStyle()), ("red", CellStyle(fg=1)), (" tail", CellStyle(bold=True))],
        [("exactly ten", CellStyle(fg=2))],  # eleven: cut to the width
        [("wide 中文", CellStyle(fg=3))],
        [("", CellStyle(fg=4)), ("e\u0301", CellStyle())],
        [("0123456789", CellStyle(bg=5))],
    ],
)
def test_a_row_strip_is_what_rich_segments_over_the_base_style_give(
    runs: list[tuple[str, CellStyle]],
) -> None:
    """The strips are built without measuring plain rows: they must be the segments the
    general construction gives (styles over the base, padded or cut with the base style)."""
    base = Style(color="white", bgcolor="black")
    strips = RowStrips()
    strips.configure(10, base)
    expected = (
        Strip([Segment(text, rich_style(style)) for text, style in runs if text])
        .apply_style(base)
        .adjust_cell_length(10, base)
    )
    ours = strips.strip(runs)
    assert list(ours) == list(expected)
    assert ours.cell_length == expected.cell_length == 10
