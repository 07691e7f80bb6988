"""When the pane may draw its rows past the compositor (``direct_draw.on_top``): only when the
compositor would put nothing over it. What the direct path writes is compared with what the
compositor draws on a real terminal in ``tests/e2e/test_direct_draw.py``."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.widgets import Static

from aitui.dashboard.widgets.direct_draw import Placement, on_top, uncovered
from aitui.dashboard.widgets.terminal_pane import TerminalPane
from tests.widgets.test_pane_redraw import LocalSource, Requests, ink_frame


def placed(pane: TerminalPane, placement: Placement) -> Region | None:
    """``on_top`` worked out afresh, checked against the answer remembered in ``placement``
    from earlier frames (what the pane asks at every frame): always the same."""
    fresh = on_top(pane)
    assert on_top(pane, placement) == fresh
    return fresh


class Dialog(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield Static("a dialog")


class PaneApp(App[None]):
    CSS = """
    TerminalPane { width: 1fr; height: 1fr; }
    #over { layer: above; width: 10; height: 3; offset: 2 1; }
    #beside { layer: above; width: 10; height: 3; dock: right; display: none; }
    Screen { layers: base above; }
    """

    def __init__(self, source: LocalSource) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield TerminalPane(self.source, id="pane")  # type: ignore[arg-type]
        yield Static("on top", id="over")


async def test_a_pane_nothing_covers_is_on_top_and_one_covered_is_not() -> None:
    source = LocalSource()
    app = PaneApp(source)
    async with app.run_test(size=(60, 12)) as pilot:
        pane = app.query_one(TerminalPane)
        placement = Placement()
        over = app.query_one("#over")
        await pilot.pause()
        assert placed(pane, placement) is None, "a widget in a layer above overlaps the pane"
        over.display = False
        await pilot.pause()
        assert placed(pane, placement) == pane.region
        # Headless, nothing is ever written past the compositor.
        assert uncovered(pane) is None


async def test_a_toast_or_a_modal_screen_sends_rows_through_the_compositor() -> None:
    source = LocalSource()
    app = PaneApp(source)
    async with app.run_test(size=(60, 12), notifications=True) as pilot:
        pane = app.query_one(TerminalPane)
        placement = Placement()
        app.query_one("#over").display = False
        await pilot.pause()
        assert placed(pane, placement) is not None
        app.notify("a toast over the pane's corner", timeout=30)
        await pilot.pause()
        assert placed(pane, placement) is None
        app.clear_notifications()
        await pilot.pause()
        assert placed(pane, placement) is not None
        await app.push_screen(Dialog())
        await pilot.pause()
        assert placed(pane, placement) is None, "the pane's screen is not the one shown"


async def test_a_pane_clipped_or_hidden_is_not_on_top() -> None:
    source = LocalSource()
    app = PaneApp(source)
    async with app.run_test(size=(60, 12)) as pilot:
        pane = app.query_one(TerminalPane)
        placement = Placement()
        app.query_one("#over").display = False
        pane.styles.height = 30  # taller than its container: clipped
        await pilot.pause()
        assert placed(pane, placement) is None
        pane.styles.height = "1fr"
        await pilot.pause()
        assert placed(pane, placement) is not None
        pane.display = False
        await pilot.pause()
        assert placed(pane, placement) is None


async def test_with_direct_draw_on_a_headless_pane_still_refreshes_its_changed_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Headless (no terminal to write to), the changed row is asked of the compositor."""
    source = LocalSource()
    app = PaneApp(source)
    async with app.run_test(size=(60, 12)) as pilot:
        pane = app.query_one(TerminalPane)
        app.query_one("#over").display = False
        source.screen.feed(ink_frame("|", 1))
        pane.screen_changed()
        await pilot.pause()
        requests = Requests(pane, monkeypatch)
        source.screen.feed(ink_frame("/", 2, changed=3))
        pane.screen_changed()
        assert requests.take() == [(Region(0, 3, 60, 1), Region(0, 7, 60, 1))]  # and the counter's
        await pilot.pause()
        assert "row 3 changed 2" in "".join(s.text for s in pane.render_line(3))


async def test_the_pane_s_content_box_is_textual_s_size_and_offset_plain_bordered_resized() -> None:
    """The pane works out its content size and offset from its outer size and gutter
    (``PaneView._content_box``): it must be what Textual's ``size`` and ``content_offset``
    say, with no border, with a border and padding, and after the terminal is resized."""
    source = LocalSource()
    app = PaneApp(source)
    async with app.run_test(size=(60, 12)) as pilot:
        pane = app.query_one(TerminalPane)
        await pilot.pause()
        assert pane._content_box() == (pane.size, pane.content_offset)
        pane.styles.border = ("round", "red")
        pane.styles.padding = (1, 2, 0, 3)
        await pilot.pause()
        assert pane.content_offset == (4, 2)
        assert pane._content_box() == (pane.size, pane.content_offset)
        await pilot.resize_terminal(41, 17)
        await pilot.pause()
        assert pane.size == (41 - 2 - 5, 17 - 2 - 1)
        assert pane._content_box() == (pane.size, pane.content_offset)
