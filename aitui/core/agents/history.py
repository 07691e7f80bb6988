"""A bounded record of recent (message, recipient) pairs and their states, for observers.

The dashboard renders its message panel from ``recent()`` on mount and then follows the events;
keeping this in memory (bounded) keeps the hot path free of queries.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
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


class History:
    def __init__(self, size: int) -> None:
        self.size = size
        self._records: OrderedDict[tuple[uuid.UUID, AgentId], MessageRecord] = OrderedDict()

    def sent(self, message: Message, to: AgentId) -> None:
        if self.size <= 0:
            return
        self._records[(message.id, to)] = MessageRecord(message, to, "sent", message.timestamp)
        if len(self._records) > self.size:
            self._records.popitem(last=False)

    def _update(self, message_id: uuid.UUID, to: AgentId, state: str) -> None:
        key = (message_id, to)
        record = self._records.get(key)
        if record is not None:
            self._records[key] = MessageRecord(record.message, to, state, datetime.now(UTC))

    def delivered(self, message_id: uuid.UUID, to: AgentId) -> None:
        self._update(message_id, to, "delivered")

    def acknowledged(self, message_id: uuid.UUID, to: AgentId) -> None:
        self._update(message_id, to, "acknowledged")

    def recent(self, limit: int = 100) -> list[MessageRecord]:
        records = list(self._records.values())
        return records[-limit:] if limit > 0 else []
