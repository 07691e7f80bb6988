"""The prompt queue for MCP agents: what is new for an idle agent is typed in as one line, never
while it works or waits for an approval, once per idle spell."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from aitui.core.activity import Activity
from aitui.core.agent_nudge import Nudger, announcement
from aitui.core.agents import AgentId, Message, MessageType, Task
from aitui.core.coordination import Coordination
from aitui.core.hosting import SessionInfo

BASE = SessionInfo(
    key="k-back", name="back", role="backend", activity=Activity.WAITING, detail="",
    exit_code=None, attention=None, running=True, command="claude", directory="/",
    since=100.0, agent="claude",
)  # fmt: skip


class Typed:
    """Stands for the agent's session: what was typed into it."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    async def send_input(self, data: str) -> None:
        self.keys.append(data)


class Fleet:
    def __init__(self) -> None:
        self.coordination = Coordination()
        self.info = BASE
        self.wired = True
        self.session = Typed()
        self.jobs: list[asyncio.Task[None]] = []
        for name in ("back", "front"):
            self.coordination.coordinator.register_agent(AgentId.for_name(name))
            self.coordination.coordinator.known_names[AgentId.for_name(name)] = name
            self.coordination.distributor.register_capabilities(AgentId.for_name(name), [name])
        self.nudger = Nudger(
            self.coordination,
            lambda: [(self.info, self.session, self.wired)],  # type: ignore[list-item]
            lambda job: self.jobs.append(asyncio.ensure_future(job)),
        )

    async def message(self, text: str, sender: str = "front") -> None:
        message = Message(AgentId.for_name(sender), MessageType.DATA_SHARE, {"text": text})
        await self.coordination.coordinator.send_message(
            AgentId.for_name(sender), AgentId.for_name("back"), message
        )

    async def typed(self) -> list[str]:
        self.nudger.check()
        await asyncio.gather(*self.jobs)
        self.jobs.clear()
        typed, self.session.keys = self.session.keys, []
        return typed

    def becomes(self, **changes: Any) -> None:
        self.info = replace(self.info, **changes)


async def test_an_idle_agent_is_told_of_a_message_in_one_line_then_enter() -> None:
    fleet = Fleet()
    await fleet.message("schema changed")
    assert await fleet.typed() == [
        "aitui: 1 new message (from front): use the aitui tools read_inbox and ack_message",
        "\r",
    ]
    assert await fleet.typed() == []  # told: not again


async def test_never_while_it_works_or_waits_for_an_approval() -> None:
    fleet = Fleet()
    fleet.becomes(activity=Activity.WORKING, since=101.0)
    await fleet.message("one")
    assert await fleet.typed() == []
    fleet.becomes(activity=Activity.WAITING, asked="Bash: rm -rf build", since=102.0)
    assert await fleet.typed() == []
    fleet.becomes(activity=Activity.APPROVAL, asked=None, since=103.0)
    assert await fleet.typed() == []
    fleet.becomes(activity=Activity.DONE, since=104.0)  # its turn ended: now
    assert (await fleet.typed())[0].startswith("aitui: 1 new message")


async def test_once_per_idle_spell_and_then_only_what_is_new() -> None:
    fleet = Fleet()
    await fleet.message("first")
    assert len(await fleet.typed()) == 2
    await fleet.message("second")
    assert await fleet.typed() == []  # it has not acted on the first line yet
    fleet.becomes(activity=Activity.WORKING, since=110.0)
    assert await fleet.typed() == []
    fleet.becomes(activity=Activity.DONE, since=120.0)
    assert (await fleet.typed())[0].startswith("aitui: 1 new message (from front)")


async def test_tasks_are_announced_with_claim_task() -> None:
    fleet = Fleet()
    await fleet.coordination.distributor.submit_task(Task("add the column", ["back"]))
    await fleet.coordination.distributor.distribute_tasks()
    await fleet.message("and a note", sender="front")
    line = (await fleet.typed())[0]
    assert line == (
        "aitui: 1 new message (from front) and 1 task for you: use the aitui tools "
        "read_inbox and ack_message, then claim_task"
    )


async def test_an_agent_without_the_tools_is_never_typed_into() -> None:
    fleet = Fleet()
    fleet.wired = False
    await fleet.message("hello")
    assert await fleet.typed() == []


def test_the_line_counts_and_names_the_senders() -> None:
    assert announcement(["a", "b", "a"], 3, 0) == (
        "aitui: 3 new messages (from a, b): use the aitui tools read_inbox and ack_message"
    )
    assert announcement([], 0, 2) == "aitui: 2 tasks for you: use the aitui tools claim_task"


async def test_a_task_it_had_started_is_recalled_once_after_a_restart() -> None:
    fleet = Fleet()
    distributor = fleet.coordination.distributor
    task = Task("migrate", ["back"])
    await distributor.submit_task(task)
    await distributor.distribute_tasks()
    await distributor.start_task(task.id)  # claimed, then the server died
    for record in fleet.coordination.coordinator.held(AgentId.for_name("back")):
        while fleet.coordination.coordinator.try_receive(AgentId.for_name("back")):
            pass
        await fleet.coordination.coordinator.ack(AgentId.for_name("back"), record.message.id)
    assert await fleet.typed() == [
        "aitui: 1 task you had started: use the aitui tools claim_task",
        "\r",
    ]
    fleet.becomes(activity=Activity.DONE, since=200.0)
    assert await fleet.typed() == []  # once


async def test_a_task_announced_and_then_claimed_is_not_recalled() -> None:
    fleet = Fleet()
    distributor = fleet.coordination.distributor
    task = Task("migrate", ["back"])
    await distributor.submit_task(task)
    await distributor.distribute_tasks()
    assert (await fleet.typed())[0] == "aitui: 1 task for you: use the aitui tools claim_task"
    await distributor.start_task(task.id)
    fleet.becomes(activity=Activity.DONE, since=300.0)
    assert await fleet.typed() == []
