"""One agent's inbox: a bounded priority queue plus the messages it received but has not acked.

Policy when full: *reject*. ``capacity`` bounds the messages held for the agent and not yet
acknowledged (queued + received-unacked), so memory stays bounded even for an agent that never
acks. A send to a full inbox raises ``InboxFullError`` and the message is not accepted — the
sender still holds it, nothing is dropped silently. Messages restored after a restart bypass the
bound: they were accepted once and must not be lost.

Order: higher ``MessagePriority.rank`` first, then the bus-wide sequence number (send order).
Keys are ``message.id.int``: hashing an int is C code, hashing a ``uuid.UUID`` is Python code.
"""

from __future__ import annotations

import asyncio
import heapq
from collections import deque

from aitui.core.agents.errors import InboxClosedError, InboxFullError
from aitui.core.agents.history import LiveRecord
from aitui.core.agents.ids import AgentId
from aitui.core.agents.messages import Message

#: (-rank, sequence, message, history record); message ``None`` is the "closed" sentinel.
Envelope = tuple[int, int, Message | None, LiveRecord | None]
_CLOSED: Envelope = (-(10**9), 0, None, None)


class Inbox:
    def __init__(self, agent_id: AgentId, capacity: int) -> None:
        if capacity <= 0:
            raise ValueError(f"inbox capacity must be positive, got {capacity}")
        self.agent_id = agent_id
        self.capacity = capacity
        self._heap: list[Envelope] = []
        self._waiters: deque[asyncio.Future[None]] = deque()
        self.in_flight: dict[int, Envelope] = {}
        self.keys: set[int] = set()
        self.closed = False

    def __len__(self) -> int:
        """Messages held and not yet acknowledged (queued + received-unacked)."""
        return len(self.keys)

    @property
    def queued(self) -> int:
        return len(self._heap) - (1 if self.closed else 0)

    def check_room(self, count: int = 1) -> None:
        if len(self.keys) + count > self.capacity:
            raise InboxFullError(
                f"inbox of agent {self.agent_id} is full ({len(self.keys)}/{self.capacity} "
                "messages not yet acknowledged); message not accepted, retry after it drains"
            )

    def put(self, envelope: Envelope) -> None:
        """Queue a message (the caller checked room and duplicates)."""
        message = envelope[2]
        assert message is not None
        self.keys.add(message.id.int)
        self._push(envelope)

    def requeue(self, envelope: Envelope) -> None:
        """Put a received-unacked message back, in its original place in the order."""
        message = envelope[2]
        assert message is not None
        self.in_flight.pop(message.id.int, None)
        self._push(envelope)

    def _push(self, envelope: Envelope) -> None:
        heapq.heappush(self._heap, envelope)
        self._wake_one()

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def held(self) -> list[Envelope]:
        """Every message held and not acknowledged, taking none: the received ones, then the
        queued ones in the order they will be taken."""
        queued = sorted(e for e in self._heap if e[2] is not None)
        return [*self.in_flight.values(), *queued]

    def take_nowait(self) -> Envelope | None:
        if not self._heap:
            return None
        return self._mark(heapq.heappop(self._heap))

    async def take(self) -> Envelope:
        """Wait for the next message (the same wake-one protocol as ``asyncio.Queue``)."""
        while not self._heap:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except BaseException:
                waiter.cancel()
                if self._heap and not waiter.cancelled():
                    self._wake_one()  # we were woken but are leaving: pass the wake-up on
                raise
        return self._mark(heapq.heappop(self._heap))

    def _mark(self, envelope: Envelope) -> Envelope:
        message = envelope[2]
        if message is None:  # keep the sentinel for other waiters
            self._push(envelope)
            raise InboxClosedError(f"agent {self.agent_id} was unregistered")
        self.in_flight[message.id.int] = envelope
        return envelope

    def ack(self, key: int) -> Envelope | None:
        envelope = self.in_flight.pop(key, None)
        if envelope is not None:
            self.keys.discard(key)
        return envelope

    def close(self) -> list[Envelope]:
        """Wake every waiter with ``InboxClosedError``; return all unacked envelopes in order."""
        held = list(self.in_flight.values()) + self._heap
        self._heap = []
        self.in_flight.clear()
        self.keys.clear()
        self.closed = True
        self._push(_CLOSED)
        return sorted((e for e in held if e[2] is not None), key=lambda e: (e[0], e[1]))
