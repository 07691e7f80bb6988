"""Keys reach a program that asked for kitty's keyboard protocol in its encoding.

A real program in a pane pushes the protocol's flags: Shift+Enter, which it could not tell from
Enter before (Claude Code and Codex take it as a new line), Esc and Ctrl+C reach it as their
``CSI u`` codes; once it pops the flags, the legacy bytes come back.
"""

from __future__ import annotations

import sys
from pathlib import Path

from aitui.core.config import SessionConfig
from aitui.dashboard.app import AituiApp
from aitui.dashboard.widgets.terminal_pane import TerminalPane
from tests.widgets.test_dashboard_pilot import rendered, session_of, wait_for

READER = Path(__file__).with_name("kitty_reader.py")


async def test_a_program_that_asks_gets_kitty_keys_and_legacy_ones_after(tmp_path: Path) -> None:
    command = f"{sys.executable} {READER} 1"
    app = AituiApp(
        sessions=[SessionConfig(name="kitty", shell_command=command, working_directory=tmp_path)]
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: len(app.views) == 1)
        pane = app.query_one("#pane-main", TerminalPane)
        await wait_for(pilot, lambda: "flags 1" in rendered(pane))
        session = session_of(app, app.views[0])
        assert session is not None and session.screen.modes.kitty_keyboard == 1
        pane.focus()
        await pilot.press("shift+enter")
        await wait_for(pilot, lambda: "got " + b"\x1b[13;2u".hex() in rendered(pane))
        await pilot.press("escape")
        await wait_for(pilot, lambda: "got " + b"\x1b[27u".hex() in rendered(pane))
        await pilot.press("p")  # pop: legacy keys again
        await wait_for(pilot, lambda: session.screen.modes.kitty_keyboard == 0)
        await pilot.press("shift+enter")
        await wait_for(pilot, lambda: rendered(pane).count("got 0d") == 1)
        await pilot.press("q")
        await app.action_quit()
