"""Agents, messages and tasks over the coordination layer, through the HTTP API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.server.helpers import Server


@pytest.fixture
async def team(client: httpx.AsyncClient, server: Server) -> AsyncIterator[tuple[str, str]]:
    """Two sessions registered as agents: a lead and a python developer."""
    names = ("lead-a", "dev-a")
    for name in names:
        created = await client.post(
            "/sessions", json={"name": name, "working_directory": str(server.workdir)}
        )
        assert created.status_code == 200
    assert (await client.post("/agents", json={"session": "lead-a"})).status_code == 200
    dev = await client.post("/agents", json={"session": "dev-a", "capabilities": ["python"]})
    assert dev.json()["capabilities"] == ["python"]
    yield names
    for name in names:
        await client.delete(f"/agents/{name}")
        await client.delete(f"/sessions/{name}")


async def test_register_list_and_errors(client: httpx.AsyncClient, team: tuple[str, str]) -> None:
    listing = (await client.get("/agents")).json()
    by_name = {a["name"]: a for a in listing["agents"]}
    assert set(team) <= set(by_name)
    again = await client.post("/agents", json={"session": "dev-a"})
    assert again.status_code == 409 and again.json()["code"] == "AGENT_EXISTS"
    missing = await client.post("/agents", json={"session": "no-such-session"})
    assert missing.status_code == 404 and missing.json()["code"] == "SESSION_NOT_FOUND"
    for unknown in (
        await client.get("/agents/nobody/messages"),
        await client.post("/agents/nobody/messages/receive", json={}),
    ):
        assert unknown.status_code == 404 and unknown.json()["code"] == "AGENT_NOT_FOUND"


async def test_messages_are_delivered_then_acknowledged(
    client: httpx.AsyncClient, team: tuple[str, str]
) -> None:
    sent = await client.post(
        "/messages",
        json={
            "from": "lead-a",
            "to": "dev-a",
            "message_type": "DataShare",
            "payload": {"file": "a.py"},
            "priority": "High",
        },
    )
    assert sent.status_code == 200, sent.text
    message_id = sent.json()["id"]
    broadcast = await client.post("/messages/broadcast", json={"from": "lead-a", "content": "hi"})
    assert broadcast.json()["recipients"] == ["dev-a"]

    for _ in range(2):  # looking takes nothing
        held = (await client.get("/agents/dev-a/messages")).json()["messages"]
        assert [(m["message_type"], m["state"]) for m in held] == [
            ("DataShare", "sent"),  # High first
            ("Broadcast", "sent"),
        ]
    receive = "/agents/dev-a/messages/receive"
    first = (await client.post(receive, json={"limit": 1})).json()["messages"]
    assert [m["id"] for m in first] == [message_id] and first[0]["payload"] == {"file": "a.py"}
    rest = (await client.post(receive, json={})).json()["messages"]
    assert [m["message_type"] for m in rest] == ["Broadcast"]
    assert (await client.post(receive, json={})).json()["messages"] == []
    held = (await client.get("/agents/dev-a/messages")).json()["messages"]
    assert [(m["id"], m["state"]) for m in held] == [
        (message_id, "delivered"),
        (broadcast.json()["id"], "delivered"),
    ]

    acked = await client.post(f"/agents/dev-a/messages/{message_id}/ack", json={})
    assert acked.json() == {"acknowledged": message_id}
    twice = await client.post(f"/agents/dev-a/messages/{message_id}/ack", json={})
    assert twice.status_code == 409 and twice.json()["code"] == "NOT_DELIVERED"
    held = (await client.get("/agents/dev-a/messages")).json()["messages"]
    assert [m["message_type"] for m in held] == ["Broadcast"]

    recent = (await client.get("/messages?limit=50")).json()["messages"]
    states = {m["id"]: m["state"] for m in recent if m["to"] == "dev-a"}
    assert states[message_id] == "acknowledged"
    assert states[broadcast.json()["id"]] == "delivered"


async def test_bad_payloads_and_unknown_agents(
    client: httpx.AsyncClient, team: tuple[str, str]
) -> None:
    to_nobody = await client.post("/messages", json={"from": "lead-a", "to": "ghost"})
    assert to_nobody.status_code == 404
    bad_type = await client.post(
        "/messages", json={"from": "lead-a", "to": "dev-a", "message_type": "Gossip"}
    )
    assert bad_type.status_code == 422


async def test_tasks_are_assigned_by_capability_and_finish_explicitly(
    client: httpx.AsyncClient, team: tuple[str, str]
) -> None:
    task = (
        await client.post("/tasks", json={"description": "write tests", "requirements": ["python"]})
    ).json()
    assert task["state"] == "assigned" and task["agent"] == "dev-a"
    inbox = (await client.post("/agents/dev-a/messages/receive", json={})).json()["messages"]
    assert any(
        m["message_type"] == "TaskAssignment" and m["payload"]["id"] == task["id"] for m in inbox
    )

    blocked = (
        await client.post("/tasks", json={"description": "deploy", "requirements": ["kubernetes"]})
    ).json()
    assert blocked["state"] == "pending" and blocked["reason"]

    started = await client.post(f"/tasks/{task['id']}/start", json={})
    assert started.json()["state"] == "running"
    done = await client.post(f"/tasks/{task['id']}/complete", json={"result": {"passed": 12}})
    assert done.json()["state"] == "done" and done.json()["result"] == {"passed": 12}
    again = await client.post(f"/tasks/{task['id']}/start", json={})
    assert again.status_code == 409 and again.json()["code"] == "TASK_STATE"

    cancelled = await client.post(f"/tasks/{blocked['id']}/cancel", json={"reason": "no k8s"})
    assert cancelled.json()["state"] == "cancelled"
    done_list = (await client.get("/tasks?state=done")).json()
    assert task["id"] in [t["id"] for t in done_list["tasks"]]
    assert (await client.get("/tasks/not-a-task")).json()["code"] == "TASK_NOT_FOUND"
    assert (await client.post("/tasks/not-a-task/start", json={})).status_code == 404


async def test_deleting_a_session_unregisters_its_agent(
    client: httpx.AsyncClient, server: Server
) -> None:
    created = await client.post(
        "/sessions", json={"name": "short-lived", "working_directory": str(server.workdir)}
    )
    assert created.status_code == 200
    await client.post("/agents", json={"session": "short-lived", "capabilities": ["go"]})
    task = (await client.post("/tasks", json={"description": "x", "requirements": ["go"]})).json()
    assert task["agent"] == "short-lived"
    assert (await client.delete("/sessions/short-lived")).status_code == 200
    names = [a["name"] for a in (await client.get("/agents")).json()["agents"]]
    assert "short-lived" not in names
    after = (await client.get(f"/tasks/{task['id']}")).json()
    assert after["state"] == "pending" and after["agent"] is None
