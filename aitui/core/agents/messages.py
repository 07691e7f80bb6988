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
from random import getrandbits
from typing import TYPE_CHECKING, Any, TypeVar

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


E = TypeVar("E", bound=StrEnum)


def _now() -> datetime:
    return datetime.now(UTC)


_encode = json.JSONEncoder(allow_nan=False).encode


def _plain_json(value: Any) -> bool:
    """True for plain JSON built of exact builtin types (a fast pre-check; on False the real
    encoder decides, so subclasses such as enums are still accepted)."""
    t = type(value)
    if t is str or t is int or t is bool or value is None:
        return True
    if t is float:
        return bool(value - value == 0)  # False for inf and nan
    if t is dict:
        for key, item in value.items():
            if type(key) is not str or not _plain_json(item):
                return False
        return True
    if t is list:
        return all(_plain_json(item) for item in value)
    return False


def fast_uuid4() -> uuid.UUID:
    """A random (version 4) UUID without a system call per id.

    ``uuid.uuid4()`` reads ``os.urandom`` each time, about a third of the cost of building a
    message. Message ids need uniqueness, not secrecy, so 128 bits from ``random`` (seeded from
    the OS, reseeded after fork) do; the result is an ordinary ``uuid.UUID``.
    """
    bits = getrandbits(128) & _CLEAR_VERSION | _VERSION_4
    value = object.__new__(uuid.UUID)
    object.__setattr__(value, "int", bits)
    object.__setattr__(value, "is_safe", uuid.SafeUUID.unknown)
    return value


_CLEAR_VERSION = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_4 = (4 << 76) | (0x8000 << 48)


def member(kind: type[E], value: Any, what: str) -> E:
    """``value`` as a member of ``kind``: its text (``"High"``) is taken as the member, as the
    HTTP API takes it. Left a plain string, it went in unchecked and failed later, far from
    the caller: the bus and the distributor order by ``.rank`` (``AttributeError`` on the
    next send or distribution, every one after it too for a queued task), persistence writes
    ``.value``. A text that names no member is refused here, naming those that exist."""
    if type(value) is kind:
        return value
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise MessageError(f"{what} must be one of {choices}, got {value!r}") from None


def check_json(value: Any, what: str, ident: object = "") -> None:
    """Raise ``MessageError`` unless ``value`` serialises to strict JSON.

    ``what`` and ``ident`` are joined only on error: formatting a UUID on every message costs
    more than the check itself.
    """
    try:
        if _plain_json(value):
            return
        _encode(value)
    except (TypeError, ValueError, RecursionError) as exc:
        raise MessageError(f"{what}{ident} is not JSON-serialisable: {exc}") from None


@dataclass(frozen=True, slots=True)
class Message:
    """A direct message. ``id`` identifies it for acknowledgement and persistence."""

    from_: AgentId
    message_type: MessageType
    payload: Any = None
    priority: MessagePriority = MessagePriority.NORMAL
    timestamp: datetime = field(default_factory=_now)
    id: uuid.UUID = field(default_factory=fast_uuid4)

    def __post_init__(self) -> None:
        if type(self.message_type) is not MessageType or type(self.priority) is not MessagePriority:
            object.__setattr__(
                self, "message_type", member(MessageType, self.message_type, "message_type")
            )
            object.__setattr__(self, "priority", member(MessagePriority, self.priority, "priority"))
        check_json(self.payload, "payload of message ", self.id)

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
    id: uuid.UUID = field(default_factory=fast_uuid4)

    def __post_init__(self) -> None:
        if type(self.priority) is not MessagePriority:
            object.__setattr__(self, "priority", member(MessagePriority, self.priority, "priority"))
        check_json(self.metadata, "metadata of broadcast ", self.id)

    def as_message(self) -> Message:
        return Message(
            from_=self.from_,
            message_type=MessageType.BROADCAST,
            payload={"content": self.content, "metadata": self.metadata},
            priority=self.priority,
            timestamp=self.timestamp,
            id=self.id,
        )
