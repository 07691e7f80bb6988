"""Needs-you in the dashboard: an agent that comes to wait on the user out of view sends a
desktop notification through the outer terminal, and the status bar names who waits.

The agent is the fake Claude Code (``tests/agents_cli/fake_claude.py``) in a session this
dashboard holds itself: no server, so no hooks are wired and its state comes from its screen
(the profile's patterns), which is also what these tests check.
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.pilot import Pilot

from aitui.core.activity import Activity
from aitui.core.config import SessionConfig
from aitui.core.hosting import NewSession
from aitui.dashboard.app import AituiApp
from aitui.dashboard.notify import clean, terminal_sequences
from aitui.dashboard.widgets.status_line import StatusLine, WaitingLine
from tests.widgets.test_dashboard_pilot import wait_for

FAKE = Path(__file__).parents[1] / "agents_cli" / "fake_claude.py"


async def start_agent(app: AituiApp, pilot: Pilot[None], name: str, directory: Path) -> str:
    """The fake Claude Code in a session of the app's own host, once it waits for input."""
    host = app.local_host
    assert host is not None
    key = await host.create(
        NewSession(
            name=name, agent="claude", command=f"{sys.executable} {FAKE}", directory=directory
        )
    )
    await wait_for(
        pilot, lambda: (v := app.view(key)) is not None and v.info.activity is Activity.WAITING
    )
    return key


async def test_an_agent_waiting_out_of_view_notifies_through_the_terminal(tmp_path: Path) -> None:
    app = AituiApp(sessions=[SessionConfig(name="sh", shell="bash", working_directory=tmp_path)])
    written: list[str] = []
    async with app.run_test(size=(120, 30)) as pilot:
        assert app._driver is not None
        app._driver.write = written.append  # type: ignore[method-assign]
        await wait_for(pilot, lambda: len(app.views) == 1)
        key = await start_agent(app, pilot, "cc", tmp_path)
        view = app.view(key)
        assert view is not None and view.info.source == "screen"
        assert app.current != key  # out of view: it is news
        sent = "".join(written)
        assert "\x1b]9;aitui: cc waits for input\x07" in sent
        assert "\x1b]777;notify;aitui;cc waits for input\x07" in sent
        waiting = app.query_one(WaitingLine)
        await wait_for(pilot, lambda: "needs you: cc waiting" in str(waiting.render()))
        assert waiting.display
        await app.action_quit()


async def test_the_session_in_front_sends_no_notification(tmp_path: Path) -> None:
    app = AituiApp()
    written: list[str] = []
    async with app.run_test(size=(120, 30)) as pilot:
        assert app._driver is not None
        app._driver.write = written.append  # type: ignore[method-assign]
        key = await start_agent(app, pilot, "front", tmp_path)
        await wait_for(pilot, lambda: app.current == key)  # the only session: shown
        assert "\x1b]9;" not in "".join(written)
        await app.action_quit()


def test_what_an_agent_asks_cannot_inject_terminal_sequences() -> None:
    hostile = "Bash: ls\x07\x1b]52;c;cm0gLXJm\x07\x1b[2J\x9b31m"
    assert "\x1b" not in clean(hostile) and "\x07" not in clean(hostile)
    assert "\x9b" not in clean(hostile)
    sequences = terminal_sequences("aitui", hostile)
    assert sequences.count("\x1b") == 2 and sequences.count("\x07") == 2  # only our own two


async def test_prefix_y_approves_the_agent_that_waits_from_another_session(
    tmp_path: Path,
) -> None:
    app = AituiApp(sessions=[SessionConfig(name="sh", shell="bash", working_directory=tmp_path)])
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: len(app.views) == 1)
        shell_key = app.views[0].key
        key = await start_agent(app, pilot, "cc", tmp_path)
        assert app.local_host is not None
        session = app.local_host.session(key)
        assert session is not None
        await session.send_input(b"run make\r")
        await wait_for(
            pilot, lambda: (v := app.view(key)) is not None and v.info.activity is Activity.APPROVAL
        )
        assert app.current == shell_key  # still looking at the shell
        await pilot.press("ctrl+right_square_bracket", "y")
        await wait_for(pilot, lambda: "ran: make" in session.screen.text())
        assert app.current == shell_key
        assert app.view(key).info.activity is not Activity.APPROVAL  # type: ignore[union-attr]
        await pilot.press("ctrl+right_square_bracket", "y")
        status = app.query_one(StatusLine)
        await wait_for(pilot, lambda: "no agent waits for an approval" in status.text)
        await app.action_quit()


async def test_the_waiting_line_is_drawn_again_only_when_what_it_says_changes() -> None:
    from textual.app import App, ComposeResult

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield WaitingLine()

    async with One().run_test() as pilot:
        line = pilot.app.query_one(WaitingLine)
        line.show("cc waiting 1m")
        assert line.display and "cc waiting 1m" in str(line.render())
        refreshed: list[object] = []
        line.refresh = lambda *a, **k: refreshed.append(a) or line  # type: ignore[method-assign]
        line.show("cc waiting 1m")
        assert refreshed == []
        line.show("")
        assert not line.display and refreshed


async def test_a_long_name_waiting_on_a_narrow_dashboard_is_cut_not_wrapped(
    tmp_path: Path,
) -> None:
    """The line is one row: a name longer than its room wrapped onto a second row out of
    sight, and at 80 columns it said "needs you:" and nothing else."""
    app = AituiApp(sessions=[SessionConfig(name="sh", shell="sh", working_directory=tmp_path)])
    async with app.run_test(size=(80, 24)) as pilot:
        line = app.query_one(WaitingLine)
        line.show(f"needs you: {'a-very-long-session-name-' * 3}x waiting 3s")
        await pilot.pause()
        first_row = line.render_line(0).text
        assert "needs you: a-very-long" in first_row
        assert first_row.rstrip().endswith("…")
        await app.action_quit()
