"""The task board's rows: who submitted a task, who holds it, how it ended, in what order.

Agents are registered as the dashboard registers recordings (no live session), and act on the
distributor as their tools do: a task an agent submits carries ``submitted_by`` in its metadata.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from aitui.core.agents import Task, TaskId, TaskPriority
from aitui.core.coordination import OUTCOME_LENGTH, Coordination
from aitui.core.coordination_rows import TaskRow
from aitui.core.wire import CoordinationState, decode_server, encode


@pytest.fixture
async def board() -> AsyncIterator[Coordination]:
    coordination = Coordination(time_format=lambda _: "--:--:--")
    for name in ("fe", "be", "qa"):
        coordination.add_agent(name, name, {"fe": "frontend", "be": "backend"}.get(name), None)
    yield coordination
    await coordination.close()


async def submit(
    coordination: Coordination, description: str, needs: str, by: object = None
) -> TaskId:
    """A task needing ``needs``, submitted with ``by`` as its metadata, and distributed."""
    task = Task(description, [needs] if needs else [], TaskPriority.HIGH, metadata=by)
    await coordination.distributor.submit_task(task)
    await coordination.distributor.distribute_tasks()
    return task.id


def row(coordination: Coordination, description: str) -> TaskRow:
    (found,) = [r for r in coordination.task_rows() if r.description == description]
    return found


async def test_a_task_an_agent_submitted_names_it_and_the_agent_that_claimed_it(
    board: Coordination,
) -> None:
    task_id = await submit(board, "add the endpoint", "backend", {"submitted_by": "fe"})
    assigned = row(board, "add the endpoint")
    assert (assigned.state, assigned.agent, assigned.submitted_by) == ("assigned", "be", "fe")
    await board.distributor.start_task(task_id)
    claimed = row(board, "add the endpoint")
    assert (claimed.state, claimed.agent, claimed.submitted_by) == ("running", "be", "fe")
    assert claimed.outcome is None


async def test_a_task_without_a_submitter_in_its_metadata_has_none(board: Coordination) -> None:
    await board.submit("from the dashboard", ["backend"], "Medium")
    await submit(board, "other metadata", "backend", {"ticket": 12})
    await submit(board, "not a mapping", "backend", ["fe"])
    await submit(board, "empty name", "backend", {"submitted_by": ""})
    assert [r.submitted_by for r in board.task_rows()] == [None, None, None, None]


async def test_a_done_task_shows_its_summary_on_one_line(board: Coordination) -> None:
    results = {
        "summary in a dict": {"summary": "12 tests\n  all passing", "files": ["a.py"]},
        "plain text": "merged   into main",
        "no summary": {"files": ["a.py"]},
        "nothing said": None,
        "long": {"summary": "word " * OUTCOME_LENGTH},
    }
    for description, result in results.items():
        task_id = await submit(board, description, "frontend", {"submitted_by": "be"})
        await board.distributor.complete_task(task_id, result)
    outcomes = {r.description: r.outcome for r in board.task_rows()}
    assert outcomes["summary in a dict"] == "12 tests all passing"
    assert outcomes["plain text"] == "merged into main"
    assert outcomes["no summary"] == '{"files":["a.py"]}'
    assert outcomes["nothing said"] is None
    long = outcomes["long"]
    assert long is not None and len(long) == OUTCOME_LENGTH and long.endswith("…")
    assert {r.state for r in board.task_rows()} == {"done"}
    assert {r.agent for r in board.task_rows()} == {"fe"}


async def test_a_failed_task_shows_its_error_and_who_failed_it(board: Coordination) -> None:
    task_id = await submit(board, "update the form", "frontend", {"submitted_by": "be"})
    await board.distributor.fail_task(task_id, "npm install failed:\nregistry unreachable")
    failed = row(board, "update the form")
    assert (failed.state, failed.agent, failed.submitted_by) == ("failed", "fe", "be")
    assert failed.outcome == "npm install failed: registry unreachable"
    assert failed.reason is None  # the error is said once, as the outcome


async def test_live_tasks_come_first_then_the_finished_ones_newest_first(
    board: Coordination,
) -> None:
    ids = {}
    for name in ("old done", "pending", "failed", "claimed", "assigned", "new done"):
        ids[name] = await submit(board, name, "ios" if name == "pending" else "backend")
    await board.distributor.complete_task(ids["old done"], "ok")
    await board.distributor.fail_task(ids["failed"], "no")
    await board.distributor.start_task(ids["claimed"])
    await board.distributor.complete_task(ids["new done"], "ok")
    assert [r.description for r in board.task_rows()] == [
        "claimed", "assigned", "pending", "new done", "failed", "old done",
    ]  # fmt: skip
    # Bounded: every live task, and only the latest finished ones.
    assert [r.description for r in board.task_rows(finished=1)] == [
        "claimed", "assigned", "pending", "new done",
    ]  # fmt: skip


async def test_the_new_fields_cross_the_wire(board: Coordination) -> None:
    task_id = await submit(board, "add the endpoint", "backend", {"submitted_by": "fe"})
    await board.distributor.complete_task(task_id, {"summary": "done, with tests"})
    sent = CoordinationState(board.message_rows(), board.task_rows())
    received = decode_server(encode(sent))
    assert isinstance(received, CoordinationState)
    assert received.tasks == sent.tasks
    assert (received.tasks[0].submitted_by, received.tasks[0].outcome) == (
        "fe",
        "done, with tests",
    )
