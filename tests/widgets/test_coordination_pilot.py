"""Coordination from the dashboard: keys submit tasks and broadcast; messages open."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from aitui.app import AituiApp
from aitui.core.activity import Activity
from aitui.core.config import SessionConfig
from aitui.widgets.agent_dialogs import MessageScreen
from aitui.widgets.panels import MessagesPanel
from tests.widgets.test_dashboard_pilot import wait_for


def make_app(tmp_path: Path) -> AituiApp:
    roles = [("fe", "frontend"), ("be", "backend"), ("qa", "qa")]
    return AituiApp(
        sessions=[
            SessionConfig(name=n, shell="bash", working_directory=tmp_path, agent_role=r)
            for n, r in roles
        ]
    )


async def agents_ready(pilot: Pilot[None], app: AituiApp) -> None:
    await wait_for(
        pilot,
        lambda: (
            len(app.coordination.coordinator.agent_ids()) == 3
            and all(v.tracker.state.activity is Activity.IDLE for v in app.views)
        ),
    )


async def test_submit_a_task_from_the_keyboard(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(150, 44)) as pilot:
        await agents_ready(pilot, app)
        await pilot.press("ctrl+right_square_bracket", "t")
        await pilot.press(*"build the api", "tab", *"backend", "enter")
        await pilot.press("ctrl+right_square_bracket", "t")
        await pilot.press(*"ship ios", "tab", *"ios", "enter")
        await wait_for(pilot, lambda: len(app.coordination.task_rows()) == 2)
        rows = {r.description: r for r in app.coordination.task_rows()}
        assert rows["build the api"].state == "assigned" and rows["build the api"].agent == "be"
        assert rows["ship ios"].state == "pending"
        assert rows["ship ios"].reason is not None and "ios" in rows["ship ios"].reason
        await app.action_quit()


async def test_broadcast_and_open_a_message(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(150, 44)) as pilot:
        await agents_ready(pilot, app)
        await pilot.press("ctrl+right_square_bracket", "m")
        await pilot.press(*"schema v2 merged", "enter")
        await wait_for(pilot, lambda: len(app.coordination.message_rows()) == 3)
        assert {r.recipient for r in app.coordination.message_rows()} == {"fe", "be", "qa"}
        panel = app.query_one(MessagesPanel)
        await wait_for(pilot, lambda: panel.query_one("OptionList").option_count == 3)
        panel.query_one("OptionList").focus()
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MessageScreen))
        await pilot.press("escape")
        await app.action_quit()
