"""Delivery into a real bash session: typed only when idle, in priority order, then acked."""

from __future__ import annotations

import asyncio
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aitui import AISession
from aitui.core.agents import (
    AgentId,
    BroadcastMessage,
    CoordinationError,
    CoordinationEvent,
    Message,
    MessageAcknowledged,
    MessageDelivered,
    MessagePriority,
    MessageType,
    MultiAgentSession,
    TerminalDelivery,
    format_prompt,
)
from aitui.core.events import CommandStarted, SessionEvent

P = MessagePriority


def to_file(message: Message) -> str:
    """Turn a message into a shell command appending it to inbox.txt (so we can read it back)."""
    return f"echo {shlex.quote(format_prompt(message))} >> inbox.txt"


async def make_busy(session: AISession, command: str) -> None:
    started = asyncio.Event()

    def on_event(event: SessionEvent) -> None:
        if isinstance(event, CommandStarted):
            started.set()

    unsubscribe = session.subscribe(on_event)
    try:
        await session.send_input(command + "\n")
        await asyncio.wait_for(started.wait(), 10)
    finally:
        unsubscribe()


async def test_prompt_queue_waits_for_the_prompt_then_types_by_priority(
    bash_sessions: Callable[..., AISession], tmp_path: Path, until: Any
) -> None:
    bus = MultiAgentSession()
    seen: list[CoordinationEvent] = []
    bus.subscribe(seen.append)
    sender, agent = AgentId.new(), AgentId.new()
    session = bash_sessions("agent", "agent")
    bus.register_agent(sender)
    bus.register_agent(agent, session, terminal=TerminalDelivery(formatter=to_file))
    try:
        await bus.start_all_agents()
        # The shell is busy reading a line: nothing may be typed now, or `read` would get it.
        await make_busy(session, 'read -r line; echo "read:$line" > read.txt')
        for text, priority in [("low", P.LOW), ("crit", P.CRITICAL), ("normal", P.NORMAL)]:
            message = Message(sender, MessageType.DATA_SHARE, {"text": text}, priority)
            await bus.send_message(sender, agent, message)
        # The queue takes a message, sees the busy shell, puts it back and waits for the prompt.
        await until(lambda: bus.terminal_delivery_state(agent) == "waiting for idle", 10)
        assert bus.pending_count(agent) == 3
        await session.send_input("go\n")  # finish the busy command ourselves
        inbox = tmp_path / "agent" / "inbox.txt"
        await until(lambda: bus.pending_count(agent) == 0, 20, "messages acknowledged")
        await until(lambda: inbox.exists() and len(inbox.read_text().splitlines()) == 3)
        assert (tmp_path / "agent" / "read.txt").read_text() == "read:go\n"
        lines = inbox.read_text().splitlines()
        assert [line.split('"text": "')[1].split('"')[0] for line in lines] == [
            "crit",
            "normal",
            "low",
        ]
        assert lines[0].startswith(f"[DataShare from {sender}]")
        delivered = [e for e in seen if isinstance(e, MessageDelivered)]
        assert [e.via for e in delivered] == ["terminal"] * 3
        assert sum(isinstance(e, MessageAcknowledged) for e in seen) == 3
        with pytest.raises(CoordinationError, match="terminal delivery"):
            await bus.receive(agent)
    finally:
        await bus.close()


async def test_quiet_mode_feeds_an_agent_cli_running_in_the_terminal(
    bash_sessions: Callable[..., AISession], until: Any
) -> None:
    bus = MultiAgentSession()
    lead, agent, other = AgentId.new(), AgentId.new(), AgentId.new()
    session = bash_sessions("cli-agent")
    await session.start()
    # A stand-in for an agent CLI: it runs in the foreground and reads prompts line by line.
    await make_busy(session, "while IFS= read -r p; do printf 'AGENT GOT <%s>\\n' \"$p\"; done")
    bus.register_agent(lead)
    bus.register_agent(other)
    bus.register_agent(agent, session, terminal=TerminalDelivery(mode="quiet", quiet_for=0.2))
    try:
        request = Message(lead, MessageType.TASK_REQUEST, {"task": "write tests"}, P.HIGH)
        await bus.broadcast(lead, BroadcastMessage(lead, "build done", P.LOW))
        await bus.send_message(lead, agent, request)
        first = await session.expect(r"AGENT GOT <\[(\w+) from", timeout=20)
        second = await session.expect(r"AGENT GOT <\[(\w+) from", timeout=20)
        # Both were queued before the queue's first turn (the in-memory bus does not yield),
        # so the HIGH request is typed before the LOW broadcast although it was sent after it.
        assert [first.group(1), second.group(1)] == ["TaskRequest", "Broadcast"]
        await until(lambda: bus.pending_count(agent) == 0, 20, "both acknowledged")
        assert bus.pending_count(other) == 1  # the broadcast is in the other inbox too
    finally:
        await bus.close()


async def test_a_session_that_exited_keeps_its_messages(
    bash_sessions: Callable[..., AISession],
) -> None:
    bus = MultiAgentSession()
    lead, agent = AgentId.new(), AgentId.new()
    session = bash_sessions("gone")
    await session.start()
    bus.register_agent(lead)
    bus.register_agent(agent, session, terminal=TerminalDelivery())
    await session.stop()
    try:
        await bus.send_message(lead, agent, Message(lead, MessageType.STATUS_UPDATE, "hi"))
        assert bus.pending_count(agent) == 1
        kept = await bus.unregister_agent(agent)
        assert [m.payload for m in kept] == ["hi"]
    finally:
        await bus.close()
