"""What the server does when its files fail it: a session whose record cannot be written (the
disk full) is refused and leaves nothing behind, not even an agent that tasks and messages
would go to; a damaged row (its JSON cut short, a field missing) is reported and left in the
file, and the rest is read.

Real shells: a ``SessionHost`` over a records file serves the app in process; the failure is
the store's own error, raised where the disk would raise it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest

from aitui.core.agents.errors import StoreError
from aitui.core.coordination import Coordination
from aitui.core.host import SessionHost
from aitui.core.hosting import NewSession
from aitui.core.records import SessionRecords
from tests.server.helpers import host_client


@pytest.fixture
async def host(tmp_path: Path) -> AsyncIterator[SessionHost]:
    host = SessionHost(records=await SessionRecords.open(tmp_path / "s.sqlite3"), shell="bash")
    try:
        yield host
    finally:
        await host.close()


def client(host: SessionHost) -> httpx2.AsyncClient:
    return host_client(host)


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


def _damage_row(path: Path, sql: str, *values: object) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(sql, values)
    conn.close()


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        ("config", '{"name": "bro', "cannot be read"),  # cut short
        ("config", "[]", "cannot be read"),
        ("config", "{}", "is not restored: its record has no 'pty_size'"),
        ("metadata", "{oops", "cannot be read"),
    ],
)
async def test_a_damaged_session_row_is_reported_and_the_others_listed(
    tmp_path: Path, column: str, value: str, said: str
) -> None:
    """One such row made the server exit at start, a traceback in its log."""
    db = tmp_path / "s.sqlite3"
    first = SessionHost(records=await SessionRecords.open(db), shell="bash")
    for name in ("good", "broken"):
        await first.create(NewSession(name=name, directory=tmp_path))
    await first.close()
    _damage_row(db, f"UPDATE sessions SET {column} = ? WHERE name = 'broken'", value)

    host = SessionHost(records=await SessionRecords.open(db), shell="bash")
    try:
        await host.restore()
        assert [info.name for info in host.sessions()] == ["good"]
        assert len(host.problems) == 1
        assert "'broken'" in host.problems[0] and said in host.problems[0]
    finally:
        await host.close()
    with sqlite3.connect(db) as conn:  # left as it was
        kept = conn.execute(f"SELECT {column} FROM sessions WHERE name = 'broken'").fetchone()
    conn.close()
    assert kept == (value,)


@pytest.mark.parametrize("table", ["messages", "tasks"])
async def test_a_damaged_message_or_task_is_a_store_error_naming_the_file(
    tmp_path: Path, table: str
) -> None:
    db = tmp_path / "agents.sqlite3"
    coordination = await Coordination.open(db)
    host = SessionHost(coordination=coordination, shell="bash")
    await host.create(NewSession(name="a", directory=tmp_path))
    await coordination.submit("a task for nobody", ["nobody"], "Medium")
    await host.broadcast("hello", "Normal")
    await host.close()
    _damage_row(db, f"UPDATE {table} SET body = '{{cut'")
    with pytest.raises(StoreError, match=re.escape(str(db)) + ".*cannot be read"):
        await Coordination.open(db)
    await (await Coordination.open(tmp_path / "other.sqlite3")).close()  # nothing left open
