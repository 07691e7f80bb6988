"""After a restart the sessions are listed again, stopped, and run again only when asked.

Real shells on real PTYs: a ``SessionHost`` over a records file runs sessions and closes (a
clean stop, as ``aitui kill-server`` does); a new host over the same file lists them stopped;
``restart`` runs one with the same name, command, directory and role, and its AI context as it
was. Scrollback reaches the file only when asked for.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from aitui.core.activity import Activity
from aitui.core.config import HistoryMode, SessionConfig
from aitui.core.context_state import snapshot
from aitui.core.host import SessionHost
from aitui.core.hosting import NewSession
from aitui.core.records import SessionRecords
from aitui.core.session import AISession

SECRET = "SECRET-42-TOKEN"


async def open_host(path: Path, **options: object) -> SessionHost:
    host = SessionHost(records=await SessionRecords.open(path), shell="bash", **options)  # type: ignore[arg-type]
    await host.restore()
    return host


def new(directory: Path, name: str, **fields: object) -> NewSession:
    fields.setdefault("history", HistoryMode.PRIVATE)
    return NewSession(name=name, directory=directory, **fields)  # type: ignore[arg-type]


def live(host: SessionHost, key: str) -> AISession:
    session = host.session(key)
    assert session is not None
    return session


def db_bytes(path: Path) -> bytes:
    """The records file and its WAL, as bytes (what another reader of the disk would see)."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())


async def test_sessions_are_listed_stopped_and_run_again_with_their_context(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sessions.sqlite3"
    (tmp_path / "api").mkdir()
    host = await open_host(db)
    api = await host.create(new(tmp_path / "api", "api", role="backend"))
    tool = await host.create(new(tmp_path, "tool", command="cat", role="tests", ai=False))
    session = live(host, api)
    await session.execute("printf 'alpha\\nbeta\\n'; seq 1 30")
    await session.execute("ls /nonexistent-dir")
    session.set_metadata("ticket", {"id": 17, "labels": ["restore"]})
    await host.rename(tool, "cat-tool")
    before = snapshot(session.get_ai_context())
    stats = session.get_ai_context().stats()
    assert stats.commands_seen == 2
    await host.close()

    host = await open_host(db)
    rows = {info.name: info for info in host.sessions()}
    assert set(rows) == {"api", "cat-tool"}
    for info in rows.values():
        assert not info.running and info.restorable and info.activity is Activity.EXITED
        assert f"aitui restart {info.name}" in info.detail and "Enter" in info.detail
    assert rows["api"].key == api and rows["api"].role == "backend"
    assert rows["api"].directory == str(tmp_path / "api")
    assert rows["cat-tool"].role == "tests" and rows["cat-tool"].command == "cat"

    assert await host.restart(api) == api  # in place: the same key
    session = live(host, api)
    assert session.is_running and session.name == "api"
    assert session.config.agent_role == "backend"
    assert session.config.working_directory == tmp_path / "api"
    info = host.info(api)
    assert info is not None and info.running and not info.restorable
    context = session.get_ai_context()
    after = snapshot(context)
    assert after.layout == before.layout and after.messages == before.messages
    assert context.stats() == stats
    assert session.get_metadata("ticket") == {"id": 17, "labels": ["restore"]}
    result = await session.execute("pwd")  # it goes on from there, in its directory
    assert result.output.strip() == str(tmp_path / "api")
    assert context.stats().commands_seen == 3

    tool_session = live(host, tool)
    assert await host.restart(tool) == tool
    assert tool_session.is_running and tool_session.config.shell_command == "cat"
    await tool_session.send_input("typed into cat\n")
    await tool_session.expect(r"typed into cat\s+typed into cat")
    await host.close()


async def test_a_session_marked_autostart_runs_at_once(tmp_path: Path) -> None:
    db = tmp_path / "sessions.sqlite3"
    host = await open_host(db)
    await host.create(new(tmp_path, "always", autostart=True))
    await host.create(new(tmp_path, "on-demand"))
    await host.close()

    host = await open_host(db)
    assert await host.restore() == []  # listed once: a second call finds nothing new
    rows = {info.name: info for info in host.sessions()}
    assert len(rows) == 2
    assert rows["always"].running and not rows["always"].restorable
    assert not rows["on-demand"].running and rows["on-demand"].restorable
    await host.close()
    host = await open_host(db)  # still marked after it ran again
    assert {i.name for i in host.sessions() if i.running} == {"always"}
    await host.close()


async def test_killed_and_dismissed_sessions_are_forgotten(tmp_path: Path) -> None:
    db = tmp_path / "sessions.sqlite3"
    host = await open_host(db)
    keys = [await host.create(new(tmp_path, name)) for name in ("kept", "killed", "dismissed")]
    await host.kill(keys[1])
    await host.kill(keys[2])
    await host.dismiss(keys[2])
    running = await host.restart(keys[0])  # a running one restarts as a new session
    assert running != keys[0]
    await host.close()

    host = await open_host(db)
    assert [(i.key, i.name) for i in host.sessions()] == [(running, "kept")]
    await host.dismiss(running)  # a stopped one can be dismissed: gone for good
    await host.close()
    host = await open_host(db)
    assert host.sessions() == []
    await host.close()


async def printed_secret(host: SessionHost, key: str) -> None:
    session = live(host, key)
    await session.send_input("echo SECRET-$((6*7))-TOKEN\n")
    await session.expect(f"\n{SECRET}")


async def test_scrollback_is_not_kept_unless_asked(tmp_path: Path) -> None:
    db = tmp_path / "sessions.sqlite3"
    host = await open_host(db)
    key = await host.create(new(tmp_path, "plain", ai=False))
    await printed_secret(host, key)
    await host.close()
    assert SECRET.encode() not in db_bytes(db)

    host = await open_host(db)
    session = live(host, key)
    await host.restart(key)
    await session.execute("true")
    await session.screen_caught_up()
    assert SECRET not in session.screen.text()
    assert not any(SECRET in line for line in session.screen.scrollback)
    await host.close()


async def test_kept_scrollback_is_back_after_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "sessions.sqlite3"
    host = await open_host(db, persist_scrollback=True)
    key = await host.create(new(tmp_path, "kept", ai=False))
    other = await host.create(new(tmp_path, "not-kept", ai=False, persist_scrollback=False))
    for _ in range(40):  # enough lines that some scroll off the screen
        await live(host, key).send_input("echo filler line\n")
    await printed_secret(host, key)
    await printed_secret(host, other)
    await host.close()
    assert db_bytes(db).count(SECRET.encode()) >= 1

    host = await open_host(db)
    session = live(host, key)
    history = [*session.screen.scrollback, *session.screen.display()]
    assert any(SECRET in line for line in history)  # shown while stopped, before it runs
    assert any("filler line" in line for line in session.screen.scrollback)
    await host.restart(key)
    await session.execute("echo after the restart")
    await session.screen_caught_up()
    history = [*session.screen.scrollback, *session.screen.display()]
    assert any(SECRET in line for line in history)
    assert any("after the restart" in line for line in history)
    plain = live(host, other)
    assert not any(SECRET in line for line in [*plain.screen.scrollback, *plain.screen.display()])
    await host.close()


async def test_context_writes_are_coalesced_and_a_clean_stop_writes_them(tmp_path: Path) -> None:
    db = tmp_path / "sessions.sqlite3"
    host = await open_host(db)
    assert host.keeper is not None
    host.keeper.context_delay = 3600.0  # nothing is written behind during this test
    writes: list[str] = []
    save_context = host.keeper.records.save_context

    async def counted(session_id: str, state: object) -> None:
        writes.append(session_id)
        await save_context(session_id, state)  # type: ignore[arg-type]

    host.keeper.records.save_context = counted  # type: ignore[method-assign]
    key = await host.create(new(tmp_path, "busy"))
    assert len(writes) == 1  # with its record, when it was created
    session = live(host, key)
    for n in range(15):
        await session.execute(f"echo {n}")
    assert len(writes) == 1  # fifteen commands later: still waiting, coalesced
    await host.close()
    assert len(writes) == 2  # one write at the clean stop, with all of them

    host = await open_host(db)
    await host.restart(key)
    assert live(host, key).get_ai_context().stats().commands_seen == 15
    await host.close()


async def test_a_changed_context_reaches_the_file_while_the_host_runs(tmp_path: Path) -> None:
    """Written behind, without a stop: what a kill -9 of the server would leave."""
    db = tmp_path / "sessions.sqlite3"
    host = await open_host(db)
    assert host.keeper is not None
    host.keeper.context_delay = 0.05
    key = await host.create(new(tmp_path, "agent"))
    records = host.keeper.records
    [record] = await records.load()
    assert record.context is not None and record.context.layout["messages"] == []
    await live(host, key).execute("echo written behind")
    found: list[str] = []

    async def commands_in_file() -> list[str]:
        [record] = await records.load()
        assert record.context is not None
        return [m.metadata.get("command", "") for m in record.context.messages.values()]

    deadline = asyncio.get_running_loop().time() + 10
    while "echo written behind" not in found:
        assert asyncio.get_running_loop().time() < deadline, "the context was not written"
        await asyncio.sleep(0.05)
        found = await commands_in_file()
    await host.close()


HOST_PROCESS = """
import asyncio, sys
from pathlib import Path
from aitui.core.config import HistoryMode, SessionConfig
from aitui.core.host import SessionHost
from aitui.core.hosting import NewSession
from aitui.core.records import SessionRecords

async def main(db, cwd):
    host = SessionHost(records=await SessionRecords.open(db), shell="bash")
    host.keeper.context_delay = 0.05
    key = await host.create(NewSession(name="agent", directory=Path(cwd), role="dev",
                                       history=HistoryMode.PRIVATE))
    session = host.session(key)
    await session.execute("echo before the kill")
    while True:  # until the context with that command is in the file
        [record] = await host.keeper.records.load()
        if record.context is not None and len(record.context.layout["messages"]) == 1:
            break
        await asyncio.sleep(0.02)
    print(key, flush=True)
    await asyncio.sleep(3600)

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


async def test_after_a_kill_9_of_the_host_its_sessions_are_listed_with_their_context(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sessions.sqlite3"
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOST_PROCESS, str(db), str(tmp_path), stdout=asyncio.subprocess.PIPE
    )
    assert child.stdout is not None
    try:
        key = (await asyncio.wait_for(child.stdout.readline(), 60)).decode().strip()
    finally:
        child.send_signal(signal.SIGKILL)
        await child.wait()
    assert key, "the host process ended early"

    host = await open_host(db)
    [info] = host.sessions()
    assert (info.key, info.name, info.role, info.restorable) == (key, "agent", "dev", True)
    await host.restart(key)
    context = live(host, key).get_ai_context()
    assert [m.metadata["command"] for m in context.messages] == ["echo before the kill"]
    await host.close()


async def test_a_session_started_on_the_manager_is_recorded_too(tmp_path: Path) -> None:
    """The HTTP API's ``POST /sessions`` creates and starts sessions on the host's manager."""
    db = tmp_path / "sessions.sqlite3"
    host = await open_host(db)
    assert host.keeper is not None
    session = await host.manager.create_session_with_config(
        SessionConfig(name="from-api", working_directory=tmp_path, agent_role="ops")
    )
    await session.start()
    records = host.keeper.records
    deadline = asyncio.get_running_loop().time() + 10
    while not (kept := await records.load()):
        assert asyncio.get_running_loop().time() < deadline, "no record was written"
        await asyncio.sleep(0.02)
    assert [(r.id, r.name, r.role) for r in kept] == [(str(session.id), "from-api", "ops")]
    await host.manager.remove_session(session.id)  # DELETE /sessions/{id}: forgotten
    while await records.load():
        assert asyncio.get_running_loop().time() < deadline, "the record was not deleted"
        await asyncio.sleep(0.02)
    await host.close()
