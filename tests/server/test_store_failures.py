"""What the server does when its files fail it: a session whose record cannot be written (the
disk full) is refused and leaves nothing behind, not even an agent that tasks and messages
would go to.

Real shells: a ``SessionHost`` over a records file serves the app in process; the failure is
the store's own error, raised where the disk would raise it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest

from aitui.core.agents.errors import StoreError
from aitui.core.host import SessionHost
from aitui.core.records import SessionRecords
from aitui.server import create_app


@pytest.fixture
async def host(tmp_path: Path) -> AsyncIterator[SessionHost]:
    host = SessionHost(records=await SessionRecords.open(tmp_path / "s.sqlite3"), shell="bash")
    try:
        yield host
    finally:
        await host.close()


def client(host: SessionHost) -> httpx2.AsyncClient:
    coordination = host.coordination
    app = create_app(
        host.manager,
        host=host,
        coordinator=coordination.coordinator,
        distributor=coordination.distributor,
    )
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://localhost")


async def test_a_session_whose_record_cannot_be_written_leaves_no_agent(
    host: SessionHost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert host.keeper is not None

    async def disk_full(*_: object, **__: object) -> None:
        raise StoreError(f"{tmp_path / 's.sqlite3'}: database or disk is full")

    monkeypatch.setattr(host.keeper, "save", disk_full)
    async with client(host) as http:
        refused = await http.post(
            "/host/sessions", json={"name": "ghost", "role": "gh", "directory": str(tmp_path)}
        )
        assert refused.status_code >= 400 and "disk is full" in refused.text
        monkeypatch.undo()
        assert (await http.get("/host/sessions")).json()["sessions"] == []
        agents = (await http.get("/agents")).json()["agents"]
        assert [a["name"] for a in agents] == []
        # A task for its role waits for a session that can take it, none holds it.
        task = await http.post("/tasks", json={"description": "x", "requirements": ["gh"]})
        assert task.json()["state"] == "pending" and task.json()["agent"] is None
        message = await http.post("/messages", json={"from": "system", "to": "ghost"})
        assert message.status_code == 404, message.text
