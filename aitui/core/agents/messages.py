"""Messages agents exchange: direct ``Message`` and ``BroadcastMessage``, mirroring the reference.

Payloads must be JSON (checked when the message is built) because messages are persisted and
served over the HTTP API; failing at construction points at the caller, not at a later write.
Python cannot name a field ``from``, so the sender is ``from_``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from aitui.core.agents.errors import MessageError
from aitui.core.agents.ids import AgentId

if TYPE_CHECKING:
    from aitui.core.agents.tasks import TaskPriority


class MessageType(StrEnum):
    TASK_REQUEST = "TaskRequest"
    TASK_ASSIGNMENT = "TaskAssignment"
    TASK_RESULT = "TaskResult"
    DATA_SHARE = "DataShare"
    STATUS_UPDATE = "StatusUpdate"
    BROADCAST = "Broadcast"


class MessagePriority(StrEnum):
    """Delivery priority. ``rank`` orders them: a higher rank is delivered first."""

    LOW = "Low"
    NORMAL = "Normal"
    HIGH = "High"
    CRITICAL = "Critical"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def from_task_priority(cls, priority: TaskPriority) -> MessagePriority:
        """Low→Low, Medium→Normal, High→High, Critical→Critical."""
        return _FROM_TASK[priority.value]


_RANK = {
    MessagePriority.LOW: 0,
    MessagePriority.NORMAL: 1,
    MessagePriority.HIGH: 2,
    MessagePriority.CRITICAL: 3,
}
_FROM_TASK = {
    "Low": MessagePriority.LOW,
    "Medium": MessagePriority.NORMAL,
    "High": MessagePriority.HIGH,
    "Critical": MessagePriority.CRITICAL,
}


def _now() -> datetime:
    return datetime.now(UTC)


def check_json(value: Any, what: str) -> None:
    """Raise ``MessageError`` unless ``value`` serialises to strict JSON."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise MessageError(f"{what} is not JSON-serialisable: {exc}") from None


@dataclass(frozen=True, slots=True)
class Message:
    """A direct message. ``id`` identifies it for acknowledgement and persistence."""

    from_: AgentId
    message_type: MessageType
    payload: Any = None
    priority: MessagePriority = MessagePriority.NORMAL
    timestamp: datetime = field(default_factory=_now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def __post_init__(self) -> None:
        check_json(self.payload, f"payload of message {self.id}")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "from": str(self.from_),
            "message_type": self.message_type.value,
            "payload": self.payload,
            "priority": self.priority.value,
            "timestamp": self.timestamp.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Message:
        return cls(
            from_=AgentId.parse_str(data["from"]),
            message_type=MessageType(data["message_type"]),
            payload=data["payload"],
            priority=MessagePriority(data["priority"]),
            timestamp=datetime.fromisoformat(data["timestamp"]),
            id=uuid.UUID(data["id"]),
        )


@dataclass(frozen=True, slots=True)
class BroadcastMessage:
    """Text for every other agent. Each recipient receives it as a ``Message`` of type
    ``Broadcast`` with the same ``id`` and payload ``{"content": ..., "metadata": ...}``."""

    from_: AgentId
    content: str
    priority: MessagePriority = MessagePriority.NORMAL
    metadata: Any = None
    timestamp: datetime = field(default_factory=_now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def __post_init__(self) -> None:
        check_json(self.metadata, f"metadata of broadcast {self.id}")

    def as_message(self) -> Message:
        return Message(
            from_=self.from_,
            message_type=MessageType.BROADCAST,
            payload={"content": self.content, "metadata": self.metadata},
            priority=self.priority,
            timestamp=self.timestamp,
            id=self.id,
        )
