"""A session the server lists as stopped (restored from its record after a restart, not run
again): what drives its program is refused at once, saying how to run it, and a wait on it
ends at once as for a program that exited, instead of lasting until its timeout.

Real shells: a ``SessionHost`` over a records file runs the sessions and closes (as ``aitui
kill-server`` does); a new host over the same file serves the app in process.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest

from aitui.core.host import SessionHost
from aitui.core.hosting import NewSession
from aitui.core.records import SessionRecords
from tests.server.helpers import host_client


@pytest.fixture
async def http(tmp_path: Path) -> AsyncIterator[httpx2.AsyncClient]:
    db = tmp_path / "sessions.sqlite3"
    first = SessionHost(records=await SessionRecords.open(db), shell="bash")
    await first.create(NewSession(name="sh", directory=tmp_path))
    # An agent of the shell profile: wired as any agent is, and its profile is on record.
    await first.create(NewSession(name="cc", directory=tmp_path, agent="shell"))
    await first.close()
    host = SessionHost(records=await SessionRecords.open(db), shell="bash")
    await host.restore()
    try:
        async with host_client(host) as client:
            yield client
    finally:
        await host.close()


@pytest.mark.parametrize(
    ("until", "met"),
    [({"until": "exit"}, True), ({"until": "idle"}, False), ({"until": "done"}, False)],
)
async def test_a_wait_on_a_stopped_session_ends_at_once(
    http: httpx2.AsyncClient, until: dict[str, str], met: bool
) -> None:
    # A wait that lasted its ten minutes fails here (a bound on a hang, not a speed).
    wait = http.post("/sessions/cc/wait", json={**until, "timeout_ms": 600_000})
    reply = await asyncio.wait_for(wait, 60)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["reason"], body["met"], body["running"]) == ("exited", met, False)


async def test_driving_a_stopped_session_says_how_to_run_it(http: httpx2.AsyncClient) -> None:
    calls = [
        ("/sessions/sh/input", {"text": "ls"}),
        ("/sessions/sh/keys", {"keys": ["enter"]}),
        ("/sessions/sh/execute", {"command": "true"}),
        ("/sessions/cc/answer", {"action": "approve"}),
    ]
    for path, body in calls:
        reply = await http.post(path, json=body)
        assert reply.status_code == 409, (path, reply.text)
        error = reply.json()
        assert error["code"] == "SESSION_NOT_RUNNING", (path, error)
        assert "is stopped" in error["error"] and "aitui restart" in error["error"], error
    for path in ("/sessions/cc/auto-accept", "/sessions/cc/decisions"):
        reply = await http.get(path)
        error = reply.json()
        assert error["code"] == "SESSION_NOT_RUNNING", (path, error)  # not "not an agent"
    reply = await http.get("/sessions/sh/decisions")
    assert reply.json()["code"] == "NOT_AN_AGENT"  # a shell stopped is still no agent
