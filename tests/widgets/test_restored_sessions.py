"""A session listed from its record after a restart runs again on Enter, in the session list or
in its pane (its row says "stopped: Enter ... runs it again", and the pane has the focus)."""

from __future__ import annotations

from pathlib import Path

from aitui.core.config import HistoryMode
from aitui.core.host import SessionHost
from aitui.core.hosting import NewSession
from aitui.core.records import SessionRecords
from aitui.dashboard.app import AituiApp
from aitui.dashboard.widgets.session_list import SessionList
from aitui.dashboard.widgets.status_line import StatusLine
from aitui.dashboard.widgets.terminal_pane import TerminalPane
from tests.widgets.test_dashboard_pilot import wait_for


async def _restored(tmp_path: Path) -> tuple[SessionHost, str]:
    db = tmp_path / "sessions.sqlite3"
    host = SessionHost(records=await SessionRecords.open(db), shell="bash")
    key = await host.create(
        NewSession(name="agent", directory=tmp_path, role="dev", history=HistoryMode.PRIVATE)
    )
    await host.close()

    host = SessionHost(records=await SessionRecords.open(db), shell="bash")
    assert await host.restore() == [key]
    return host, key


async def test_enter_on_a_stopped_session_runs_it_again(tmp_path: Path) -> None:
    host, key = await _restored(tmp_path)
    app = AituiApp(host=host)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: len(app.views) == 1)
        session_list = app.query_one(SessionList)
        # You should see the session stopped, with what runs it again.
        await wait_for(pilot, lambda: "exited" in str(session_list.get_option_at_index(0).prompt))
        assert not app.views[0].info.running and app.views[0].info.restorable
        session_list.focus()
        session_list.highlighted = 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: (i := host.info(key)) is not None and i.running)
        session = host.session(key)
        assert session is not None and session.name == "agent"
        await wait_for(pilot, lambda: not app.views[0].info.restorable)
        await app.action_quit()


async def test_enter_in_a_stopped_sessions_pane_runs_it_again(tmp_path: Path) -> None:
    host, key = await _restored(tmp_path)
    app = AituiApp(host=host)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: len(app.views) == 1 and app.views[0].info.restorable)
        pane = app.query_one("#pane-main", TerminalPane)
        await wait_for(pilot, lambda: pane.source is not None)
        pane.focus()
        await pilot.press("x")  # any other key is refused, and said so
        status = app.query_one(StatusLine)
        await wait_for(pilot, lambda: "keys not sent" in status.text)
        assert app.views[0].info.restorable
        await pilot.press("enter")
        await wait_for(pilot, lambda: (i := host.info(key)) is not None and i.running)
        await wait_for(pilot, lambda: not app.views[0].info.restorable)
        await app.action_quit()


async def test_a_click_on_a_stopped_session_shows_it_and_a_double_click_runs_it(
    tmp_path: Path,
) -> None:
    """You should see a click on a stopped agent's row show it and say how to run it, without
    running it (a click to look at it restarted the agent); a double click runs it."""
    host, key = await _restored(tmp_path)
    app = AituiApp(host=host)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: len(app.views) == 1 and app.views[0].info.restorable)
        session_list = app.query_one(SessionList)
        await pilot.click(SessionList, offset=(4, 0))
        status = app.query_one(StatusLine)
        await wait_for(pilot, lambda: "agent is stopped: Enter or a double click" in status.text)
        await pilot.pause()
        assert app.current == key and app.views[0].info.restorable
        assert not (host.info(key) or app.views[0].info).running
        await pilot.click(SessionList, offset=(4, 0), times=2)
        await wait_for(pilot, lambda: (i := host.info(key)) is not None and i.running)
        assert session_list.highlighted == 0
        await app.action_quit()
