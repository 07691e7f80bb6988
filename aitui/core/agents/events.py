"""Observer events of the coordination layer, and the hub that fans them out.

The dashboard's panels and the HTTP API subscribe here; they get plain frozen dataclasses and
never reach into the bus or the distributor. Callbacks run synchronously on the event loop, so
they must be quick (a panel posts a message to itself); a failing callback is logged and the
others still run, because one broken observer must not break message delivery.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aitui.core.agents.ids import AgentId, TaskId
from aitui.core.listeners import Listeners

if TYPE_CHECKING:
    from aitui.core.agents.messages import BroadcastMessage, Message
    from aitui.core.agents.tasks import Task

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class CoordinationEvent:
    at: datetime = field(default_factory=_now)


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentRegistered(CoordinationEvent):
    agent_id: AgentId
    session_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentUnregistered(CoordinationEvent):
    agent_id: AgentId
    #: Unacknowledged messages kept for the agent (redelivered if it registers again).
    parked: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageSent(CoordinationEvent):
    message: Message
    to: AgentId


@dataclass(frozen=True, slots=True, kw_only=True)
class BroadcastSent(CoordinationEvent):
    broadcast: BroadcastMessage
    recipients: tuple[AgentId, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageDelivered(CoordinationEvent):
    message_id: uuid.UUID
    to: AgentId
    #: ``"inbox"`` (taken by ``receive``) or ``"terminal"`` (typed into the agent's session).
    via: str = "inbox"


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageAcknowledged(CoordinationEvent):
    message_id: uuid.UUID
    to: AgentId


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskSubmitted(CoordinationEvent):
    task: Task


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskBlocked(CoordinationEvent):
    """The task stays pending; ``reason`` says why (no capable agent, dependencies...)."""

    task_id: TaskId
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskAssigned(CoordinationEvent):
    task_id: TaskId
    agent_id: AgentId
    #: Id of the TaskAssignment message sent to the agent (None without a coordinator).
    message_id: uuid.UUID | None


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskStarted(CoordinationEvent):
    task_id: TaskId
    agent_id: AgentId


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskCompleted(CoordinationEvent):
    task_id: TaskId
    agent_id: AgentId
    result: Any


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskFailed(CoordinationEvent):
    task_id: TaskId
    agent_id: AgentId
    error: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskCancelled(CoordinationEvent):
    task_id: TaskId
    reason: str


Observer = Callable[[CoordinationEvent], None]


#: Coordination events go to observers through the one ``Listeners`` type.
CoordinationListeners = Listeners[CoordinationEvent]
