"""An agent's own desk: its inbox and the task board, as the agent itself sees and uses them.

What the MCP tools for agents stand on. Every call names the caller by its session key, and
that key comes from the session's token (``SessionHost.agent_caller``), never from what the
agent says: so no call here takes a sender, and an agent cannot speak, read or finish a task
as another.

Delivery is at least once: ``read_inbox`` returns every message the agent holds and has not
acknowledged (taking the queued ones first, so they count as delivered), again on each read,
until ``ack``. An agent that reads, dies and is resumed reads them again; one that acknowledges
never does, even after a restart of the server (the store commits the acknowledgement first).

A task's assignment is also a message (the distributor sends one); claiming the task settles
that message, so the inbox holds what the agent still has to read, not what it already took.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aitui.core.agents import (
    AckError,
    AgentId,
    BroadcastMessage,
    Message,
    MessagePriority,
    MessageType,
    Task,
    TaskId,
    TaskInfo,
    TaskPriority,
    TaskState,
    UnknownAgentError,
)
from aitui.core.errors import AituiError

if TYPE_CHECKING:
    from aitui.core.coordination import Coordination
    from aitui.core.hosting import SessionInfo

#: Most messages one read returns (the rest wait for the next).
MAX_READ = 50


class NotYourTaskError(AituiError):
    """The task is held by another agent (or by none): only its holder reports on it."""


@dataclass(frozen=True)
class Peer:
    name: str
    role: str | None
    capabilities: tuple[str, ...]
    activity: str
    agent: str | None  # the profile it runs, if an agent CLI


@dataclass(frozen=True)
class InboxMessage:
    id: str
    sender: str
    kind: str
    text: str
    priority: str
    sent_at: str
    payload: Any


class AgentDesk:
    """The bus and board through one agent's eyes; ``sessions`` gives every session's row."""

    def __init__(self, coordination: Coordination, sessions: list[SessionInfo]) -> None:
        self.coordination = coordination
        self._sessions = {info.name: info for info in sessions}

    # -- who -------------------------------------------------------------------------------
    def agent_id(self, name: str) -> AgentId:
        agent_id = AgentId.for_name(name)
        if agent_id not in self.coordination.coordinator.agent_ids():
            raise UnknownAgentError(f"no agent named {name!r} is here")
        return agent_id

    def peer(self, name: str) -> Peer:
        info = self._sessions.get(name)
        caps = self.coordination.distributor.capabilities(AgentId.for_name(name))
        return Peer(
            name=name,
            role=info.role if info is not None else None,
            capabilities=tuple(sorted(caps)),
            activity=info.activity.value if info is not None else "gone",
            agent=info.agent if info is not None else None,
        )

    def peers(self, me: str) -> list[Peer]:
        coordination = self.coordination
        names = [coordination.name(a) for a in coordination.coordinator.agent_ids()]
        names = [name for name in names if name != me]
        return [self.peer(name) for name in sorted(names)]

    # -- messages --------------------------------------------------------------------------
    async def send(self, me: str, to: str, text: str, priority: str = "Normal") -> str:
        sender, recipient = self.agent_id(me), self.agent_id(to)
        message = Message(
            from_=sender,
            message_type=MessageType.DATA_SHARE,
            payload={"text": text},
            priority=MessagePriority(priority),
        )
        await self.coordination.coordinator.send_message(sender, recipient, message)
        return str(message.id)

    async def broadcast(self, me: str, text: str, priority: str = "Normal") -> list[str]:
        sender = self.agent_id(me)
        message = BroadcastMessage(sender, text, MessagePriority(priority))
        recipients = await self.coordination.coordinator.broadcast(sender, message)
        return [self.coordination.name(r) for r in recipients]

    def read_inbox(self, me: str, limit: int = MAX_READ) -> list[InboxMessage]:
        """Every unacknowledged message, oldest delivered first (see the module's note)."""
        agent_id = self.agent_id(me)
        self._deliver_queued(agent_id)
        held = [r for r in self.coordination.coordinator.held(agent_id) if r.state == "delivered"]
        return [self._inbox_message(r.message) for r in held[: max(1, min(limit, MAX_READ))]]

    def _deliver_queued(self, agent_id: AgentId) -> None:
        """Queued → delivered: the agent has now been handed them (and owes an ack)."""
        while self.coordination.coordinator.try_receive(agent_id) is not None:
            pass

    def _inbox_message(self, message: Message) -> InboxMessage:
        return InboxMessage(
            id=str(message.id),
            sender=self.coordination.name(message.from_),
            kind=message.message_type.value,
            text=message_text(message),
            priority=message.priority.value,
            sent_at=message.timestamp.isoformat(),
            payload=message.payload,
        )

    async def ack(self, me: str, message_id: str) -> None:
        agent_id = self.agent_id(me)
        # The bus's own refusal names the agent by its uuid and an id that is not one as
        # all zeros: the agent is told in the words it used.
        refusal = AckError(
            f"{message_id!r} is no message in the inbox of {me} (read_inbox lists them)"
        )
        try:
            key = uuid.UUID(message_id)
        except ValueError:
            raise refusal from None
        try:
            await self.coordination.coordinator.ack(agent_id, key)
        except AckError:
            raise refusal from None

    # -- tasks -----------------------------------------------------------------------------
    async def submit(
        self, me: str, description: str, requirements: list[str], priority: str = "Medium"
    ) -> TaskInfo:
        self.agent_id(me)
        task = Task(
            description,
            requirements,
            TaskPriority(priority),
            metadata={"submitted_by": me},
        )
        distributor = self.coordination.distributor
        await distributor.submit_task(task)
        await distributor.distribute_tasks()
        return distributor.get_task(task.id)

    async def claim(self, me: str) -> TaskInfo | None:
        """Start the next task given to this agent (highest priority, oldest first); ``None``
        when it has none. One it already started and did not finish comes first: an agent
        resumed after a crash gets back to it."""
        agent_id = self.agent_id(me)
        distributor = self.coordination.distributor
        await distributor.distribute_tasks()
        mine = [i for i in distributor.list_tasks() if i.agent_id == agent_id]
        running = [i for i in mine if i.state is TaskState.RUNNING]
        if running:
            return running[0]
        assigned = [i for i in mine if i.state is TaskState.ASSIGNED]
        if not assigned:
            return None
        chosen = min(assigned, key=lambda i: -i.task.priority.rank)
        await distributor.start_task(chosen.task.id)
        await self._settle_assignment(agent_id, chosen.task.id)
        return distributor.get_task(chosen.task.id)

    async def _settle_assignment(self, agent_id: AgentId, task_id: TaskId) -> None:
        coordinator = self.coordination.coordinator
        self._deliver_queued(agent_id)
        for record in coordinator.held(agent_id):
            message = record.message
            is_it = isinstance(message.payload, dict) and message.payload.get("id") == str(task_id)
            if message.message_type is MessageType.TASK_ASSIGNMENT and is_it:
                await coordinator.ack(agent_id, message.id)

    async def finish(self, me: str, task_id: str, ok: bool, summary: str) -> TaskInfo:
        """Report a task this agent holds as done (``ok``) or failed, with a summary."""
        agent_id = self.agent_id(me)
        distributor = self.coordination.distributor
        try:
            key = TaskId.parse_str(task_id)
        except ValueError:
            raise NotYourTaskError(f"no task {task_id!r}") from None
        info = distributor.get_task(key)
        if info.agent_id != agent_id:
            holder = self.coordination.name(info.agent_id) if info.agent_id else "nobody"
            raise NotYourTaskError(f"task {task_id} is held by {holder}, not by {me}")
        if ok:
            await distributor.complete_task(key, {"summary": summary})
        else:
            await distributor.fail_task(key, summary)
        await distributor.distribute_tasks()  # its dependants may go now
        return distributor.get_task(key)


def message_text(message: Message) -> str:
    """What a message says, for a person or an agent: a broadcast's content, a task's
    description ("task: ..."), else its text, else its JSON payload."""
    payload = message.payload
    if isinstance(payload, dict):
        if message.message_type is MessageType.TASK_ASSIGNMENT:
            return f"task assigned to you: {payload.get('description', '')} (claim_task takes it)"
        for key in ("text", "content", "description", "message"):
            if isinstance(payload.get(key), str):
                return str(payload[key])
    if isinstance(payload, str):
        return payload
    return json.dumps(payload, ensure_ascii=False)
