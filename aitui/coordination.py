"""The dashboard's side of multi-agent coordination: sessions as agents, and plain rows for the
agent-messages and task-queue panels.

Every live session becomes an agent (its role is its capability), so tasks submitted from the
dashboard are assigned to sessions by the distributor's rules, and a session that joins is given
the pending tasks it can take. Rows are built from the coordinator's own state (recent messages,
the task list), never kept in parallel.

``Coordination.open(path)`` persists messages and tasks (``aitui`` does, in the user's data dir):
a session is an agent by name (``AgentId.for_name``), so after a restart the session of the same
name gets back its unacknowledged messages and the tasks it held.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from aitui.core.agents import (
    AgentId,
    BroadcastMessage,
    MessagePriority,
    MultiAgentSession,
    Task,
    TaskDistributor,
    TaskPriority,
    TaskState,
    open_persistent,
)
from aitui.core.session import AISession

TimeFormat = Callable[[datetime], str]


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M:%S")


@dataclass(frozen=True)
class MessageRow:
    key: str
    time: str
    sender: str
    recipient: str
    kind: str
    priority: str
    state: str
    payload: object


@dataclass(frozen=True)
class TaskRow:
    description: str
    state: str
    agent: str | None
    priority: str
    reason: str | None


class Coordination:
    def __init__(
        self,
        coordinator: MultiAgentSession | None = None,
        distributor: TaskDistributor | None = None,
        time_format: TimeFormat = local_time,
    ) -> None:
        self.coordinator = coordinator or MultiAgentSession()
        self.distributor = distributor or TaskDistributor(self.coordinator)
        self.time_format = time_format
        self._names: dict[AgentId, str] = {AgentId.system(): "dashboard"}
        self._agents: dict[str, AgentId] = {}  # session id -> agent id

    @classmethod
    async def open(
        cls, path: Path | None = None, time_format: TimeFormat = local_time
    ) -> Coordination:
        """Persisted in the SQLite file ``path`` (default: the user data dir), restored;
        ``StoreError`` (naming the holder) if another aitui process has it."""
        coordinator, distributor = await open_persistent(path)
        return cls(coordinator, distributor, time_format)

    async def close(self) -> None:
        """Close the store, if any (every change is already committed when it happens)."""
        await self.coordinator.close()

    def add_agent(
        self, key: str, name: str, role: str | None, session: AISession | None
    ) -> AgentId:
        """Register a session (live, or a recording with ``session=None``) as an agent whose
        capability is its role. A live session's id comes from its name (the same after a
        restart); a recording's is new each time (nothing persisted is meant for a replay)."""
        agent_id = AgentId.for_name(name) if session is not None else AgentId.new()
        self.coordinator.register_agent(agent_id, session)
        if role:
            self.distributor.register_capabilities(agent_id, [role])
        self._names[agent_id] = name
        self._agents[key] = agent_id
        return agent_id

    async def add_session(self, session: AISession) -> AgentId:
        """Make a started session an agent and give it the pending tasks it can take."""
        agent_id = self.add_agent(str(session.id), session.name, session.config.agent_role, session)
        await self.coordinator.remember_name(agent_id, session.name)
        await self.distributor.distribute_tasks()
        return agent_id

    async def remove_session(self, session: AISession) -> None:
        agent_id = self._agents.pop(str(session.id), None)
        if agent_id is not None:
            await self.coordinator.unregister_agent(agent_id)
            await self.distributor.unregister_agent(agent_id)

    def name(self, agent_id: AgentId | None) -> str:
        if agent_id is None:
            return "—"
        name = self._names.get(agent_id) or self.coordinator.known_names.get(agent_id)
        return name if name is not None else str(agent_id)[:8]

    async def submit(self, description: str, requirements: list[str], priority: str) -> None:
        task = Task(description, requirements, TaskPriority(priority))
        await self.distributor.submit_task(task)
        await self.distributor.distribute_tasks()

    async def broadcast(self, text: str, priority: str) -> int:
        message = BroadcastMessage(AgentId.system(), text, MessagePriority(priority))
        return len(await self.coordinator.broadcast(AgentId.system(), message))

    def message_rows(self, limit: int = 200) -> list[MessageRow]:
        rows = []
        for record in self.coordinator.recent_messages(limit):
            message = record.message
            rows.append(
                MessageRow(
                    key=f"{message.id}:{record.to}",
                    time=self.time_format(message.timestamp),
                    sender=self.name(message.from_),
                    recipient=self.name(record.to),
                    kind=str(message.message_type.value),
                    priority=str(message.priority.value),
                    state=record.state,
                    payload=message.payload,
                )
            )
        return rows

    def task_rows(self) -> list[TaskRow]:
        order = [TaskState.RUNNING, TaskState.ASSIGNED, TaskState.PENDING]
        infos = sorted(
            self.distributor.list_tasks(),
            key=lambda i: order.index(i.state) if i.state in order else len(order),
        )
        return [
            TaskRow(
                description=info.task.description,
                state=info.state.value,
                agent=self.name(info.agent_id) if info.agent_id else None,
                priority=info.task.priority.value,
                reason=info.reason or info.error,
            )
            for info in infos
        ]
