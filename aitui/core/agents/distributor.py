"""``TaskDistributor``: matches tasks to agents by capability, priority and load.

Rules of ``distribute_tasks`` (property-tested in ``tests/agents/test_distributor_props.py``):

1. An agent gets a task only if it has *every* required capability.
2. Pending tasks are considered highest priority first, then in submission order.
3. Among capable agents the least loaded wins; load = estimated effort of the tasks it holds
   (assigned or running), including those given earlier in the same round. Ties go to the agent
   registered first, so the outcome is deterministic.
4. A task waits while any dependency is not done; a task no agent can take stays pending.
   Either way ``TaskInfo.reason`` says why, and a ``TaskBlocked`` event announces it.

With a coordinator, each assignment is sent to the agent as a ``TaskAssignment`` message; if that
send fails (inbox full, agent not on the bus) the next capable agent is tried, and failing all,
the task stays pending with the error as its reason.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aitui.core.agents import store as db
from aitui.core.agents.errors import CoordinationError, TaskNotFoundError, TaskStateError
from aitui.core.agents.events import (
    CoordinationEvent,
    CoordinationListeners,
    TaskAssigned,
    TaskBlocked,
    TaskCancelled,
    TaskCompleted,
    TaskFailed,
    TaskStarted,
    TaskSubmitted,
)
from aitui.core.agents.ids import AgentId, TaskId
from aitui.core.agents.messages import Message, MessagePriority, MessageType, check_json
from aitui.core.agents.tasks import Assignment, Task, TaskInfo, TaskState

if TYPE_CHECKING:
    import sqlite3
    import uuid

    from aitui.core.agents.bus import MessageBus

log = logging.getLogger(__name__)
_S = TaskState


class TaskDistributor:
    """Tasks and agent capabilities. Pass the coordinator to send assignments and share its
    observers and store; without one it is a pure in-memory scheduler."""

    def __init__(
        self, coordinator: MessageBus | None = None, *, store: db.Store | None = None
    ) -> None:
        self.coordinator = coordinator
        self.store = store if store is not None or coordinator is None else coordinator.store
        self.events = coordinator.events if coordinator is not None else CoordinationListeners()
        self._capabilities: dict[AgentId, frozenset[str]] = {}
        self._tasks: dict[TaskId, TaskInfo] = {}
        self._seq: dict[TaskId, int] = {}
        self._counter = itertools.count(1)
        #: One distribution round at a time: two concurrent rounds would both see a task pending.
        self._round = asyncio.Lock()

    async def load(self) -> None:
        """Read the tasks persisted by an earlier run (states as they were)."""
        if self.store is None:
            return
        for row in await self.store.run(db.load_tasks):
            info = TaskInfo.from_row(row)
            self._tasks[info.task.id] = info
            self._seq[info.task.id] = row["seq"]
        self._counter = itertools.count(max(self._seq.values(), default=0) + 1)

    def subscribe(self, callback: Callable[[CoordinationEvent], None]) -> Callable[[], None]:
        return self.events.subscribe(callback)

    # -- agents -------------------------------------------------------------------------------
    def register_capabilities(self, agent_id: AgentId, capabilities: Iterable[str]) -> None:
        """Set (replace) what the agent can do."""
        self._capabilities[agent_id] = frozenset(capabilities)

    def capabilities(self, agent_id: AgentId) -> frozenset[str]:
        return self._capabilities.get(agent_id, frozenset())

    async def unregister_agent(self, agent_id: AgentId) -> list[TaskId]:
        """Forget the agent; tasks it held go back to pending (they are not done)."""
        self._capabilities.pop(agent_id, None)
        back = [i for i in self._tasks.values() if i.agent_id == agent_id and i.state.in_hand]
        reason = f"agent {agent_id} left before finishing it"
        await self._save(
            *(self._set(i.task.id, _S.PENDING, agent_id=None, reason=reason) for i in back)
        )
        for info in back:
            self.events.emit(TaskBlocked(task_id=info.task.id, reason=reason))
        return [i.task.id for i in back]

    def load_of(self, agent_id: AgentId) -> timedelta:
        return sum(
            (i.task.estimated_effort for i in self._tasks.values()
             if i.agent_id == agent_id and i.state.in_hand),
            timedelta(0),
        )  # fmt: skip

    # -- queries ------------------------------------------------------------------------------
    def get_task(self, task_id: TaskId) -> TaskInfo:
        info = self._tasks.get(task_id)
        if info is None:
            raise TaskNotFoundError(f"no task {task_id}")
        return info

    def list_tasks(self, state: TaskState | None = None) -> list[TaskInfo]:
        """Tasks in submission order, optionally only those in ``state``."""
        return [i for i in self._tasks.values() if state is None or i.state is state]

    # -- life cycle ---------------------------------------------------------------------------
    async def submit_task(self, task: Task) -> TaskId:
        if task.id in self._tasks:
            raise TaskStateError(f"task {task.id} was already submitted")
        self._seq[task.id] = next(self._counter)
        self._tasks[task.id] = TaskInfo(task, _S.PENDING, reason="not distributed yet")
        await self._save(self._tasks[task.id])
        self.events.emit(TaskSubmitted(task=task))
        return task.id

    async def distribute_tasks(self) -> list[Assignment]:
        """Assign every pending task that can be assigned now (see the module's rules)."""
        async with self._round:
            return await self._distribute()

    async def _distribute(self) -> list[Assignment]:
        loads = {a: self.load_of(a) for a in self._capabilities}
        pending = sorted(
            (i for i in self._tasks.values() if i.state is _S.PENDING),
            key=lambda i: (-i.task.priority.rank, self._seq[i.task.id]),
        )
        assignments: list[Assignment] = []
        for info in pending:
            task = info.task
            reason = self._dependency_reason(task)
            capable = [
                a for a, caps in self._capabilities.items() if caps >= set(task.requirements)
            ]
            if reason is None and not capable:
                reason = (
                    "no agent has every required capability: " + ", ".join(task.requirements)
                    if self._capabilities
                    else "no agent to give it to yet"
                )
            chosen: AgentId | None = None
            message_id: uuid.UUID | None = None
            for agent_id in sorted(capable, key=lambda a: loads[a]) if reason is None else []:
                try:
                    message_id = await self._send_assignment(task, agent_id)
                except CoordinationError as exc:
                    reason = f"could not send the assignment to agent {agent_id}: {exc}"
                    continue
                chosen, reason = agent_id, None
                break
            if self._tasks[task.id].state is not _S.PENDING:  # cancelled while we sent
                continue
            if chosen is None:
                assert reason is not None
                if reason != info.reason:
                    await self._save(self._set(task.id, _S.PENDING, reason=reason))
                    self.events.emit(TaskBlocked(task_id=task.id, reason=reason))
                continue
            loads[chosen] += task.estimated_effort
            await self._save(self._set(task.id, _S.ASSIGNED, agent_id=chosen, reason=None))
            assignments.append(Assignment(task, chosen))
            self.events.emit(TaskAssigned(task_id=task.id, agent_id=chosen, message_id=message_id))
        return assignments

    def _dependency_reason(self, task: Task) -> str | None:
        for dep in task.dependencies:
            info = self._tasks.get(dep)
            if info is None:
                return f"waits for task {dep}, which was never submitted"
            if info.state is not _S.DONE:
                return f"waits for task {dep} ({info.state.value})"
        return None

    async def _send_assignment(self, task: Task, agent_id: AgentId) -> uuid.UUID | None:
        if self.coordinator is None:
            return None
        message = Message(
            from_=AgentId.system(),
            message_type=MessageType.TASK_ASSIGNMENT,
            payload=task.to_json(),
            priority=MessagePriority.from_task_priority(task.priority),
        )
        await self.coordinator.send_message(AgentId.system(), agent_id, message)
        return message.id

    async def start_task(self, task_id: TaskId) -> None:
        """The agent began working on it: assigned → running."""
        info = self._require(task_id, _S.ASSIGNED)
        assert info.agent_id is not None
        await self._save(self._set(task_id, _S.RUNNING))
        self.events.emit(TaskStarted(task_id=task_id, agent_id=info.agent_id))

    async def complete_task(self, task_id: TaskId, result: Any = None) -> None:
        """assigned/running → done (the only way a task becomes done)."""
        check_json(result, "result of task ", task_id)
        info = self._require(task_id, _S.ASSIGNED, _S.RUNNING)
        assert info.agent_id is not None
        await self._save(self._set(task_id, _S.DONE, result=result))
        self.events.emit(TaskCompleted(task_id=task_id, agent_id=info.agent_id, result=result))

    async def fail_task(self, task_id: TaskId, error: str) -> None:
        info = self._require(task_id, _S.ASSIGNED, _S.RUNNING)
        assert info.agent_id is not None
        await self._save(self._set(task_id, _S.FAILED, error=error))
        self.events.emit(TaskFailed(task_id=task_id, agent_id=info.agent_id, error=error))

    async def cancel_task(self, task_id: TaskId, reason: str = "cancelled") -> None:
        """Any unfinished task may be cancelled; its agent (if any) is told by a StatusUpdate."""
        info = self._require(task_id, _S.PENDING, _S.ASSIGNED, _S.RUNNING)
        await self._save(self._set(task_id, _S.CANCELLED, reason=reason))
        self.events.emit(TaskCancelled(task_id=task_id, reason=reason))
        if info.agent_id is not None and self.coordinator is not None:
            notice = Message(
                from_=AgentId.system(),
                message_type=MessageType.STATUS_UPDATE,
                payload={"task_id": str(task_id), "status": "cancelled", "reason": reason},
                priority=MessagePriority.HIGH,
            )
            try:
                await self.coordinator.send_message(AgentId.system(), info.agent_id, notice)
            except CoordinationError as exc:  # the task is cancelled either way
                log.warning("could not tell agent %s that task %s is cancelled: %s",
                            info.agent_id, task_id, exc)  # fmt: skip

    async def retry_task(self, task_id: TaskId) -> None:
        """failed/cancelled → pending, to be distributed again."""
        self._require(task_id, _S.FAILED, _S.CANCELLED)
        reason = "retried; not distributed yet"
        await self._save(self._set(task_id, _S.PENDING, agent_id=None, reason=reason, error=None))
        self.events.emit(TaskBlocked(task_id=task_id, reason=reason))

    # -- internals ----------------------------------------------------------------------------
    def _require(self, task_id: TaskId, *states: TaskState) -> TaskInfo:
        info = self.get_task(task_id)
        if info.state not in states:
            allowed = ", ".join(s.value for s in states)
            raise TaskStateError(f"task {task_id} is {info.state.value}; expected {allowed}")
        return info

    def _set(self, task_id: TaskId, state: TaskState, **changes: Any) -> TaskInfo:
        info = dataclasses.replace(self._tasks[task_id], state=state, **changes)
        self._tasks[task_id] = info
        return info

    async def _save(self, *infos: TaskInfo) -> None:
        if self.store is None or not infos:
            return
        ops = [db.save_task(i.to_row(self._seq[i.task.id])) for i in infos]

        def run_all(conn: sqlite3.Connection) -> None:
            for op in ops:
                op(conn)

        await self.store.run(run_all)
