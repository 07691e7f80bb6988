"""One agent's inbox: a bounded priority queue plus the messages it received but has not acked.

Policy when full: *reject*. ``capacity`` bounds the messages held for the agent and not yet
acknowledged (queued + received-unacked), so memory stays bounded even for an agent that never
acks. A send to a full inbox raises ``InboxFullError`` and the message is not accepted — the
sender still holds it, nothing is dropped silently. Messages restored after a restart bypass the
bound: they were accepted once and must not be lost.

Order: higher ``MessagePriority.rank`` first, then the bus-wide sequence number (send order).
"""

from __future__ import annotations

import asyncio
import uuid

from aitui.core.agents.errors import InboxClosedError, InboxFullError
from aitui.core.agents.ids import AgentId
from aitui.core.agents.messages import Message

#: (-rank, sequence, message); ``None`` as message is the "closed" sentinel.
Envelope = tuple[int, int, Message | None]
_CLOSED_RANK = -(10**9)


class Inbox:
    def __init__(self, agent_id: AgentId, capacity: int) -> None:
        if capacity <= 0:
            raise ValueError(f"inbox capacity must be positive, got {capacity}")
        self.agent_id = agent_id
        self.capacity = capacity
        self._queue: asyncio.PriorityQueue[Envelope] = asyncio.PriorityQueue()
        self.in_flight: dict[uuid.UUID, Envelope] = {}
        self.keys: set[uuid.UUID] = set()
        self.closed = False

    def __len__(self) -> int:
        """Messages held and not yet acknowledged (queued + received-unacked)."""
        return len(self.keys)

    @property
    def queued(self) -> int:
        return self._queue.qsize() - (1 if self.closed else 0)

    def room(self) -> int:
        return self.capacity - len(self.keys)

    def check_room(self, count: int = 1) -> None:
        if len(self.keys) + count > self.capacity:
            raise InboxFullError(
                f"inbox of agent {self.agent_id} is full ({len(self.keys)}/{self.capacity} "
                "messages not yet acknowledged); message not accepted, retry after it drains"
            )

    def put(self, seq: int, message: Message) -> None:
        """Queue ``message`` (the caller checked room and duplicates)."""
        self.keys.add(message.id)
        self._queue.put_nowait((-message.priority.rank, seq, message))

    def requeue(self, envelope: Envelope) -> None:
        """Put a received-unacked message back, in its original place in the order."""
        message = envelope[2]
        assert message is not None
        self.in_flight.pop(message.id, None)
        self._queue.put_nowait(envelope)

    def take_nowait(self) -> Envelope | None:
        if self._queue.empty():
            return None
        return self._mark(self._queue.get_nowait())

    async def take(self) -> Envelope:
        return self._mark(await self._queue.get())

    def _mark(self, envelope: Envelope) -> Envelope:
        message = envelope[2]
        if message is None:  # keep the sentinel for other waiters
            self._queue.put_nowait(envelope)
            raise InboxClosedError(f"agent {self.agent_id} was unregistered")
        self.in_flight[message.id] = envelope
        return envelope

    def ack(self, message_id: uuid.UUID) -> bool:
        if self.in_flight.pop(message_id, None) is None:
            return False
        self.keys.discard(message_id)
        return True

    def close(self) -> list[Envelope]:
        """Wake every waiter with ``InboxClosedError``; return all unacked envelopes in order."""
        held = list(self.in_flight.values())
        while not self._queue.empty():
            held.append(self._queue.get_nowait())
        self.in_flight.clear()
        self.keys.clear()
        self.closed = True
        self._queue.put_nowait((_CLOSED_RANK, 0, None))
        return sorted(envelope for envelope in held if envelope[2] is not None)
