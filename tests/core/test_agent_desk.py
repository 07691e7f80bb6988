"""An agent's own desk: messages come back on every read until acknowledged; a claimed task
settles its assignment message; only its holder reports on a task."""

from __future__ import annotations

import pytest

from aitui.core.agent_desk import AgentDesk, NotYourTaskError
from aitui.core.agents import AckError, AgentId, UnknownAgentError
from aitui.core.coordination import Coordination


def desk() -> AgentDesk:
    coordination = Coordination()
    for name, role in (("front", "frontend"), ("back", "backend")):
        agent_id = AgentId.for_name(name)
        coordination.coordinator.register_agent(agent_id)
        coordination.coordinator.known_names[agent_id] = name
        coordination.distributor.register_capabilities(agent_id, [role])
    return AgentDesk(coordination, [])


async def test_a_message_comes_back_on_every_read_until_acknowledged() -> None:
    d = desk()
    await d.send("front", "back", "schema: v2")
    first = d.read_inbox("back")
    assert [(m.sender, m.text, m.kind) for m in first] == [("front", "schema: v2", "DataShare")]
    assert [m.id for m in d.read_inbox("back")] == [first[0].id]  # not acknowledged yet
    await d.ack("back", first[0].id)
    assert d.read_inbox("back") == []
    # Refused in the agent's words: its name and the id it gave, not uuids of aitui's.
    with pytest.raises(AckError, match=f"^'{first[0].id}' is no message in the inbox of back "):
        await d.ack("back", first[0].id)
    with pytest.raises(AckError, match=r"^'not-an-id' is no message in the inbox of back "):
        await d.ack("back", "not-an-id")


async def test_claim_starts_the_task_and_settles_its_assignment() -> None:
    d = desk()
    info = await d.submit("front", "add the column", ["backend"])
    assert info.agent_id == AgentId.for_name("back") and info.task.metadata == {
        "submitted_by": "front"
    }
    assert [m.kind for m in d.read_inbox("back")] == ["TaskAssignment"]
    claimed = await d.claim("back")
    assert claimed is not None and claimed.state.value == "running"
    assert d.read_inbox("back") == []  # taken: no longer something to read
    again = await d.claim("back")  # a resumed agent gets back to what it started
    assert again is not None and again.task.id == claimed.task.id
    assert await d.claim("front") is None
    with pytest.raises(NotYourTaskError, match="held by back"):
        await d.finish("front", str(claimed.task.id), True, "not mine")
    done = await d.finish("back", str(claimed.task.id), True, "added")
    assert done.state.value == "done" and done.result == {"summary": "added"}
    assert await d.claim("back") is None


async def test_someone_not_here_cannot_be_written_to() -> None:
    d = desk()
    with pytest.raises(UnknownAgentError):
        await d.send("front", "nobody", "hello")
    assert [p.name for p in d.peers("front")] == ["back"]
