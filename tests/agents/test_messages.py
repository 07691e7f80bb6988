"""Ids and message values: identity, JSON round trips, validation."""

from __future__ import annotations

import uuid

import pytest

from aitui.core.agents import (
    AgentId,
    BroadcastMessage,
    Message,
    MessageError,
    MessagePriority,
    MessageType,
    MultiAgentSession,
    Task,
    TaskDistributor,
    TaskId,
    TaskPriority,
)
from aitui.core.agents.messages import fast_uuid4


def test_agent_ids() -> None:
    a = AgentId.new()
    assert a != AgentId.new()
    assert AgentId.parse_str(str(a)) == a and hash(AgentId(a.value)) == hash(a)
    assert AgentId.system() == AgentId.system() and AgentId.system().is_system
    assert str(AgentId.system()) == "system" and AgentId.parse_str("system").is_system
    assert not a.is_system
    assert a != TaskId(a.value)  # different kinds of id never compare equal
    with pytest.raises(ValueError, match="not an agent id"):
        AgentId.parse_str("frontend")


def test_fast_uuid4_is_a_valid_random_uuid() -> None:
    ids = [fast_uuid4() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    for value in ids[:100]:
        assert value.version == 4 and value.variant == uuid.RFC_4122
        assert uuid.UUID(str(value)) == value


def test_message_json_round_trip() -> None:
    a = AgentId.new()
    m = Message(from_=a, message_type=MessageType.TASK_RESULT, payload={"ok": [1, 2.5, None]})
    assert Message.from_json(m.to_json()) == m
    b = BroadcastMessage(from_=a, content="hi", metadata={"v": "2"})
    as_message = b.as_message()
    assert as_message.id == b.id and as_message.message_type is MessageType.BROADCAST


def test_json_subclasses_are_accepted_and_non_json_rejected() -> None:
    a = AgentId.new()
    m = Message(
        from_=a, message_type=MessageType.STATUS_UPDATE, payload={"t": MessageType.BROADCAST}
    )
    assert m.payload["t"] == "Broadcast"
    nested: list[object] = []
    nested.append(nested)
    for bad in [{1, 2}, {"x": float("inf")}, nested, b"bytes"]:
        with pytest.raises(Exception, match="not JSON-serialisable"):
            Message(from_=a, message_type=MessageType.DATA_SHARE, payload=bad)


async def test_priorities_and_types_given_as_their_text_are_the_members(
    bus: MultiAgentSession, agents: list[AgentId]
) -> None:
    """``"High"`` is the member, as over HTTP: a plain string went in unchecked and the bus
    and the distributor failed on ``.rank`` at the next send or distribution."""
    a, b = agents[:2]
    message = Message(a, "DataShare", {"x": 1}, "High")  # type: ignore[arg-type]
    assert message.message_type is MessageType.DATA_SHARE
    assert message.priority is MessagePriority.HIGH
    await bus.send_message(a, b, message)
    assert (await bus.receive(b, 1)).id == message.id
    broadcast = BroadcastMessage(a, "built", "Low")  # type: ignore[arg-type]
    assert broadcast.priority is MessagePriority.LOW
    assert set(await bus.broadcast(a, broadcast)) == set(agents[1:])
    distributor = TaskDistributor(bus)
    distributor.register_capabilities(b, ["rust"])
    task = Task("auth endpoints", ["rust"], "Critical")  # type: ignore[arg-type]
    assert task.priority is TaskPriority.CRITICAL
    await distributor.submit_task(task)
    assert [x.agent_id for x in await distributor.distribute_tasks()] == [b]


def test_a_priority_or_type_that_names_no_member_is_refused_naming_the_choices() -> None:
    a = AgentId.new()
    with pytest.raises(MessageError, match="priority must be one of Low, Normal, High"):
        Message(a, MessageType.DATA_SHARE, None, "Urgent")  # type: ignore[arg-type]
    with pytest.raises(MessageError, match="message_type must be one of TaskRequest"):
        Message(a, "data_share")  # type: ignore[arg-type]
    with pytest.raises(MessageError, match="priority must be one of Low, Normal"):
        BroadcastMessage(a, "hi", "urgent")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="priority must be one of Low, Medium, High, Critical"):
        Task("t", priority="Normal")  # type: ignore[arg-type]
