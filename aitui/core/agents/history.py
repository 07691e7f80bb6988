"""A bounded record of recent (message, recipient) pairs and their states, for observers.

The dashboard renders its message panel from ``recent()`` on mount and then follows the events.
Each live record travels with its message through the inbox, so a state change is an attribute
write — no lookup, no hashing — which keeps the bus's hot path cheap; ``recent()`` copies the
records into frozen snapshots.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

from aitui.core.agents.ids import AgentId
from aitui.core.agents.messages import Message


@dataclass(frozen=True, slots=True)
class MessageRecord:
    message: Message
    to: AgentId
    #: ``"sent"`` (queued), ``"delivered"`` (received or typed), ``"acknowledged"``.
    state: str
    updated_at: datetime


class LiveRecord:
    __slots__ = ("message", "state", "to", "updated")

    def __init__(self, message: Message, to: AgentId) -> None:
        self.message = message
        self.to = to
        self.state = "sent"
        self.updated = time.time()

    def set(self, state: str) -> None:
        self.state = state
        self.updated = time.time()

    def snapshot(self) -> MessageRecord:
        at = datetime.fromtimestamp(self.updated, UTC)
        return MessageRecord(self.message, self.to, self.state, at)


class History:
    def __init__(self, size: int) -> None:
        self._records: deque[LiveRecord] = deque(maxlen=max(size, 0))

    def sent(self, message: Message, to: AgentId) -> LiveRecord:
        record = LiveRecord(message, to)
        self._records.append(record)
        return record

    def recent(self, limit: int = 100) -> list[MessageRecord]:
        """The last ``limit`` records, oldest first."""
        records = list(self._records)
        return [r.snapshot() for r in records[-limit:]] if limit > 0 else []
