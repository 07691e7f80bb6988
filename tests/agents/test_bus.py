"""The message bus: order, broadcast, bounded inboxes, acks, errors, observers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.agents import (
    AckError,
    AgentExistsError,
    AgentId,
    AgentRegistered,
    AgentUnregistered,
    BroadcastMessage,
    BroadcastSent,
    CoordinationEvent,
    InboxClosedError,
    InboxFullError,
    Message,
    MessageAcknowledged,
    MessageDelivered,
    MessageError,
    MessagePriority,
    MessageSent,
    MessageType,
    MultiAgentSession,
    ReceiveTimeoutError,
    UnknownAgentError,
)
from aitui.core.errors import AituiError

P = MessagePriority


def msg(sender: AgentId, priority: P = P.NORMAL, payload: object = None) -> Message:
    return Message(
        from_=sender, message_type=MessageType.DATA_SHARE, payload=payload, priority=priority
    )


async def drain(bus: MultiAgentSession, agent: AgentId) -> list[Message]:
    out = []
    while (m := bus.try_receive(agent)) is not None:
        out.append(m)
        await bus.ack(agent, m.id)
    return out


async def test_higher_priority_first_then_send_order(
    bus: MultiAgentSession, agents: list[AgentId]
) -> None:
    a, b = agents[:2]
    order = [P.LOW, P.NORMAL, P.CRITICAL, P.HIGH, P.NORMAL, P.CRITICAL, P.LOW]
    sent = [msg(a, p, payload=i) for i, p in enumerate(order)]
    for m in sent:
        await bus.send_message(a, b, m)
    got = [m.payload for m in await drain(bus, b)]
    assert got == [2, 5, 3, 1, 4, 0, 6]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list(P)), max_size=40))
def test_delivery_order_property(priorities: list[P]) -> None:
    async def scenario() -> list[int]:
        bus = MultiAgentSession()
        a, b = AgentId.new(), AgentId.new()
        bus.register_agent(a)
        bus.register_agent(b)
        for i, p in enumerate(priorities):
            await bus.send_message(a, b, msg(a, p, payload=i))
        return [m.payload for m in await drain(bus, b)]

    expected = sorted(range(len(priorities)), key=lambda i: (-priorities[i].rank, i))
    assert asyncio.run(scenario()) == expected


async def test_receive_waits_for_a_message(bus: MultiAgentSession, agents: list[AgentId]) -> None:
    a, b = agents[:2]
    waiting = asyncio.create_task(bus.receive(b, timeout=10))
    await asyncio.sleep(0)
    assert not waiting.done()
    m = msg(a, payload="hello")
    await bus.send_message(a, b, m)
    assert (await waiting).id == m.id


async def test_receive_timeout_is_a_clear_error(
    bus: MultiAgentSession, agents: list[AgentId]
) -> None:
    with pytest.raises(ReceiveTimeoutError, match=str(agents[0])):
        await bus.receive(agents[0], timeout=0.01)


async def test_broadcast_reaches_every_other_agent_exactly_once(
    bus: MultiAgentSession, agents: list[AgentId]
) -> None:
    sender = agents[1]
    note = BroadcastMessage(from_=sender, content="build done", metadata={"tests": 15})
    recipients = await bus.broadcast(sender, note)
    assert set(recipients) == set(agents) - {sender}
    for agent in agents:
        got = await drain(bus, agent)
        if agent == sender:
            assert got == []
        else:
            assert len(got) == 1
            assert got[0].id == note.id
            assert got[0].message_type is MessageType.BROADCAST
            assert got[0].payload == {"content": "build done", "metadata": {"tests": 15}}


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 12), st.data())
def test_broadcast_exactly_once_property(count: int, data: st.DataObject) -> None:
    sender_index = data.draw(st.integers(0, count - 1))
    rounds = data.draw(st.integers(1, 4))

    async def scenario() -> dict[AgentId, int]:
        bus = MultiAgentSession()
        ids = [AgentId.new() for _ in range(count)]
        for agent in ids:
            bus.register_agent(agent)
        for _ in range(rounds):
            await bus.broadcast(ids[sender_index], BroadcastMessage(ids[sender_index], "x"))
        return {agent: len(await drain(bus, agent)) for agent in ids}

    received = asyncio.run(scenario())
    for i, n in enumerate(received.values()):
        assert n == (0 if i == sender_index else rounds)


async def test_broadcast_is_all_or_nothing_when_an_inbox_is_full() -> None:
    bus = MultiAgentSession(inbox_capacity=1)
    a, b, c = AgentId.new(), AgentId.new(), AgentId.new()
    for agent in (a, b, c):
        bus.register_agent(agent)
    await bus.send_message(a, c, msg(a))  # c is now full
    with pytest.raises(InboxFullError, match=str(c)):
        await bus.broadcast(a, BroadcastMessage(a, "hello"))
    assert bus.pending_count(b) == 0  # b did not get a copy either


async def test_full_inbox_rejects_with_error_and_recovers_after_ack() -> None:
    bus = MultiAgentSession(inbox_capacity=2)
    a, b = AgentId.new(), AgentId.new()
    bus.register_agent(a)
    bus.register_agent(b)
    await bus.send_message(a, b, msg(a, payload=1))
    await bus.send_message(a, b, msg(a, payload=2))
    rejected = msg(a, payload=3)
    with pytest.raises(InboxFullError, match=rf"{b}.*full \(2/2"):
        await bus.send_message(a, b, rejected)
    first = await bus.receive(b)
    with pytest.raises(InboxFullError):  # received but not acked still counts
        await bus.send_message(a, b, rejected)
    await bus.ack(b, first.id)
    await bus.send_message(a, b, rejected)  # the caller kept it; nothing was lost
    assert [m.payload for m in await drain(bus, b)] == [2, 3]


async def test_unknown_agents_are_named(bus: MultiAgentSession, agents: list[AgentId]) -> None:
    stranger = AgentId.new()
    with pytest.raises(UnknownAgentError, match=str(stranger)):
        await bus.send_message(agents[0], stranger, msg(agents[0]))
    with pytest.raises(UnknownAgentError, match=str(stranger)):
        await bus.send_message(stranger, agents[0], msg(stranger))
    with pytest.raises(UnknownAgentError, match=str(stranger)):
        await bus.receive(stranger)
    with pytest.raises(UnknownAgentError, match=str(stranger)):
        await bus.broadcast(stranger, BroadcastMessage(stranger, "hi"))
    with pytest.raises(AituiError):
        await bus.unregister_agent(stranger)


async def test_message_errors(bus: MultiAgentSession, agents: list[AgentId]) -> None:
    a, b = agents[:2]
    with pytest.raises(MessageError, match="not JSON"):
        Message(from_=a, message_type=MessageType.DATA_SHARE, payload={"x": object()})
    with pytest.raises(MessageError, match="not JSON"):
        Message(from_=a, message_type=MessageType.DATA_SHARE, payload=float("nan"))
    with pytest.raises(MessageError, match="says it is from"):
        await bus.send_message(b, a, msg(a))
    m = msg(a)
    await bus.send_message(a, b, m)
    with pytest.raises(MessageError, match="already queued"):
        await bus.send_message(a, b, m)
    with pytest.raises(AgentExistsError):
        bus.register_agent(a)


async def test_system_sender_needs_no_registration(
    bus: MultiAgentSession, agents: list[AgentId]
) -> None:
    system = AgentId.system()
    await bus.send_message(system, agents[0], msg(system))
    assert (await bus.receive(agents[0])).from_ == system


async def test_ack_rules(bus: MultiAgentSession, agents: list[AgentId]) -> None:
    a, b = agents[:2]
    m = msg(a)
    await bus.send_message(a, b, m)
    with pytest.raises(AckError):  # not received yet
        await bus.ack(b, m.id)
    await bus.receive(b)
    await bus.ack(b, m.id)
    with pytest.raises(AckError):  # twice
        await bus.ack(b, m.id)
    assert bus.pending_count(b) == 0


async def test_unregister_keeps_unacked_messages_for_re_registration(
    bus: MultiAgentSession, agents: list[AgentId]
) -> None:
    a, b = agents[:2]
    first, second = msg(a, payload=1), msg(a, P.HIGH, payload=2)
    await bus.send_message(a, b, first)
    await bus.send_message(a, b, second)
    received = await bus.receive(b)  # the HIGH one, not acked
    assert received.payload == 2
    kept = await bus.unregister_agent(b)
    assert [m.payload for m in kept] == [2, 1]
    assert bus.get_agent_count() == 3
    bus.register_agent(b)
    assert [m.payload for m in await drain(bus, b)] == [2, 1]


async def test_async_iteration_ends_when_the_agent_leaves(
    bus: MultiAgentSession, agents: list[AgentId], until: Any
) -> None:
    a, b = agents[:2]
    got: list[object] = []

    async def consume() -> None:
        async for m in bus.messages(b):
            got.append(m.payload)
            await bus.ack(b, m.id)

    consumer = asyncio.create_task(consume())
    for i in range(3):
        await bus.send_message(a, b, msg(a, payload=i))
    await until(lambda: len(got) == 3, 10, "three messages consumed")
    await bus.unregister_agent(b)
    await asyncio.wait_for(consumer, 5)
    assert got == [0, 1, 2]


async def test_waiting_receive_fails_clearly_when_agent_unregistered(
    bus: MultiAgentSession, agents: list[AgentId]
) -> None:
    waiting = asyncio.create_task(bus.receive(agents[0]))
    await asyncio.sleep(0)
    await bus.unregister_agent(agents[0])
    with pytest.raises(InboxClosedError, match=str(agents[0])):
        await waiting


async def test_observers_see_the_message_life_cycle(
    bus: MultiAgentSession, events: list[CoordinationEvent]
) -> None:
    a, b = AgentId.new(), AgentId.new()
    bus.register_agent(a)
    bus.register_agent(b)
    m = msg(a, payload={"k": 1})
    await bus.send_message(a, b, m)
    assert [r.state for r in bus.recent_messages()] == ["sent"]
    await bus.receive(b)
    assert bus.recent_messages()[-1].state == "delivered"
    await bus.ack(b, m.id)
    note = BroadcastMessage(b, "done")
    await bus.broadcast(b, note)
    await bus.unregister_agent(a)
    kinds = [type(e) for e in events]
    assert kinds == [
        AgentRegistered,
        AgentRegistered,
        MessageSent,
        MessageDelivered,
        MessageAcknowledged,
        BroadcastSent,
        AgentUnregistered,
    ]
    sent = events[2]
    assert isinstance(sent, MessageSent) and sent.message == m and sent.to == b
    unregistered = events[-1]
    assert isinstance(unregistered, AgentUnregistered) and unregistered.parked == 1
    records = bus.recent_messages()
    assert [(r.message.id, r.to, r.state) for r in records] == [
        (m.id, b, "acknowledged"),
        (note.id, a, "sent"),
    ]


async def test_a_failing_observer_does_not_break_delivery(
    bus: MultiAgentSession, agents: list[AgentId]
) -> None:
    def broken(event: CoordinationEvent) -> None:
        raise RuntimeError("observer bug")

    seen: list[CoordinationEvent] = []
    bus.subscribe(broken)
    unsubscribe = bus.subscribe(seen.append)
    await bus.send_message(agents[0], agents[1], msg(agents[0]))
    assert (await bus.receive(agents[1])).from_ == agents[0]
    unsubscribe()
    await bus.send_message(agents[0], agents[1], msg(agents[0]))
    assert len(seen) == 2


async def test_system_broadcast_reaches_every_agent(
    bus: MultiAgentSession, agents: list[AgentId]
) -> None:
    system = AgentId.system()
    assert set(await bus.broadcast(system, BroadcastMessage(system, "maintenance"))) == set(agents)


async def test_agents_snapshot_for_a_panel(bash_sessions: Any) -> None:
    bus = MultiAgentSession()
    plain, with_session = AgentId.new(), AgentId.new()
    bus.register_agent(plain)
    bus.register_agent(with_session, bash_sessions("qa-engineer"))
    await bus.send_message(plain, with_session, msg(plain))
    infos = bus.agents()
    assert [(i.agent_id, i.role, i.pending, i.terminal) for i in infos] == [
        (plain, None, 0, None),
        (with_session, "qa-engineer", 1, None),
    ]
    assert infos[1].name == "qa-engineer"


def test_the_package_is_headless() -> None:
    import subprocess
    import sys

    code = (
        "import sys, aitui.core.agents;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'));"
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


async def test_held_shows_what_is_owed_without_taking_it(
    bus: MultiAgentSession, agents: list[AgentId]
) -> None:
    a, b = agents[:2]
    low, high, normal = msg(a, P.LOW), msg(a, P.HIGH), msg(a, P.NORMAL)
    for m in (low, high, normal):
        await bus.send_message(a, b, m)
    assert [(r.message.id, r.state) for r in bus.held(b)] == [
        (high.id, "sent"),
        (normal.id, "sent"),
        (low.id, "sent"),
    ]
    taken = bus.try_receive(b)
    assert taken is not None and taken.id == high.id  # looking took nothing
    assert [(r.message.id, r.state) for r in bus.held(b)] == [
        (high.id, "delivered"),
        (normal.id, "sent"),
        (low.id, "sent"),
    ]
    await bus.ack(b, high.id)
    assert [r.message.id for r in bus.held(b)] == [normal.id, low.id]
    assert all(r.to == b for r in bus.held(b))
    with pytest.raises(UnknownAgentError):
        bus.held(AgentId.new())
