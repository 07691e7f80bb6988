"""The dashboard's side of multi-agent coordination: sessions as agents, and plain rows for the
agent-messages and task-queue panels (their values: ``aitui.core.coordination_rows``).

Every live session becomes an agent (its role is its capability), so tasks submitted from the
dashboard are assigned to sessions by the distributor's rules, and a session that joins is given
the pending tasks it can take. Rows are built from the coordinator's own state (recent messages,
the task list), never kept in parallel.

``Coordination.open(path)`` persists messages and tasks (``aitui`` does, in the user's data dir):
a session is an agent by name (``AgentId.for_name``), so after a restart the session of the same
name gets back its unacknowledged messages and the tasks it held.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from aitui.core.agents import (
    AgentId,
    BroadcastMessage,
    MessagePriority,
    MessageRecord,
    MultiAgentSession,
    Task,
    TaskDistributor,
    TaskInfo,
    TaskPriority,
    TaskState,
    open_persistent,
)
from aitui.core.coordination_rows import MessageRow, TaskRow

if TYPE_CHECKING:
    from aitui.core.session import AISession

TimeFormat = Callable[[datetime], str]


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M:%S")


def payload_text(payload: object) -> str:
    """A message's words: a broadcast's content, a task's description, else compact JSON."""
    if isinstance(payload, dict):
        for key in ("content", "description", "text", "message"):
            value = payload.get(key)
            if isinstance(value, str) and value:
                return " ".join(value.split())
    if isinstance(payload, str):
        return " ".join(payload.split())
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


#: Characters of a task's outcome (a done task's summary, a failed one's error) kept in its row.
OUTCOME_LENGTH = 200


def submitter(metadata: object) -> str | None:
    """Who submitted a task: an agent's tools put its session name in the metadata."""
    if isinstance(metadata, dict):
        name = metadata.get("submitted_by")
        if isinstance(name, str) and name:
            return name
    return None


def outcome(info: TaskInfo) -> str | None:
    """A finished task's result in a line: the summary a done task reported (its result's
    ``summary``, or the result itself when it is text, else its JSON), a failed task's error."""
    if info.state is TaskState.FAILED:
        text = info.error
    elif info.state is TaskState.DONE and info.result is not None:
        result = info.result
        if isinstance(result, dict) and isinstance(result.get("summary"), str):
            result = result["summary"]
        text = payload_text(result)
    else:
        return None
    if not text:
        return None
    line = " ".join(text.split())
    return line if len(line) <= OUTCOME_LENGTH else line[: OUTCOME_LENGTH - 1] + "…"


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
        self._working: set[AgentId] = set()  # agents that can be given tasks now

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
        # Registered even without a role: a task that needs no capability goes to any session.
        self.distributor.register_capabilities(agent_id, [role] if role else [])
        self._names[agent_id] = name
        self._agents[key] = agent_id
        self._working.add(agent_id)
        return agent_id

    async def add_session(self, session: AISession) -> AgentId:
        """Make a started session an agent and give it the pending tasks it can take."""
        agent_id = self.add_agent(str(session.id), session.name, session.config.agent_role, session)
        await self.coordinator.remember_name(agent_id, session.name)
        await self.distributor.distribute_tasks()
        return agent_id

    async def session_exited(self, session: AISession) -> None:
        """Its program is gone: nothing more may be given to it, and the tasks it held go back
        to pending, to whichever session can take them (its messages stay on the bus until
        the session is removed or restarted)."""
        agent_id = self._agents.get(str(session.id))
        if agent_id is None or agent_id not in self._working:
            return
        self._working.discard(agent_id)
        await self.distributor.unregister_agent(agent_id)
        await self.distributor.distribute_tasks()

    async def remove_session(self, session: AISession) -> None:
        agent_id = self._agents.pop(str(session.id), None)
        if agent_id is not None:
            self._working.discard(agent_id)
            await self.coordinator.unregister_agent(agent_id)
            await self.distributor.unregister_agent(agent_id)

    def name(self, agent_id: AgentId | None) -> str:
        if agent_id is None:
            return "—"
        name = self._names.get(agent_id) or self.coordinator.known_names.get(agent_id)
        return name if name is not None else str(agent_id)[:8]

    def agent_named(self, name: str) -> AgentId | None:
        """The agent of the session called ``name`` here, if there is one."""
        return next((a for a in self._agents.values() if self._names.get(a) == name), None)

    async def submit(self, description: str, requirements: list[str], priority: str) -> None:
        task = Task(description, requirements, TaskPriority(priority))
        await self.distributor.submit_task(task)
        await self.distributor.distribute_tasks()

    async def broadcast(self, text: str, priority: str) -> int:
        message = BroadcastMessage(AgentId.system(), text, MessagePriority(priority))
        return len(await self.coordinator.broadcast(AgentId.system(), message))

    def message_rows(self, limit: int = 200) -> list[MessageRow]:
        """One row per message, newest last: a broadcast's copies (one per recipient) are one
        row naming them all, with its text; its state sums up theirs ("2 read, 1 sent")."""
        groups: dict[object, list[MessageRecord]] = {}
        for record in self.coordinator.recent_messages(limit):
            groups.setdefault(record.message.id, []).append(record)
        rows = []
        for records in groups.values():
            message = records[0].message
            names = [self.name(r.to) for r in records]
            states = Counter(r.state for r in records)
            rows.append(
                MessageRow(
                    key=str(message.id),
                    time=self.time_format(message.timestamp),
                    sender=self.name(message.from_),
                    recipient=names[0] if len(names) == 1 else f"{len(names)} agents",
                    recipients=tuple(names),
                    kind=str(message.message_type.value),
                    priority=str(message.priority.value),
                    state=", ".join(f"{n} {s}" for s, n in states.items())
                    if len(records) > 1
                    else records[0].state,
                    text=payload_text(message.payload),
                    payload=message.payload,
                )
            )
        return rows

    def task_rows(self, finished: int = 50) -> list[TaskRow]:
        """Live tasks first (claimed, assigned, pending; oldest first, as they were
        submitted), then the last ``finished`` finished ones (done, failed, cancelled), newest
        first: what was just done stays on the board, and the board stays bounded however many
        tasks have ended (they are all still in the distributor, and the store)."""
        order = [TaskState.RUNNING, TaskState.ASSIGNED, TaskState.PENDING]
        infos = self.distributor.list_tasks()
        live = sorted(
            (i for i in infos if not i.state.finished), key=lambda i: order.index(i.state)
        )
        ended = [i for i in reversed(infos) if i.state.finished][:finished]
        return [self._task_row(info) for info in live + ended]

    def _task_row(self, info: TaskInfo) -> TaskRow:
        """A task held by an agent that is not here (restored after a restart, its session
        not started again) is shown as orphaned, with what will happen to it."""
        agent = self.name(info.agent_id) if info.agent_id else None
        reason = info.reason
        state = info.state.value
        if info.agent_id is not None and info.state.in_hand and info.agent_id not in self._working:
            state = "orphaned"
            reason = (
                f"{agent} is not running: a session named {agent} takes it back when started, "
                "or cancel it"
            )
        return TaskRow(
            description=info.task.description,
            state=state,
            agent=agent,
            priority=info.task.priority.value,
            reason=reason,
            submitted_by=submitter(info.task.metadata),
            outcome=outcome(info),
        )
