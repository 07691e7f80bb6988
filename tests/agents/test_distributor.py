"""TaskDistributor: the assignment rules one by one, transitions, and assignment messages."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from aitui.core.agents import (
    AgentId,
    CoordinationEvent,
    InboxFullError,
    MessagePriority,
    MessageType,
    MultiAgentSession,
    Task,
    TaskAssigned,
    TaskBlocked,
    TaskCancelled,
    TaskCompleted,
    TaskDistributor,
    TaskFailed,
    TaskNotFoundError,
    TaskPriority,
    TaskStarted,
    TaskState,
    TaskStateError,
    TaskSubmitted,
)
from aitui.core.agents.ids import TaskId

H = timedelta(hours=1)


def task(reqs: list[str], priority: TaskPriority = TaskPriority.MEDIUM, hours: int = 1,
         deps: list[TaskId] | None = None, name: str = "t") -> Task:  # fmt: skip
    return Task(
        description=name,
        requirements=reqs,
        priority=priority,
        estimated_effort=hours * H,
        dependencies=deps or [],
    )


async def test_only_agents_with_every_capability_get_a_task() -> None:
    d = TaskDistributor()
    partial, full = AgentId.new(), AgentId.new()
    d.register_capabilities(partial, ["rust"])
    d.register_capabilities(full, ["rust", "api-design"])
    t = task(["rust", "api-design"])
    await d.submit_task(t)
    [assignment] = await d.distribute_tasks()
    assert assignment.agent_id == full


async def test_no_capable_agent_stays_pending_with_a_reason() -> None:
    d = TaskDistributor()
    seen: list[CoordinationEvent] = []
    d.subscribe(seen.append)
    d.register_capabilities(AgentId.new(), ["css"])
    t = task(["rust"])
    await d.submit_task(t)
    assert await d.distribute_tasks() == []
    info = d.get_task(t.id)
    assert info.state is TaskState.PENDING
    assert info.reason is not None and "rust" in info.reason
    assert [type(e) for e in seen] == [TaskSubmitted, TaskBlocked]
    assert await d.distribute_tasks() == []
    assert len(seen) == 2  # same reason: not announced again


async def test_higher_priority_first_then_least_loaded() -> None:
    d = TaskDistributor()
    a, b = AgentId.new(), AgentId.new()
    d.register_capabilities(a, ["py"])
    d.register_capabilities(b, ["py"])
    low = task(["py"], TaskPriority.LOW, hours=1, name="low")
    crit = task(["py"], TaskPriority.CRITICAL, hours=5, name="crit")
    med = task(["py"], TaskPriority.MEDIUM, hours=2, name="med")
    for t in (low, crit, med):
        await d.submit_task(t)
    result = [(x.task.description, x.agent_id) for x in await d.distribute_tasks()]
    # crit first → a (tie broken by registration); med → b (0h < 5h); low → b (2h < 5h)
    assert result == [("crit", a), ("med", b), ("low", b)]
    assert d.load_of(a) == 5 * H and d.load_of(b) == 3 * H


async def test_dependencies_hold_a_task_back_until_done() -> None:
    d = TaskDistributor()
    agent = AgentId.new()
    d.register_capabilities(agent, ["x"])
    first = task(["x"], name="first")
    second = task(["x"], TaskPriority.CRITICAL, deps=[first.id], name="second")
    await d.submit_task(second)
    await d.submit_task(first)
    assert [x.task.id for x in await d.distribute_tasks()] == [first.id]
    assert f"waits for task {first.id}" in (d.get_task(second.id).reason or "")
    await d.start_task(first.id)
    assert await d.distribute_tasks() == []
    assert f"waits for task {first.id} (running)" == d.get_task(second.id).reason
    await d.complete_task(first.id, {"ok": True})
    assert [x.task.id for x in await d.distribute_tasks()] == [second.id]


async def test_failed_or_unknown_dependency_keeps_task_pending() -> None:
    d = TaskDistributor()
    agent = AgentId.new()
    d.register_capabilities(agent, ["x"])
    first = task(["x"])
    ghost = TaskId.new()
    await d.submit_task(first)
    waiting = task(["x"], deps=[first.id])
    orphan = task(["x"], deps=[ghost])
    await d.submit_task(waiting)
    await d.submit_task(orphan)
    await d.distribute_tasks()
    await d.fail_task(first.id, "compiler crashed")
    await d.distribute_tasks()
    assert d.get_task(waiting.id).state is TaskState.PENDING
    assert "failed" in (d.get_task(waiting.id).reason or "")
    assert "never submitted" in (d.get_task(orphan.id).reason or "")


async def test_transitions_and_their_errors() -> None:
    d = TaskDistributor()
    seen: list[CoordinationEvent] = []
    d.subscribe(seen.append)
    agent = AgentId.new()
    d.register_capabilities(agent, ["x"])
    t = task(["x"])
    await d.submit_task(t)
    with pytest.raises(TaskStateError, match="pending"):
        await d.complete_task(t.id)
    with pytest.raises(TaskStateError, match="already submitted"):
        await d.submit_task(t)
    await d.distribute_tasks()
    await d.start_task(t.id)
    assert d.list_tasks(TaskState.RUNNING)[0].agent_id == agent
    await d.complete_task(t.id, "merged")
    assert d.get_task(t.id).result == "merged"
    with pytest.raises(TaskStateError, match="done"):
        await d.cancel_task(t.id)
    with pytest.raises(TaskNotFoundError):
        d.get_task(TaskId.new())
    other = task(["x"])
    await d.submit_task(other)
    await d.distribute_tasks()
    await d.fail_task(other.id, "tests red")
    await d.retry_task(other.id)
    await d.cancel_task(other.id, "not needed")
    assert d.get_task(other.id).state is TaskState.CANCELLED
    assert {type(e) for e in seen} >= {
        TaskSubmitted, TaskAssigned, TaskStarted, TaskCompleted, TaskFailed, TaskCancelled,
    }  # fmt: skip


async def test_quiet_agent_never_makes_a_task_done() -> None:
    d = TaskDistributor()
    agent = AgentId.new()
    d.register_capabilities(agent, ["x"])
    t = task(["x"])
    await d.submit_task(t)
    await d.distribute_tasks()
    await d.start_task(t.id)
    for _ in range(3):
        await d.distribute_tasks()
    assert d.get_task(t.id).state is TaskState.RUNNING
    assert d.list_tasks(TaskState.DONE) == []
    # The agent leaving does not make it done either: it goes back to pending.
    assert await d.unregister_agent(agent) == [t.id]
    info = d.get_task(t.id)
    assert info.state is TaskState.PENDING and info.agent_id is None
    assert "left" in (info.reason or "")


async def test_assignments_are_sent_as_task_assignment_messages() -> None:
    bus = MultiAgentSession()
    d = TaskDistributor(bus)
    agent = AgentId.new()
    bus.register_agent(agent)
    d.register_capabilities(agent, ["x"])
    t = task(["x"], TaskPriority.MEDIUM)
    await d.submit_task(t)
    await d.distribute_tasks()
    m = await bus.receive(agent, timeout=5)
    assert m.message_type is MessageType.TASK_ASSIGNMENT
    assert m.from_ == AgentId.system()
    assert m.priority is MessagePriority.NORMAL  # from_task_priority(Medium)
    assert Task.from_json(m.payload) == t
    await d.cancel_task(t.id)
    notice = await bus.receive(agent, timeout=5)
    assert notice.message_type is MessageType.STATUS_UPDATE
    assert notice.payload["status"] == "cancelled"


async def test_failed_send_tries_the_next_agent_then_stays_pending() -> None:
    bus = MultiAgentSession(inbox_capacity=1)
    d = TaskDistributor(bus)
    a, b = AgentId.new(), AgentId.new()
    for agent in (a, b):
        bus.register_agent(agent)
        d.register_capabilities(agent, ["x"])
    await bus.send_message(b, a, bus_msg(b))  # a's inbox is full
    first = task(["x"])
    await d.submit_task(first)
    [assignment] = await d.distribute_tasks()
    assert assignment.agent_id == b  # a was less loaded but could not be told
    second = task(["x"])
    await d.submit_task(second)
    assert await d.distribute_tasks() == []
    info = d.get_task(second.id)
    assert info.state is TaskState.PENDING and "could not send" in (info.reason or "")
    with pytest.raises(InboxFullError):
        await bus.send_message(b, a, bus_msg(b))


def bus_msg(sender: AgentId):  # type: ignore[no-untyped-def]
    from aitui.core.agents import Message

    return Message(from_=sender, message_type=MessageType.STATUS_UPDATE, payload="busy")


def test_message_priority_from_task_priority() -> None:
    f = MessagePriority.from_task_priority
    assert [f(p) for p in TaskPriority] == [
        MessagePriority.LOW, MessagePriority.NORMAL, MessagePriority.HIGH, MessagePriority.CRITICAL,
    ]  # fmt: skip


async def test_concurrent_rounds_never_assign_a_task_twice(tmp_path: Path) -> None:
    bus = await MultiAgentSession.open(tmp_path / "agents.sqlite3")  # sends await commits
    try:
        d = TaskDistributor(bus)
        agents = [AgentId.new() for _ in range(3)]
        for agent in agents:
            bus.register_agent(agent)
            d.register_capabilities(agent, ["x"])
        for _ in range(6):
            await d.submit_task(task(["x"]))
        rounds = await asyncio.gather(*(d.distribute_tasks() for _ in range(3)))
        assigned = [a.task.id for r in rounds for a in r]
        assert len(assigned) == len(set(assigned)) == 6
        assert sum(bus.pending_count(a) for a in agents) == 6  # one message per task
    finally:
        await bus.close()
