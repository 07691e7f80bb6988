"""``MultiAgentSession``: the agents of a project — each a terminal session — on a message bus.

The reference's coordinator: register agents with their ``AISession``, start and stop them all,
and (from ``MessageBus``) send, broadcast, receive and acknowledge. An agent may have its
messages typed into its terminal (``TerminalDelivery``) so a real agent CLI receives them.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aitui.core.agents import store as db
from aitui.core.agents.bus import DEFAULT_INBOX_CAPACITY, MessageBus
from aitui.core.agents.delivery import PromptQueue, TerminalDelivery
from aitui.core.agents.errors import AgentExistsError, CoordinationError, StoreError
from aitui.core.agents.events import AgentRegistered, AgentUnregistered
from aitui.core.agents.ids import AgentId
from aitui.core.agents.messages import Message
from aitui.core.types import SessionStatus

if TYPE_CHECKING:
    from aitui.core.session import AISession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgentInfo:
    """One agent as an observer shows it."""

    agent_id: AgentId
    name: str
    role: str | None
    #: Messages held for it and not acknowledged.
    pending: int
    #: ``PromptQueue.state`` with terminal delivery, else None.
    terminal: str | None


class MultiAgentSession(MessageBus):
    """``MultiAgentSession()`` is in-memory; ``await MultiAgentSession.open(path)`` persists
    messages in SQLite and re-queues what was not acknowledged before the last exit."""

    def __init__(
        self,
        *,
        inbox_capacity: int = DEFAULT_INBOX_CAPACITY,
        store: db.Store | None = None,
        history: int = 500,
    ) -> None:
        super().__init__(inbox_capacity=inbox_capacity, store=store, history=history)
        self._sessions: dict[AgentId, AISession | None] = {}
        self._queues: dict[AgentId, PromptQueue] = {}
        #: Names of agents seen by this coordinator or, persisted, by an earlier run: a task
        #: restored in the hands of an agent that has not registered again still has a name.
        self.known_names: dict[AgentId, str] = {}

    @classmethod
    async def open(
        cls,
        path: Path | str | None = None,
        *,
        inbox_capacity: int = DEFAULT_INBOX_CAPACITY,
        exclusive: bool = False,
    ) -> MultiAgentSession:
        """A persistent coordinator (``path``, else ``$AITUI_DATA_DIR``, else the user data
        dir); unacknowledged messages wait for their agent to register again. ``exclusive``:
        see :meth:`Store.open`."""
        store = await db.Store.open(path, exclusive=exclusive)
        self = cls(inbox_capacity=inbox_capacity, store=store)
        try:
            await self._restore()
            self.known_names.update(await store.run(db.load_agent_names))
        except BaseException:
            await store.close()
            raise
        return self

    async def close(self) -> None:
        """Stop terminal delivery and close the store (sessions are left to their owner)."""
        for prompt_queue in list(self._queues.values()):
            await prompt_queue.stop()
        self._queues.clear()
        if self.store is not None:
            await self.store.close()

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
        if terminal is not None and session is None:
            raise CoordinationError(f"agent {agent_id}: terminal delivery needs a session")
        self._open_inbox(agent_id)
        self._sessions[agent_id] = session
        if terminal is not None:
            assert session is not None
            self._exclusive[agent_id] = "terminal delivery"
            self._queues[agent_id] = PromptQueue(self, agent_id, session, terminal)
        if self.events:
            name = session.name if session is not None else str(agent_id)[:8]
            self.events.emit(AgentRegistered(agent_id=agent_id, session_name=name))

    async def remember_name(self, agent_id: AgentId, name: str) -> None:
        """Record (and persist, with a store) the name an agent is shown by. A name is only
        for display: if the store cannot take it, that is logged and the agent's registration
        stands (the name is kept for this run)."""
        if self.known_names.get(agent_id) == name:
            return
        self.known_names[agent_id] = name
        if self.store is not None:
            try:
                await self.store.run(db.save_agent_name(agent_id, name))
            except StoreError as exc:
                log.warning("agent %s: its name %r was not saved: %s", agent_id, name, exc)

    async def unregister_agent(self, agent_id: AgentId) -> list[Message]:
        """Remove an agent. Its unacknowledged messages are kept (returned, and redelivered if
        it registers again) — unregistering never drops messages."""
        self._require(agent_id)
        prompt_queue = self._queues.pop(agent_id, None)
        if prompt_queue is not None:
            await prompt_queue.stop()
        del self._sessions[agent_id]
        kept = self._close_inbox(agent_id)
        self.events.emit(AgentUnregistered(agent_id=agent_id, parked=len(kept)))
        return kept

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

    def agents(self) -> list[AgentInfo]:
        """Every registered agent, in registration order (for a panel's first render)."""
        infos = []
        for agent_id, session in self._sessions.items():
            name = session.name if session is not None else str(agent_id)[:8]
            role = session.config.agent_role if session is not None else None
            pending = self.pending_count(agent_id)
            terminal = self.terminal_delivery_state(agent_id)
            infos.append(AgentInfo(agent_id, name, role, pending, terminal))
        return infos

    async def start_all_agents(self) -> None:
        """Start every agent's session that is not started yet, concurrently."""
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
        """Stop terminal delivery, then every session (their messages stay queued)."""
        for prompt_queue in self._queues.values():
            await prompt_queue.stop()
        sessions = [s for s in self._sessions.values() if s is not None]
        await asyncio.gather(*(s.stop() for s in sessions))
