"""The reference's session endpoints, with its exact shapes, against a real server."""

from __future__ import annotations

import os
import uuid

import httpx

from tests.server.helpers import RFC3339, Server


async def test_health_has_the_reference_shape_and_needs_no_token(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as anonymous:
        response = await anonymous.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "healthy"
    assert body["service"] == "ai-session-server"
    assert isinstance(body["version"], str) and body["version"]
    assert RFC3339.match(body["timestamp"])


async def test_create_list_get_status_delete(client: httpx.AsyncClient, server: Server) -> None:
    created = await client.post(
        "/sessions",
        json={
            "name": "life-cycle",
            "enable_ai_features": True,
            "working_directory": str(server.workdir),
            "shell": "/bin/bash",
        },
    )
    assert created.status_code == 200, created.text
    body = created.json()
    assert set(body) == {"id", "name", "status", "created_at"}
    assert uuid.UUID(body["id"])
    assert body["name"] == "life-cycle"
    assert body["status"] == "Running"
    assert RFC3339.match(body["created_at"])

    listing = (await client.get("/sessions")).json()
    assert listing["total"] == len(listing["sessions"])
    entry = next(s for s in listing["sessions"] if s["name"] == "life-cycle")
    assert entry["id"] == body["id"]
    assert entry["status"] == "Running"
    assert RFC3339.match(entry["last_activity"])

    details = (await client.get("/sessions/life-cycle")).json()
    assert details["id"] == body["id"] and details["status"] == "Running"
    by_id = await client.get(f"/sessions/{body['id']}")
    assert by_id.status_code == 200 and by_id.json()["name"] == "life-cycle"

    status = (await client.get("/sessions/life-cycle/status")).json()
    assert status["config"] == {
        "enable_ai_features": True,
        "working_directory": str(server.workdir),
        "pty_size": [24, 80],
        "shell": "/bin/bash",
        "agent_role": None,
    }
    assert status["status"] == "Running"
    pid = status["pid"]
    assert isinstance(pid, int)
    os.kill(pid, 0)  # the shell runs

    deleted = await client.delete("/sessions/life-cycle")
    assert deleted.status_code == 200
    assert deleted.json()["message"] == "Session 'life-cycle' deleted successfully"
    assert RFC3339.match(deleted.json()["timestamp"])
    gone = await client.get("/sessions/life-cycle")
    assert gone.status_code == 404
    assert gone.json() == {"error": "Session 'life-cycle' not found", "code": "SESSION_NOT_FOUND"}
    names = [s["name"] for s in (await client.get("/sessions")).json()["sessions"]]
    assert "life-cycle" not in names


async def test_options_pty_size_and_role(client: httpx.AsyncClient, server: Server) -> None:
    response = await client.post(
        "/sessions",
        json={
            "name": "sized",
            "working_directory": str(server.workdir),
            "pty_size": [30, 100],
            "agent_role": "backend",
            "unknown_field": "ignored, as the reference's serde does",
        },
    )
    assert response.status_code == 200, response.text
    try:
        status = (await client.get("/sessions/sized/status")).json()
        assert status["config"]["pty_size"] == [30, 100]
        assert status["config"]["agent_role"] == "backend"
        size = await client.post("/sessions/sized/execute", json={"command": "stty size"})
        assert size.json()["output"].strip() == "30 100"
    finally:
        await client.delete("/sessions/sized")


async def test_a_name_is_free_again_after_a_failed_start(
    client: httpx.AsyncClient, server: Server
) -> None:
    bad = await client.post("/sessions", json={"name": "retry", "working_directory": "/nope/x"})
    assert bad.status_code == 400
    good = await client.post(
        "/sessions", json={"name": "retry", "working_directory": str(server.workdir)}
    )
    assert good.status_code == 200, good.text
    await client.delete("/sessions/retry")
