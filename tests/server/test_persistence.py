"""``aitui serve`` keeps agents' messages and tasks across a restart (in its data dir), and a
second server on the same data dir says who holds it and keeps its own in memory."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.server.helpers import Server, start_server, stop_server


async def make_agent(client: httpx.AsyncClient, server: Server, name: str) -> None:
    created = await client.post(
        "/sessions", json={"name": name, "shell": "bash", "working_directory": str(server.workdir)}
    )
    assert created.status_code == 200, created.text
    registered = await client.post("/agents", json={"session": name, "capabilities": ["rust"]})
    assert registered.status_code == 200, registered.text


@pytest.mark.parametrize("ending", ["stopped", "killed"])
async def test_messages_and_tasks_survive_a_restart(tmp_path: Path, ending: str) -> None:
    """Stopped cleanly or killed with -9: what the server acknowledged is there after."""
    data = tmp_path / "data"
    first = start_server(tmp_path, None, data_dir=data)
    try:
        async with httpx.AsyncClient(base_url=first.base_url, timeout=60) as client:
            await make_agent(client, first, "keeper")
            read = await client.post(
                "/messages", json={"from": "system", "to": "keeper", "payload": {"v": 1}}
            )
            taken = (
                await client.post("/agents/keeper/messages/receive", json={"limit": 10})
            ).json()["messages"]
            first_id = next(m["id"] for m in taken if m["payload"] == {"v": 1})
            assert read.status_code == 200
            acked = await client.post(f"/agents/keeper/messages/{first_id}/ack", json={})
            assert acked.status_code == 200, acked.text
            task = (
                await client.post(
                    "/tasks", json={"description": "port it", "requirements": ["rust"]}
                )
            ).json()
            assert task["state"] == "assigned" and task["agent"] == "keeper"
            note = await client.post(
                "/messages", json={"from": "system", "to": "keeper", "payload": {"v": 2}}
            )
            assert note.status_code == 200, note.text
            waiting = await client.post(
                "/tasks", json={"description": "ship it", "requirements": ["release"]}
            )
            assert waiting.json()["state"] == "pending"
    finally:
        if ending == "killed":
            first.process.kill()
            first.process.wait(timeout=30)
        else:
            assert stop_server(first) == 0, "".join(first.log)

    second = start_server(tmp_path, None, data_dir=data)
    try:
        async with httpx.AsyncClient(base_url=second.base_url, timeout=60) as client:
            tasks = {t["description"]: t for t in (await client.get("/tasks")).json()["tasks"]}
            assert tasks["port it"]["state"] == "assigned"
            # Its agent has not registered again, yet it is named (not shown as its id).
            assert tasks["port it"]["agent"] == "keeper"
            assert tasks["ship it"]["state"] == "pending"
            # The session died with the first server; one of the same name is the same agent.
            await make_agent(client, second, "keeper")
            after = (await client.get(f"/tasks/{task['id']}")).json()
            assert after["agent"] == "keeper"
            inbox = (await client.get("/agents/keeper/messages")).json()["messages"]
            assert {m["state"] for m in inbox} == {"sent"}
            kinds = [(m["message_type"], m["payload"]) for m in inbox]
            assert ("DataShare", {"v": 2}) in kinds
            assert ("DataShare", {"v": 1}) not in kinds  # acknowledged before the end
            assert any(k == "TaskAssignment" and p["id"] == task["id"] for k, p in kinds)

            (tmp_path / "third").mkdir()
            third = start_server(tmp_path / "third", None, data_dir=data)
            try:
                async with httpx.AsyncClient(base_url=third.base_url, timeout=60) as other:
                    assert (await other.get("/health")).status_code == 200
                    assert (await other.get("/tasks")).json()["tasks"] == []  # in memory
            finally:
                assert stop_server(third) == 0
            log = "".join(third.log)
            assert f"in use by another aitui process (pid {second.process.pid})" in log, log
            assert "kept in memory only" in log
    finally:
        assert stop_server(second) == 0, "".join(second.log)
