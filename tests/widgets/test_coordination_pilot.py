"""Coordination from the dashboard: keys submit tasks and broadcast; messages open."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Label, OptionList, Static

from aitui.core.activity import Activity
from aitui.core.agents import AgentId, Store
from aitui.core.config import SessionConfig
from aitui.dashboard.app import AituiApp
from aitui.dashboard.widgets.agent_dialogs import MessageScreen
from aitui.dashboard.widgets.panels import MessagesPanel, TasksPanel
from tests.widgets.test_dashboard_pilot import coordination, session_of, wait_for


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
            len(coordination(app).coordinator.agent_ids()) == 3
            and all(v.info.activity is Activity.IDLE for v in app.views)
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
        await wait_for(pilot, lambda: len(coordination(app).task_rows()) == 2)
        rows = {r.description: r for r in coordination(app).task_rows()}
        assert rows["build the api"].state == "assigned" and rows["build the api"].agent == "be"
        assert rows["ship ios"].state == "pending"
        assert rows["ship ios"].reason is not None and "ios" in rows["ship ios"].reason
        await app.action_quit()


async def test_the_task_and_broadcast_dialogs_send_with_a_button_and_say_what_is_missing(
    tmp_path: Path,
) -> None:
    """You should see Submit / Send and Cancel under the fields; an empty one says why it is
    not sent; the button sends what the fields and the priority say."""
    from textual.widgets import Button, Select

    from aitui.dashboard.widgets.agent_dialogs import BroadcastScreen, TaskScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(150, 44)) as pilot:
        await agents_ready(pilot, app)
        await pilot.press("ctrl+right_square_bracket", "t")
        await wait_for(pilot, lambda: isinstance(app.screen, TaskScreen))
        dialog = app.screen
        assert [str(b.label) for b in dialog.query(Button)] == ["Submit", "Cancel"]
        await pilot.click("#ok")
        assert "needs a description" in str(dialog.query_one("#problem", Label).render())
        await pilot.click("#description")
        await pilot.press(*"write the docs")
        dialog.query_one("#priority", Select).value = "High"
        await pilot.click("#ok")
        await wait_for(pilot, lambda: len(coordination(app).task_rows()) == 1)
        assert coordination(app).task_rows()[0].description == "write the docs"
        assert coordination(app).task_rows()[0].priority == "High"

        before = coordination(app).message_rows()
        await pilot.press("ctrl+right_square_bracket", "m")
        await wait_for(pilot, lambda: isinstance(app.screen, BroadcastScreen))
        dialog = app.screen
        await pilot.press("enter")
        assert "needs a message" in str(dialog.query_one("#problem", Label).render())
        await pilot.click("#cancel")
        await wait_for(pilot, lambda: not isinstance(app.screen, BroadcastScreen))
        assert coordination(app).message_rows() == before  # nothing was broadcast
        await app.action_quit()


async def test_broadcast_and_open_a_message(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(150, 44)) as pilot:
        await agents_ready(pilot, app)
        await pilot.press("ctrl+right_square_bracket", "m")
        await pilot.press(*"schema v2 merged", "enter")
        # You should see the broadcast once, to the three agents, with what it says.
        await wait_for(pilot, lambda: len(coordination(app).message_rows()) == 1)
        (row,) = coordination(app).message_rows()
        assert (row.recipient, set(row.recipients)) == ("3 agents", {"fe", "be", "qa"})
        assert row.text == "schema v2 merged"
        panel = app.query_one(MessagesPanel)
        log = panel.query_one("OptionList", OptionList)
        await wait_for(pilot, lambda: log.option_count == 1)
        assert "schema v2 merged" in str(log.get_option_at_index(0).prompt)
        log.focus()
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MessageScreen))
        title = str(app.screen.query_one(".dialog-title", Label).render())
        assert "fe" in title and "be" in title and "qa" in title
        await pilot.press("escape")
        await app.action_quit()


async def test_a_task_that_needs_no_capability_goes_to_a_plain_shell(tmp_path: Path) -> None:
    """Sessions without a role are agents too: "no agent has registered capabilities yet"
    kept such a task pending beside idle shells."""
    app = AituiApp(sessions=[SessionConfig(name="sh1", shell="bash", working_directory=tmp_path)])
    async with app.run_test(size=(150, 44)) as pilot:
        await wait_for(pilot, lambda: len(coordination(app).coordinator.agent_ids()) == 1)
        await coordination(app).submit("tidy the readme", [], "Medium")
        (row,) = coordination(app).task_rows()
        assert (row.state, row.agent) == ("assigned", "sh1")
        await app.action_quit()


async def test_an_exited_sessions_tasks_go_back_and_to_another(tmp_path: Path) -> None:
    """A session whose program exited must not keep (or be given) tasks: they go back to
    pending and on to a session that can take them."""
    app = AituiApp(
        sessions=[
            SessionConfig(name="one", shell="bash", working_directory=tmp_path, agent_role="x"),
        ]
    )
    async with app.run_test(size=(150, 44)) as pilot:
        await wait_for(pilot, lambda: len(coordination(app).coordinator.agent_ids()) == 1)
        await coordination(app).submit("the job", ["x"], "High")
        assert [(r.state, r.agent) for r in coordination(app).task_rows()] == [("assigned", "one")]
        one = session_of(app, app.views[0])
        assert one is not None
        await one.send_input("exit\r")
        await wait_for(pilot, lambda: coordination(app).task_rows()[0].state == "pending")
        assert coordination(app).task_rows()[0].agent is None
        await coordination(app).submit("another job", ["x"], "Low")
        assert coordination(app).task_rows()[1].state == "pending"  # not given to "one"
        app.open_session(
            SessionConfig(name="two", shell="bash", working_directory=tmp_path, agent_role="x")
        )
        await wait_for(pilot, lambda: all(r.agent == "two" for r in coordination(app).task_rows()))
        await app.action_quit()


async def test_a_session_that_joins_gets_the_pending_tasks_it_can_take(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(150, 44)) as pilot:
        await agents_ready(pilot, app)
        await coordination(app).submit("write the docs", ["docs"], "High")
        assert coordination(app).task_rows()[0].state == "pending"
        app.open_session(
            SessionConfig(
                name="writer", shell="bash", working_directory=tmp_path, agent_role="docs"
            )
        )
        await wait_for(pilot, lambda: coordination(app).task_rows()[0].state == "assigned")
        assert coordination(app).task_rows()[0].agent == "writer"
        await app.action_quit()


def persisted_app(tmp_path: Path, store: Path) -> AituiApp:
    config = SessionConfig(
        name="be", shell="bash", working_directory=tmp_path, agent_role="backend"
    )
    return AituiApp(sessions=[config], coordination_store=store)


def task_panel_text(app: AituiApp) -> str:
    return str(app.query_one(TasksPanel).query_one(".task-list", Static).render())


async def submit_and_quit(tmp_path: Path, store: Path, *tasks: tuple[str, str, str]) -> None:
    """A first dashboard, with the session "be" (role backend), takes ``tasks`` (description,
    requirement, priority) and quits."""
    app = persisted_app(tmp_path, store)
    async with app.run_test(size=(150, 44)) as pilot:
        await wait_for(pilot, lambda: len(coordination(app).coordinator.agent_ids()) == 1)
        for description, requirement, priority in tasks:
            await coordination(app).submit(description, [requirement], priority)
        await app.action_quit()


async def test_tasks_and_messages_survive_a_dashboard_restart(tmp_path: Path) -> None:
    store = tmp_path / "data" / "agents.sqlite3"
    await submit_and_quit(
        tmp_path, store, ("build the api", "backend", "High"), ("ship ios", "ios", "Low")
    )
    app = persisted_app(tmp_path, store)
    async with app.run_test(size=(150, 44)) as pilot:
        # You should see both tasks as they were, before the session has even joined...
        await wait_for(pilot, lambda: "ship ios" in task_panel_text(app))
        assert "build the api" in task_panel_text(app)
        # ... and, once the session called "be" is back, the api task in its hands and its
        # unacknowledged assignment in its inbox again.
        await wait_for(pilot, lambda: len(coordination(app).coordinator.agent_ids()) == 1)
        rows = {r.description: r for r in coordination(app).task_rows()}
        assert rows["build the api"].state == "assigned" and rows["build the api"].agent == "be"
        assert rows["ship ios"].state == "pending"
        assert coordination(app).coordinator.pending_count(AgentId.for_name("be")) == 1
        await app.action_quit()


async def test_a_restored_task_names_its_agent_before_the_agent_is_back(tmp_path: Path) -> None:
    store = tmp_path / "data" / "agents.sqlite3"
    await submit_and_quit(tmp_path, store, ("build the api", "backend", "High"))
    app = AituiApp(sessions=[], coordination_store=store)
    async with app.run_test(size=(150, 44)) as pilot:
        # You should see the task in the hands of "be" (by name, not its agent id), shown as
        # orphaned, since no session called "be" runs in this dashboard, and what happens next.
        await wait_for(pilot, lambda: "build the api" in task_panel_text(app))
        assert coordination(app).coordinator.agent_ids() == []
        (row,) = coordination(app).task_rows()
        assert (row.agent, row.state) == ("be", "orphaned")
        assert row.reason is not None and "be is not running" in row.reason
        assert "orphaned" in task_panel_text(app) and "be" in task_panel_text(app)
        assert str(AgentId.for_name("be"))[:8] not in task_panel_text(app)
        await app.action_quit()


async def test_a_store_held_elsewhere_is_reported_and_work_goes_on(tmp_path: Path) -> None:
    store = tmp_path / "agents.sqlite3"
    holder = await Store.open(store, exclusive=True)
    try:
        app = persisted_app(tmp_path, store)
        async with app.run_test(size=(150, 44)) as pilot:
            await wait_for(pilot, lambda: len(coordination(app).coordinator.agent_ids()) == 1)
            warnings = [n.message for n in app._notifications if n.severity == "warning"]
            assert any("in use by another aitui process" in w for w in warnings), warnings
            assert coordination(app).coordinator.store is None
            await coordination(app).submit("build the api", ["backend"], "High")
            assert coordination(app).task_rows()[0].agent == "be"
            await app.action_quit()
    finally:
        await holder.close()
