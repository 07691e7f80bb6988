"""``MultiAgentSession``: the registry of agents and the message bus between them.

Everything runs on the event loop; sends are synchronous up to the (optional) persistence await,
so a message is either fully accepted (in the inbox, and committed when a store is attached) or
rejected with an error — never half-sent. A broadcast checks every recipient's room first and
then delivers to all of them, so it reaches each registered agent but the sender exactly once,
or nobody. Delivery is at-least-once across restarts: what was received but not acknowledged is
delivered again.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from aitui.core.agents import store as db
from aitui.core.agents.errors import (
    AckError,
    AgentExistsError,
    CoordinationError,
    InboxClosedError,
    MessageError,
    ReceiveTimeoutError,
    UnknownAgentError,
)
from aitui.core.agents.events import (
    AgentRegistered,
    AgentUnregistered,
    BroadcastSent,
    CoordinationEvent,
    EventHub,
    MessageAcknowledged,
    MessageDelivered,
    MessageSent,
)
from aitui.core.agents.history import History, MessageRecord
from aitui.core.agents.ids import AgentId
from aitui.core.agents.inbox import Envelope, Inbox
from aitui.core.agents.messages import BroadcastMessage, Message

if TYPE_CHECKING:
    from aitui.core.agents.delivery import PromptQueue, TerminalDelivery
    from aitui.core.session import AISession

DEFAULT_INBOX_CAPACITY = 1000


class MultiAgentSession:
    """Agents (each optionally backed by an ``AISession``), their inboxes, and observers.

    ``MultiAgentSession()`` is in-memory; ``await MultiAgentSession.open(path)`` persists
    messages in SQLite and re-queues what was not acknowledged before the last exit.
    """

    def __init__(
        self,
        *,
        inbox_capacity: int = DEFAULT_INBOX_CAPACITY,
        store: db.Store | None = None,
        history: int = 500,
    ) -> None:
        self.inbox_capacity = inbox_capacity
        self.store = store
        self.events = EventHub()
        self.history = History(history)
        self._inboxes: dict[AgentId, Inbox] = {}
        self._sessions: dict[AgentId, AISession | None] = {}
        self._queues: dict[AgentId, PromptQueue] = {}
        self._parked: dict[AgentId, list[Envelope]] = {}
        self._seq = itertools.count(1)

    @classmethod
    async def open(
        cls, path: Path | str | None = None, *, inbox_capacity: int = DEFAULT_INBOX_CAPACITY
    ) -> MultiAgentSession:
        """A persistent coordinator; unacknowledged messages wait for their agent to register."""
        store = await db.Store.open(path)
        self = cls(inbox_capacity=inbox_capacity, store=store)
        self._seq = itertools.count(await store.run(db.max_seq) + 1)
        for to, seq, message in await store.run(db.load_pending):
            record = self.history.sent(message, to)
            self._parked.setdefault(to, []).append((-message.priority.rank, seq, message, record))
        return self

    async def close(self) -> None:
        """Stop terminal delivery and close the store (sessions are left to their owner)."""
        for prompt_queue in list(self._queues.values()):
            await prompt_queue.stop()
        self._queues.clear()
        if self.store is not None:
            await self.store.close()

    # -- observers ----------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[CoordinationEvent], None]) -> Callable[[], None]:
        """Observe messages and agents (and tasks, for distributors built on this bus)."""
        return self.events.subscribe(callback)

    def recent_messages(self, limit: int = 100) -> list[MessageRecord]:
        """The last ``limit`` (message, recipient) pairs, oldest first, with their state."""
        return self.history.recent(limit)

    # -- agents -------------------------------------------------------------------------------
    def register_agent(
        self,
        agent_id: AgentId,
        session: AISession | None = None,
        *,
        terminal: TerminalDelivery | None = None,
    ) -> None:
        """Add an agent. With ``terminal``, its messages are typed into ``session`` when idle."""
        if agent_id in self._inboxes:
            raise AgentExistsError(f"agent {agent_id} is already registered")
        if agent_id.is_system:
            raise CoordinationError("AgentId.system() is reserved for the coordinator")
        inbox = Inbox(agent_id, self.inbox_capacity)
        for envelope in self._parked.pop(agent_id, []):
            inbox.put(envelope)
        self._inboxes[agent_id] = inbox
        self._sessions[agent_id] = session
        if terminal is not None:
            from aitui.core.agents.delivery import PromptQueue

            if session is None:
                raise CoordinationError(f"agent {agent_id}: terminal delivery needs a session")
            self._queues[agent_id] = PromptQueue(self, agent_id, session, terminal)
        if self.events.active:
            name = session.name if session is not None else str(agent_id)[:8]
            self.events.emit(AgentRegistered(agent_id=agent_id, session_name=name))

    async def unregister_agent(self, agent_id: AgentId) -> list[Message]:
        """Remove an agent. Its unacknowledged messages are kept (returned, and redelivered if
        it registers again) — unregistering never drops messages."""
        inbox = self._require(agent_id)
        prompt_queue = self._queues.pop(agent_id, None)
        if prompt_queue is not None:
            await prompt_queue.stop()
        del self._inboxes[agent_id]
        del self._sessions[agent_id]
        held = inbox.close()
        if held:
            self._parked.setdefault(agent_id, []).extend(held)
        self.events.emit(AgentUnregistered(agent_id=agent_id, parked=len(held)))
        return [e[2] for e in held if e[2] is not None]

    def get_agent_count(self) -> int:
        return len(self._inboxes)

    def agent_ids(self) -> list[AgentId]:
        return list(self._inboxes)

    def get_session(self, agent_id: AgentId) -> AISession | None:
        self._require(agent_id)
        return self._sessions[agent_id]

    def terminal_delivery_state(self, agent_id: AgentId) -> str | None:
        """What the agent's prompt queue does now (``PromptQueue.state``); None without one."""
        self._require(agent_id)
        prompt_queue = self._queues.get(agent_id)
        return None if prompt_queue is None else prompt_queue.state

    def pending_count(self, agent_id: AgentId) -> int:
        """Messages held for the agent and not yet acknowledged."""
        return len(self._require(agent_id))

    async def start_all_agents(self) -> None:
        """Start every agent's session that is not started yet, concurrently."""
        from aitui.core.types import SessionStatus

        pending = {
            agent_id: session
            for agent_id, session in self._sessions.items()
            if session is not None and session.status() is SessionStatus.INITIALIZING
        }
        results = await asyncio.gather(
            *(s.start() for s in pending.values()), return_exceptions=True
        )
        failed = [f"{a}: {r}" for a, r in zip(pending, results, strict=True) if r is not None]
        for prompt_queue in self._queues.values():
            prompt_queue.start()
        if failed:
            raise CoordinationError("some agents did not start: " + "; ".join(failed))

    async def stop_all_agents(self) -> None:
        for prompt_queue in self._queues.values():
            await prompt_queue.stop()
        sessions = [s for s in self._sessions.values() if s is not None]
        await asyncio.gather(*(s.stop() for s in sessions))

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
            await self.store.run(db.insert_messages([(message, to, seq)]))
        self._deliver_or_park(to, seq, message)
        if self.events.active:
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
            await self.store.run(db.insert_messages(rows))
        for _, agent_id, seq in rows:
            self._deliver_or_park(agent_id, seq, as_message)
        if self.events.active:
            self.events.emit(BroadcastSent(broadcast=message, recipients=recipients))
        return recipients

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
        if agent_id in self._queues:
            raise CoordinationError(
                f"agent {agent_id} has terminal delivery: its messages are typed into its "
                "session, receive() is not available"
            )
        return inbox

    def mark_delivered(self, agent_id: AgentId, envelope: Envelope, via: str) -> Message:
        message, record = envelope[2], envelope[3]
        assert message is not None
        if record is not None:
            record.set("delivered")
        if self.events.active:
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
        if self.events.active:
            self.events.emit(MessageAcknowledged(message_id=message_id, to=agent_id))
