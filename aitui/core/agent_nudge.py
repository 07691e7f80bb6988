"""The prompt queue for agents on aitui's MCP tools: new messages and tasks are announced to an
idle agent as one line typed into its terminal, never while it works.

An agent CLI acts only on prompts, so a message waiting in its inbox would wait forever. When an
agent started from a profile with ``mcp`` is waiting for input or has finished its turn (by its
hooks' report, so not while it works or asks for an approval), and holds messages or tasks it
was not told of yet, this types ``aitui: 2 new messages (from front) and 1 task for you: ...``
and Enter. Once per idle spell: the next line waits until the agent has worked (the prompt moves
it) and is idle again, so a line it has not acted on yet is not typed twice; and not at all
while anything typed since it went idle (a person's half-written prompt) is in its input box.
What the line announces stays in the inbox until the agent acknowledges it through the tools.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from aitui.core.activity import Activity
from aitui.core.agents import AgentId, MessageType, TaskState
from aitui.core.errors import AituiError
from aitui.core.keys import ENTER_AFTER_S

if TYPE_CHECKING:
    from aitui.core.coordination import Coordination
    from aitui.core.hosting import SessionInfo
    from aitui.core.session import AISession

log = logging.getLogger(__name__)
#: States in which an agent may be given a prompt.
IDLE = frozenset({Activity.WAITING, Activity.DONE})
PREFIX = "aitui:"


def announcement(senders: list[str], messages: int, tasks: int, started: int = 0) -> str:
    """The line typed to the agent (``started``: tasks it had begun before a restart)."""
    parts = []
    if messages:
        counted = Counter(senders)
        who = ", ".join(sorted(counted))
        parts.append(f"{messages} new message{'s' * (messages != 1)} (from {who})")
    if tasks:
        parts.append(f"{tasks} task{'s' * (tasks != 1)} for you")
    if started:
        parts.append(f"{started} task{'s' * (started != 1)} you had started")
    todo = "read_inbox and ack_message" if messages else ""
    if tasks or started:
        todo = f"{todo}, then claim_task" if todo else "claim_task"
    return f"{PREFIX} {' and '.join(parts)}: use the aitui tools {todo}"


class Nudger:
    """Watches agents (``agents()``: row, session, whether a line may be typed) and types."""

    def __init__(
        self,
        coordination: Coordination,
        agents: Callable[[], list[tuple[SessionInfo, AISession, bool]]],
        spawn: Callable[[Coroutine[Any, Any, None]], None],
    ) -> None:
        self.coordination = coordination
        self._agents = agents
        self._spawn = spawn
        self._told: dict[str, set[str]] = {}  # session key -> message ids announced
        self._spell: dict[str, float] = {}  # session key -> ``since`` of the spell it was told in

    def check(self) -> None:
        """Announce to every idle agent what is new for it (called on every change)."""
        for info, session, ready in self._agents():
            if not ready or info.activity not in IDLE or info.asked:
                continue
            if self._spell.get(info.key) == info.since:
                continue  # already told in this idle spell
            line, ids = self._news(info)
            if line is None:
                continue
            self._told.setdefault(info.key, set()).update(ids)
            self._spell[info.key] = info.since or 0.0
            self._spawn(self._type(session, line))

    def forget(self, key: str) -> None:
        self._told.pop(key, None)
        self._spell.pop(key, None)

    def _news(self, info: SessionInfo) -> tuple[str | None, set[str]]:
        agent_id = AgentId.for_name(info.name)
        coordinator = self.coordination.coordinator
        if agent_id not in coordinator.agent_ids():
            return None, set()
        told = self._told.get(info.key, set())
        new = [r.message for r in coordinator.held(agent_id) if str(r.message.id) not in told]
        tasks = [m for m in new if m.message_type is MessageType.TASK_ASSIGNMENT]
        others = [m for m in new if m.message_type is not MessageType.TASK_ASSIGNMENT]
        # A task it had started and not reported (its assignment long settled): after a restart
        # of the server or of the agent, nothing else would remind it.
        announced = {m.payload.get("id") for m in tasks if isinstance(m.payload, dict)}
        started = [
            str(i.task.id)
            for i in self.coordination.distributor.list_tasks(TaskState.RUNNING)
            if i.agent_id == agent_id and str(i.task.id) not in told | announced
        ]
        if not new and not started:
            return None, set()
        senders = [self.coordination.name(m.from_) for m in others]
        line = announcement(senders, len(others), len(tasks), len(started))
        return line, {str(m.id) for m in new} | {str(i) for i in announced} | set(started)

    @staticmethod
    async def _type(session: AISession, line: str) -> None:
        with contextlib.suppress(AituiError):  # it exited meanwhile: nothing to tell
            await session.send_input(line)
            await asyncio.sleep(ENTER_AFTER_S)
            await session.send_input("\r")
