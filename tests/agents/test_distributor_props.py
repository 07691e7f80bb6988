"""Property tests of the assignment rules (issue 6, item 3), on random agents and tasks.

Each round is checked against a model computed from the state *before* the round:
capability, dependency, priority order, least-loaded choice (ties: first registered), every
assignable task assigned, pending tasks explained, and nothing ``done`` without complete_task.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.agents import AgentId, Task, TaskDistributor, TaskPriority, TaskState
from aitui.core.agents.ids import TaskId

CAPS = ["rust", "react", "testing", "sql"]
caps_st = st.lists(st.sampled_from(CAPS), unique=True, max_size=4)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[list[str]], list[Task], list[list[int]]]:
    agents = draw(st.lists(caps_st, min_size=0, max_size=5))
    tasks: list[Task] = []
    for i in range(draw(st.integers(0, 14))):
        deps = draw(st.lists(st.integers(0, i - 1), unique=True, max_size=2)) if i else []
        ghost = [TaskId.new()] if draw(st.integers(0, 9)) == 0 else []
        tasks.append(
            Task(
                description=f"task {i}",
                requirements=draw(st.lists(st.sampled_from(CAPS), unique=True, max_size=3)),
                priority=draw(st.sampled_from(list(TaskPriority))),
                estimated_effort=timedelta(minutes=draw(st.integers(0, 600))),
                dependencies=[tasks[d].id for d in deps] + ghost,
            )
        )
    # Between rounds, complete (or fail, when the index is odd) some of the assigned tasks.
    finishes = draw(st.lists(st.lists(st.integers(0, 20), max_size=6), min_size=1, max_size=4))
    return agents, tasks, finishes


def check_round(d: TaskDistributor, order: list[AgentId], before: dict[TaskId, TaskState],
                loads: dict[AgentId, timedelta], assignments: list[object]) -> None:  # fmt: skip
    seq = {info.task.id: i for i, info in enumerate(d.list_tasks())}
    infos = {info.task.id: info for info in d.list_tasks()}
    caps = {a: d.capabilities(a) for a in order}
    loads = dict(loads)
    keys = []
    for assignment in assignments:
        t, agent = assignment.task, assignment.agent_id  # type: ignore[attr-defined]
        assert before[t.id] is TaskState.PENDING
        assert caps[agent] >= set(t.requirements), "assigned without every capability"
        assert all(before.get(dep) is TaskState.DONE for dep in t.dependencies)
        capable = [a for a in order if caps[a] >= set(t.requirements)]
        best = min(loads[a] for a in capable)
        assert loads[agent] == best, "not the least loaded capable agent"
        assert agent == next(a for a in capable if loads[a] == best), "tie not by registration"
        loads[agent] += t.estimated_effort
        keys.append((-t.priority.rank, seq[t.id]))
        assert infos[t.id].state is TaskState.ASSIGNED and infos[t.id].agent_id == agent
    assert keys == sorted(keys), "not highest priority first, then submission order"
    assigned = {a.task.id for a in assignments}  # type: ignore[attr-defined]
    for task_id, info in infos.items():
        if task_id in assigned:
            continue
        assert info.state is before[task_id], "a task changed state without being assigned"
        if info.state is TaskState.PENDING:
            deps_done = all(before.get(dep) is TaskState.DONE for dep in info.task.dependencies)
            anyone = any(caps[a] >= set(info.task.requirements) for a in order)
            assert not (deps_done and anyone), "an assignable task was left pending"
            assert info.reason, "a pending task has no reason"


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_assignment_rules(scenario: tuple[list[list[str]], list[Task], list[list[int]]]) -> None:
    agent_caps, tasks, finishes = scenario

    async def run() -> None:
        d = TaskDistributor()
        order = [AgentId.new() for _ in agent_caps]
        for agent, caps in zip(order, agent_caps, strict=True):
            d.register_capabilities(agent, caps)
        for t in tasks:
            await d.submit_task(t)
        completed: set[TaskId] = set()
        for finish in finishes:
            before = {i.task.id: i.state for i in d.list_tasks()}
            loads = {a: d.load_of(a) for a in order}
            check_round(d, order, before, loads, list(await d.distribute_tasks()))
            in_hand = [i.task.id for i in d.list_tasks() if i.state is TaskState.ASSIGNED]
            for k in finish:
                if k < len(in_hand) and d.get_task(in_hand[k]).state is TaskState.ASSIGNED:
                    if k % 2:
                        await d.fail_task(in_hand[k], "failed")
                    else:
                        await d.complete_task(in_hand[k])
                        completed.add(in_hand[k])
            done = {i.task.id for i in d.list_tasks(TaskState.DONE)}
            assert done == completed, "done without complete_task"

    asyncio.run(run())
