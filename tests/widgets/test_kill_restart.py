"""Kill and restart end a running program only once the user says yes.

Two keys typed by mistake (prefix ``x``) killed an agent's session at once, with the work in
its context; tmux asks before ``kill-pane`` too. A killed session stays listed, exited, until
dismissed (prefix ``X``). A session whose program has exited has nothing to lose: restart runs
it again without a question.
"""

from __future__ import annotations

from pathlib import Path

from aitui.core.activity import Activity
from aitui.core.config import SessionConfig
from aitui.dashboard.app import AituiApp
from aitui.dashboard.widgets.dialogs import ConfirmScreen
from tests.widgets.test_dashboard_pilot import (
    make_app,
    session_of,
    started,
    type_in_one_go,
    wait_for,
)

PREFIX = "ctrl+right_square_bracket"


async def test_kill_asks_and_n_keeps_the_session(tmp_path: Path) -> None:
    app = make_app(tmp_path, count=2)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app, count=2)
        await pilot.press(PREFIX, "x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        # You should see the question, naming the session and what ends with it.
        text = " ".join(str(label.render()) for label in app.screen.query("Label"))
        assert "Kill s1?" in text and "bash and everything it started will end" in text
        await pilot.press("q", "enter")  # any other key is ignored
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        await pilot.press(PREFIX, "x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert [v.name for v in app.views] == ["s1", "s2"]
        assert all(v.info.running for v in app.views)
        await app.action_quit()


async def test_kill_typed_in_one_go_with_its_yes_kills(tmp_path: Path) -> None:
    app = make_app(tmp_path, count=2)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app, count=2)
        type_in_one_go(app, [PREFIX, "x", "y"])
        await wait_for(pilot, lambda: not app.views[0].info.running)
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.views[1].info.running
        await app.action_quit()


async def test_an_exited_session_restarts_without_a_question(tmp_path: Path) -> None:
    app = AituiApp(
        sessions=[SessionConfig(name="cat", shell_command="cat", working_directory=tmp_path)]
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: len(app.views) == 1)
        await wait_for(pilot, lambda: session_of(app, app.views[0]) is not None)
        await wait_for(pilot, lambda: app.views[0].info.running)
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: app.views[0].info.activity is Activity.EXITED)
        await pilot.press(PREFIX, "R")
        await wait_for(pilot, lambda: app.views[0].info.running)
        assert not isinstance(app.screen, ConfirmScreen)
        await app.action_quit()


async def test_restart_asks_and_y_runs_it_again(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        before = session_of(app, app.views[0])
        assert before is not None
        await pilot.press(PREFIX, "R")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        text = " ".join(str(label.render()) for label in app.screen.query("Label"))
        assert "Restart s1?" in text
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: (
                len(app.views) == 1
                and (now := session_of(app, app.views[0])) is not None
                and now is not before
                and now.is_running
            ),
        )
        assert app.views[0].name == "s1"
        await app.action_quit()


async def test_a_dismissed_session_gives_its_place_to_its_neighbour(tmp_path: Path) -> None:
    """As tmux does for a window closed: the next session is shown (the previous one for the
    last). The dashboard went to the first, so exited sessions at the end of a long list
    could not be dismissed one after another (the second prefix X was refused: "only an
    exited session can be dismissed", said of the first session)."""
    app = make_app(tmp_path, count=4)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app, count=4)
        keys = [view.key for view in app.views]
        app.action_goto(3)
        await wait_for(pilot, lambda: app.current == keys[2])
        for gone, shown in ((keys[2], keys[3]), (keys[3], keys[1])):
            type_in_one_go(app, [PREFIX, "x", "y"])
            await wait_for(pilot, lambda gone=gone: not app.view(gone).info.running)  # type: ignore[union-attr]
            await pilot.press(PREFIX, "X")
            await wait_for(pilot, lambda gone=gone: app.view(gone) is None)
            assert app.current == shown
        await app.action_quit()
