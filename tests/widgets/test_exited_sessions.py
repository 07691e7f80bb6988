"""A session whose program has exited never takes the dashboard down.

Reproduced as a user found it: ``cat``, Ctrl-D, any key raised ``SessionNotRunningError`` out
of the pane's input worker and ended the app (and ``make run`` exited 0). Now the keys are
refused, the status line says so with what to do, and the details screen has the full text.
"""

from __future__ import annotations

from pathlib import Path

from aitui.core.activity import Activity
from aitui.core.config import SessionConfig
from aitui.dashboard.app import AituiApp
from aitui.dashboard.widgets.details import DetailsScreen
from aitui.dashboard.widgets.status_line import StatusLine
from aitui.dashboard.widgets.terminal_pane import TerminalPane
from tests.widgets.test_dashboard_pilot import session_of, wait_for


async def test_typing_into_an_exited_program_says_so_and_the_app_lives_on(
    tmp_path: Path,
) -> None:
    app = AituiApp(
        sessions=[SessionConfig(name="cat", shell_command="cat", working_directory=tmp_path)]
    )
    refused: list[TerminalPane.InputRefused] = []
    async with app.run_test(size=(120, 30), message_hook=_collect(refused)) as pilot:
        await wait_for(
            pilot, lambda: len(app.views) == 1 and session_of(app, app.views[0]) is not None
        )
        view = app.views[0]
        assert session_of(app, view) is not None
        await wait_for(pilot, lambda: (s := session_of(app, view)) is not None and s.is_running)
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: view.info.activity is Activity.EXITED)
        await pilot.press("x", "y", "enter")
        status = app.query_one(StatusLine)
        await wait_for(pilot, lambda: "keys not sent" in status.text)
        assert "cat: keys not sent: session cat is not running" in status.text
        assert "prefix R restarts it" in status.text
        # One report for the streak, not one a key (Enter is posted too: a stopped session
        # runs again on it, and this one was not stopped but exited).
        assert len({id(m) for m in refused if m.first}) == 1
        assert app.is_running and app.return_code is None

        await pilot.press("ctrl+right_square_bracket", "i")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailsScreen))
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "exit code: 0" in text and "command: " in text
        assert "keys not sent" in text
        await pilot.press("escape")
        await app.action_quit()


def _collect(into: list[TerminalPane.InputRefused]):  # type: ignore[no-untyped-def]
    def hook(message: object) -> None:
        if isinstance(message, TerminalPane.InputRefused):
            into.append(message)

    return hook


CRASHING_DASHBOARD = """
import sys
from aitui.dashboard.app import AituiApp

def boom(self):
    raise RuntimeError("a bug in a handler")

AituiApp.on_mount = boom
from aitui.cli import main
sys.exit(main(["-S", sys.argv[1], "--no-persist"]))
"""


async def test_a_dashboard_that_fails_exits_non_zero(tmp_path: Path, server_socket: Path) -> None:
    """``make run`` exited 0 after the crash: a failed app must say so to the shell."""
    import sys

    from aitui import AISession

    script = tmp_path / "crash.py"
    script.write_text(CRASHING_DASHBOARD)
    session = AISession(
        SessionConfig(
            shell_command=f"{sys.executable} {script} {server_socket}",
            working_directory=tmp_path,
            environment={"AITUI_CONFIG": str(tmp_path / "config.toml")},
        )
    )
    await session.start()
    try:
        assert await session.wait_exit(60) == 1
    finally:
        await session.stop()


async def test_a_failures_full_reason_is_one_key_away(tmp_path: Path) -> None:
    """The list has 21 characters for "could not star…"; prefix i shows the whole reason."""
    missing = tmp_path / "a directory that is not there"
    app = AituiApp(sessions=[SessionConfig(name="bad", shell="bash", working_directory=missing)])
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.views and app.views[0].info.activity.value == "error")
        await pilot.press("ctrl+right_square_bracket", "i")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailsScreen))
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert f"working directory does not exist: {missing}" in text
        await pilot.press("escape")
        await app.action_quit()
