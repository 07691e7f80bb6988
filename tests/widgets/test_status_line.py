"""The status line fades what it said long ago, and anything new is news again.

A warning about another session ("keys not sent to build") stayed in warning colour for as
long as nothing else was said, and read as news about whatever the user did next.
"""

from __future__ import annotations

from textual.app import App, ComposeResult

from aitui.dashboard.widgets.status_line import StatusLine
from tests.widgets.test_dashboard_pilot import wait_for


class _Line(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusLine(id="status", stale_after=0.1)


async def test_a_warning_fades_and_says_when_it_was_said() -> None:
    app = _Line()
    async with app.run_test() as pilot:
        line = app.query_one(StatusLine)
        line.say("keys not sent to build: it has ended", "warning", "12:03:15")
        assert line.has_class("-warning") and not line.stale
        assert str(line.render()) == "keys not sent to build: it has ended"
        await wait_for(pilot, lambda: line.stale)
        assert str(line.render()) == "12:03:15  keys not sent to build: it has ended"
        assert line.text == "keys not sent to build: it has ended"  # history keeps the words


async def test_something_new_is_shown_fresh_and_fades_on_its_own_clock() -> None:
    app = _Line()
    async with app.run_test() as pilot:
        line = app.query_one(StatusLine)
        line.say("first", "error", "12:00:00")
        await wait_for(pilot, lambda: line.stale)
        line.say("second\nmore detail", "information", "12:00:05")
        assert not line.stale and line.has_class("-information") and not line.has_class("-error")
        assert str(line.render()) == "second"
        await wait_for(pilot, lambda: line.stale)
        assert str(line.render()) == "12:00:05  second"
        assert [entry.text for entry in line.history] == ["first", "second\nmore detail"]


async def test_a_long_word_is_cut_with_an_ellipsis_not_wrapped_out_of_sight() -> None:
    """You should see "recording saved: /root/…" on a narrow terminal: the path, a single long
    word, went to a second row the one-row line never shows, leaving "recording saved:"."""
    from aitui.dashboard.app import AituiApp

    app = AituiApp(sessions=[])
    async with app.run_test(size=(60, 20)) as pilot:
        line = app.query_one(StatusLine)
        path = "/root/.local/share/aitui/recordings/s1-20261207-233902.cast"
        line.say(f"recording saved: {path}")
        await pilot.pause()
        strips = app.screen._compositor.render_strips()  # the screen as the terminal gets it
        shown = strips[line.region.y].crop(line.region.x, line.region.right).text.strip()
        assert shown.startswith("recording saved: /root/") and shown.endswith("…"), shown
