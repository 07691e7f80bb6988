"""A dialog closed by a key pressed twice in one go closes once.

``Screen.dismiss`` pops whatever is on top: the second Enter (queued to the dialog's field
before the screen went) popped the dashboard's own screen, and Textual ended the app with
``ScreenStackError``. Each test fails that way without ``widgets.dialog``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aitui.dashboard.widgets.dialogs import NewSessionScreen
from tests.widgets.test_dashboard_pilot import make_app, started, type_in_one_go, wait_for

#: The prefix command that opens each dialog (the palette is Textual's, opened as ours), and
#: what is typed before the closing key (Enter on an empty task or message is refused).
OPENERS = {
    "new session": ("n", ""),
    "rename": ("r", ""),
    "search history": ("slash", ""),
    "submit a task": ("t", "do it"),
    "broadcast": ("m", "hello"),
    "details": ("i", ""),
    "command palette": ("p", "zoom"),
}


@pytest.mark.parametrize("closing", ["enter", "escape"])
@pytest.mark.parametrize("dialog", list(OPENERS))
async def test_a_dialog_closed_twice_in_one_go_leaves_the_dashboard_running(
    tmp_path: Path, dialog: str, closing: str
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        dashboard = app.screen
        opener, typed = OPENERS[dialog]
        await pilot.press("ctrl+right_square_bracket", opener)
        await wait_for(pilot, lambda: app.screen is not dashboard)
        if typed:
            await pilot.press(*["space" if c == " " else c for c in typed])
        type_in_one_go(app, [closing] * 3)
        await wait_for(pilot, lambda: app.screen is dashboard)
        await pilot.pause()
        assert app.is_running and app.screen is dashboard
        await app.action_quit()


async def test_enter_twice_on_the_new_session_dialog_starts_one_session(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+right_square_bracket", "n")
        assert isinstance(app.screen, NewSessionScreen)
        type_in_one_go(app, [*"one", "enter", "enter"])
        await wait_for(pilot, lambda: len(app.views) == 2)
        await pilot.pause(0.3)
        assert [view.name for view in app.views] == ["s1", "one"]
        await app.action_quit()
