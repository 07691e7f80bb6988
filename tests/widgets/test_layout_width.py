"""The dashboard's layout follows the terminal's width, whichever way and whenever it changes.

The side panels hide below 110 columns and the session list narrows below 70. The classes
were once computed from the size before the resize (the app's handler ran before Textual
stored the new size), so a terminal widened from 80 to 140 columns kept the narrow layout.
"""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

from aitui.dashboard.widgets.dialogs import NewSessionScreen
from tests.widgets.test_dashboard_pilot import make_app, started, wait_for


def _panels_shown(app: object) -> bool:
    panels = app.query_one("#panels", Widget)  # type: ignore[attr-defined]
    return bool(panels.display) and panels.region.width > 0


async def test_the_panels_follow_the_width_both_ways(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await started(pilot, app)
        assert _panels_shown(app)
        sessions = app.query_one("#sessions", Widget)
        wide_list = sessions.region.width
        for width, shown in ((80, False), (140, True), (100, False), (139, True), (60, False)):
            await pilot.resize_terminal(width, 30)
            await wait_for(pilot, lambda shown=shown: _panels_shown(app) is shown)
        await wait_for(pilot, lambda: sessions.region.width < wide_list)
        await pilot.resize_terminal(140, 30)
        await wait_for(pilot, lambda: _panels_shown(app) and sessions.region.width == wide_list)
        await app.action_quit()


async def test_a_resize_under_a_dialog_reaches_the_main_screen(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+right_square_bracket", "n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewSessionScreen))
        await pilot.resize_terminal(80, 30)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, NewSessionScreen))
        await wait_for(pilot, lambda: not _panels_shown(app))
        await app.action_quit()


async def test_a_dialog_fits_a_terminal_narrower_than_it(tmp_path: Path) -> None:
    """You should see the whole new-session dialog, its fields and its Create button, on a
    60-column terminal (a split): its 70 columns ran off the right edge."""
    from textual.widgets import Button

    app = make_app(tmp_path)
    async with app.run_test(size=(60, 40)) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+right_square_bracket", "n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewSessionScreen))
        await pilot.pause()
        screen = app.screen.region
        box = app.screen.query_one(".dialog").region
        assert screen.contains_region(box), (box, screen)
        create = app.screen.query_one("#create", Button).region
        assert box.contains_region(create)
        await pilot.press("escape")
        await app.action_quit()


async def test_rows_of_the_narrowed_session_list_keep_to_two_lines(tmp_path: Path) -> None:
    """Below 70 columns the list is 16 cells wide and its rows are made for 30: a long name
    wrapped into five lines ("2 ◆", "a-very-long", "-ses…", "waiting", "exit 0"), the number
    and glyph on a line of their own. Rows are cut at the list's edge instead."""
    from aitui.core.config import SessionConfig
    from aitui.dashboard.app import AituiApp
    from aitui.dashboard.widgets.session_list import SessionList

    names = ["short", "a-very-long-session-name-that-goes-on"]
    app = AituiApp(
        sessions=[SessionConfig(name=n, shell="bash", working_directory=tmp_path) for n in names]
    )
    async with app.run_test(size=(60, 20)) as pilot:
        await started(pilot, app, count=2)
        session_list = app.query_one(SessionList)
        await wait_for(pilot, lambda: session_list.option_count == 2)
        await pilot.pause()
        assert session_list.virtual_size.height == 4
        await app.action_quit()
