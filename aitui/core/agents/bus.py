"""``MessageBus``: per-agent inboxes and the messages between them (no sessions here).

Everything runs on the event loop; sends are synchronous up to the (optional) persistence await,
so a message is either fully accepted (in the inbox, and committed when a store is attached) or
rejected with an error — never half-sent. A broadcast checks every recipient's room first and
then delivers to all of them, so it reaches each registered agent but the sender exactly once,
or nobody. Delivery is at-least-once across restarts: what was received but not acknowledged is
delivered again. ``MultiAgentSession`` (``coordinator.py``) adds the agents' sessions on top.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator, Callable

from aitui.core.agents import store as db
from aitui.core.agents.errors import (
    AckError,
    CoordinationError,
    InboxClosedError,
    MessageError,
    ReceiveTimeoutError,
    UnknownAgentError,
)
from aitui.core.agents.events import (
    BroadcastSent,
    CoordinationEvent,
    CoordinationListeners,
    MessageAcknowledged,
    MessageDelivered,
    MessageSent,
)
from aitui.core.agents.history import History, MessageRecord
from aitui.core.agents.ids import AgentId
from aitui.core.agents.inbox import Envelope, Inbox
from aitui.core.agents.messages import BroadcastMessage, Message

DEFAULT_INBOX_CAPACITY = 1000


class MessageBus:
    """Inboxes by agent id. ``store`` (optional) makes sends and acks durable."""

    def __init__(
        self,
        *,
        inbox_capacity: int = DEFAULT_INBOX_CAPACITY,
        store: db.Store | None = None,
        history: int = 500,
    ) -> None:
        self.inbox_capacity = inbox_capacity
        self.store = store
        self.events = CoordinationListeners()
        self.history = History(history)
        self._inboxes: dict[AgentId, Inbox] = {}
        #: Unacknowledged messages of agents not registered now (restored, or left): never lost.
        self._parked: dict[AgentId, list[Envelope]] = {}
        #: Agents whose inbox has its own consumer (terminal delivery): ``receive`` is refused.
        self._exclusive: dict[AgentId, str] = {}
        self._seq = itertools.count(1)

    async def _restore(self) -> None:
        """Continue the sequence and park every unacknowledged message stored by earlier runs."""
        assert self.store is not None
        self._seq = itertools.count(await self.store.run(db.max_seq) + 1)
        for to, seq, message in await self.store.run(db.load_pending):
            record = self.history.sent(message, to)
            self._parked.setdefault(to, []).append((-message.priority.rank, seq, message, record))

    # -- observers ----------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[CoordinationEvent], None]) -> Callable[[], None]:
        """Observe messages and agents (and tasks, for distributors built on this bus)."""
        return self.events.subscribe(callback)

    def recent_messages(self, limit: int = 100) -> list[MessageRecord]:
        """The last ``limit`` (message, recipient) pairs, oldest first, with their state."""
        return self.history.recent(limit)

    # -- inboxes ------------------------------------------------------------------------------
    def _open_inbox(self, agent_id: AgentId) -> Inbox:
        inbox = Inbox(agent_id, self.inbox_capacity)
        for envelope in self._parked.pop(agent_id, []):
            inbox.put(envelope)
        self._inboxes[agent_id] = inbox
        return inbox

    def _close_inbox(self, agent_id: AgentId) -> list[Message]:
        """Remove the inbox, waking its waiters; park what was not acknowledged."""
        held = self._inboxes.pop(agent_id).close()
        self._exclusive.pop(agent_id, None)
        if held:
            self._parked.setdefault(agent_id, []).extend(held)
        return [e[2] for e in held if e[2] is not None]

    def inbox(self, agent_id: AgentId) -> Inbox:
        """The agent's inbox; ``UnknownAgentError`` naming the id if it is not registered."""
        return self._require(agent_id)

    def pending_count(self, agent_id: AgentId) -> int:
        """Messages held for the agent and not yet acknowledged."""
        return len(self._require(agent_id))

    def held(self, agent_id: AgentId) -> list[MessageRecord]:
        """The agent's unacknowledged messages and their states (``Inbox.held``'s order), without
        delivering any: for looking, where ``try_receive`` is for taking."""
        return [e[3].snapshot() for e in self._require(agent_id).held() if e[3] is not None]

    def _require(self, agent_id: AgentId) -> Inbox:
        inbox = self._inboxes.get(agent_id)
        if inbox is None:
            raise UnknownAgentError(f"no agent {agent_id} is registered")
        return inbox

    def _check_sender(self, from_: AgentId, message: Message | BroadcastMessage) -> None:
        if from_ != message.from_:
            raise MessageError(
                f"message {message.id} says it is from {message.from_} but is sent by {from_}"
            )
        if not from_.is_system and from_ not in self._inboxes:
            raise UnknownAgentError(f"sender {from_} is not a registered agent")

    # -- messages -----------------------------------------------------------------------------
    async def send_message(self, from_: AgentId, to: AgentId, message: Message) -> None:
        """Queue ``message`` for ``to``; returns once accepted (and committed, if persistent).

        Raises ``UnknownAgentError`` (either end), ``InboxFullError``, ``MessageError``.
        """
        self._check_sender(from_, message)
        inbox = self._require(to)
        inbox.check_room()
        if message.id.int in inbox.keys:
            raise MessageError(f"message {message.id} is already queued for agent {to}")
        seq = next(self._seq)
        if self.store is not None:
            await self._persist([(message, to, seq)], [inbox])
        self._deliver_or_park(to, seq, message)
        if self.events:
            self.events.emit(MessageSent(message=message, to=to))

    async def broadcast(self, from_: AgentId, message: BroadcastMessage) -> tuple[AgentId, ...]:
        """Deliver to every registered agent but the sender, exactly once; all or none.

        Raises ``InboxFullError`` naming a full recipient, in which case nobody received it.
        Returns the recipients.
        """
        self._check_sender(from_, message)
        recipients = tuple(a for a in self._inboxes if a != from_)
        for agent_id in recipients:
            inbox = self._inboxes[agent_id]
            inbox.check_room()
            if message.id.int in inbox.keys:
                raise MessageError(f"broadcast {message.id} is already queued for agent {agent_id}")
        as_message = message.as_message()
        rows = [(as_message, agent_id, next(self._seq)) for agent_id in recipients]
        if self.store is not None:
            await self._persist(rows, [self._inboxes[a] for a in recipients])
        for _, agent_id, seq in rows:
            self._deliver_or_park(agent_id, seq, as_message)
        if self.events:
            self.events.emit(BroadcastSent(broadcast=message, recipients=recipients))
        return recipients

    async def _persist(
        self, rows: list[tuple[Message, AgentId, int]], inboxes: list[Inbox]
    ) -> None:
        """Commit before queueing. The message's key is reserved in each inbox meanwhile, so
        concurrent sends cannot overfill an inbox or slip a duplicate in during the await."""
        assert self.store is not None
        key = rows[0][0].id.int if rows else 0
        for inbox in inboxes:
            inbox.keys.add(key)
        try:
            await self.store.run(db.insert_messages(rows))
        except BaseException:
            for inbox in inboxes:
                inbox.keys.discard(key)
            raise

    def _deliver_or_park(self, agent_id: AgentId, seq: int, message: Message) -> None:
        envelope = (-message.priority.rank, seq, message, self.history.sent(message, agent_id))
        inbox = self._inboxes.get(agent_id)
        if inbox is None:  # unregistered while the store committed: keep it for its return
            self._parked.setdefault(agent_id, []).append(envelope)
        else:
            inbox.put(envelope)

    async def receive(self, agent_id: AgentId, timeout: float | None = None) -> Message:
        """The agent's next message (highest priority first, then oldest). Ack it afterwards.

        Raises ``ReceiveTimeoutError`` after ``timeout`` seconds, ``InboxClosedError`` if the
        agent is unregistered meanwhile.
        """
        inbox = self._consumer_inbox(agent_id)
        envelope = inbox.take_nowait()
        if envelope is None:
            try:
                async with asyncio.timeout(timeout):
                    envelope = await inbox.take()
            except TimeoutError:
                raise ReceiveTimeoutError(
                    f"no message for agent {agent_id} within {timeout:g}s"
                ) from None
        return self.mark_delivered(agent_id, envelope, "inbox")

    def try_receive(self, agent_id: AgentId) -> Message | None:
        """The next message if one is queued, else ``None`` (never waits)."""
        envelope = self._consumer_inbox(agent_id).take_nowait()
        return None if envelope is None else self.mark_delivered(agent_id, envelope, "inbox")

    async def messages(self, agent_id: AgentId) -> AsyncIterator[Message]:
        """``async for message in bus.messages(agent)``: ends when the agent is unregistered."""
        while True:
            try:
                yield await self.receive(agent_id)
            except (InboxClosedError, UnknownAgentError):
                return

    def _consumer_inbox(self, agent_id: AgentId) -> Inbox:
        inbox = self._require(agent_id)
        if agent_id in self._exclusive:
            raise CoordinationError(
                f"agent {agent_id} has {self._exclusive[agent_id]}: its messages are consumed "
                "there, receive() is not available"
            )
        return inbox

    def mark_delivered(self, agent_id: AgentId, envelope: Envelope, via: str) -> Message:
        message, record = envelope[2], envelope[3]
        assert message is not None
        if record is not None:
            record.set("delivered")
        if self.events:
            self.events.emit(MessageDelivered(message_id=message.id, to=agent_id, via=via))
        return message

    async def ack(self, agent_id: AgentId, message_id: uuid.UUID) -> None:
        """The agent has handled the message: it will not be delivered again, even after a
        restart (the acknowledgement is committed before this returns, when persistent)."""
        inbox = self._require(agent_id)
        key = message_id.int
        if key not in inbox.in_flight:
            raise AckError(f"agent {agent_id} has no unacknowledged message {message_id}")
        if self.store is not None:
            await self.store.run(db.ack_message(str(message_id), agent_id))
        envelope = inbox.ack(key)
        if envelope is None:  # acked concurrently, or the agent left meanwhile
            parked = self._parked.get(agent_id, [])
            parked[:] = [e for e in parked if e[2] is None or e[2].id != message_id]
            return
        if envelope[3] is not None:
            envelope[3].set("acknowledged")
        if self.events:
            self.events.emit(MessageAcknowledged(message_id=message_id, to=agent_id))
