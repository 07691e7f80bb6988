"""Persistence: messages and tasks survive a restart, and a SIGKILL loses nothing acknowledged."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from aitui.core.agents import (
    AgentId,
    InboxFullError,
    Message,
    MessageError,
    MessagePriority,
    MessageType,
    MultiAgentSession,
    Store,
    StoreError,
    Task,
    TaskDistributor,
    TaskPriority,
    TaskState,
    default_db_path,
)
from aitui.core.agents import store as db


def test_data_dir_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AITUI_DATA_DIR", str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "agents.sqlite3"
    monkeypatch.delenv("AITUI_DATA_DIR")
    assert default_db_path().parent.name == "aitui"


async def test_default_path_and_wal_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AITUI_DATA_DIR", str(tmp_path / "data"))
    bus = await MultiAgentSession.open()
    await bus.close()
    path = tmp_path / "data" / "agents.sqlite3"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_unacked_messages_come_back_after_restart_in_order(tmp_path: Path) -> None:
    path = tmp_path / "agents.sqlite3"
    a, b = AgentId.new(), AgentId.new()
    bus = await MultiAgentSession.open(path)
    bus.register_agent(a)
    bus.register_agent(b)
    sent = []
    for i, p in enumerate([MessagePriority.LOW, MessagePriority.HIGH, MessagePriority.NORMAL]):
        m = Message(from_=a, message_type=MessageType.DATA_SHARE, payload={"i": i}, priority=p)
        await bus.send_message(a, b, m)
        sent.append(m)
    handled = await bus.receive(b)
    await bus.ack(b, handled.id)  # the HIGH one
    await bus.receive(b)  # NORMAL: received, not acked -> must come back
    await bus.close()

    bus = await MultiAgentSession.open(path)
    try:
        bus.register_agent(b)
        again = [bus.try_receive(b) for _ in range(3)]
        assert again[2] is None
        assert again[:2] == [sent[2], sent[0]]  # same messages, same order, not the acked one
    finally:
        await bus.close()


async def test_tasks_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "agents.sqlite3"
    agent = AgentId.new()
    bus = await MultiAgentSession.open(path)
    d = TaskDistributor(bus)
    bus.register_agent(agent)
    d.register_capabilities(agent, ["rust"])
    done = Task("done", ["rust"], TaskPriority.HIGH, timedelta(hours=2), {"k": [1, 2]})
    blocked = Task("blocked", ["cobol"])
    await d.submit_task(done)
    await d.submit_task(blocked)
    await d.distribute_tasks()
    await d.complete_task(done.id, {"commits": 3})
    await bus.close()

    bus = await MultiAgentSession.open(path)
    try:
        d = TaskDistributor(bus)
        await d.load()
        infos = {i.task.id: i for i in d.list_tasks()}
        assert infos[done.id].task == done
        assert infos[done.id].state is TaskState.DONE
        assert infos[done.id].result == {"commits": 3}
        assert infos[done.id].agent_id == agent
        assert infos[blocked.id].state is TaskState.PENDING
        assert "cobol" in (infos[blocked.id].reason or "")
    finally:
        await bus.close()


CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from aitui.core.agents import AgentId, Message, MessageType, MultiAgentSession

    async def main(path, a, b):
        bus = await MultiAgentSession.open(path, inbox_capacity=1_000_000)
        a, b = AgentId.parse_str(a), AgentId.parse_str(b)
        bus.register_agent(a)
        bus.register_agent(b)
        i = 0
        while True:
            m = Message(from_=a, message_type=MessageType.DATA_SHARE, payload={"i": i})
            await bus.send_message(a, b, m)
            print("sent", m.id, flush=True)
            got = await bus.receive(b)
            if i % 3:  # every third message is received but never acknowledged
                await bus.ack(b, got.id)
                print("acked", got.id, flush=True)
            i += 1

    asyncio.run(main(*sys.argv[1:]))
    """
)


async def test_sigkill_mid_stream_loses_nothing_acknowledged(tmp_path: Path) -> None:
    path = tmp_path / "agents.sqlite3"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    a, b = AgentId.new(), AgentId.new()
    child = await asyncio.create_subprocess_exec(
        sys.executable, str(script), str(path), str(a), str(b), stdout=asyncio.subprocess.PIPE
    )
    assert child.stdout is not None
    sent: set[str] = set()
    acked: set[str] = set()
    try:
        async with asyncio.timeout(60):
            while len(acked) < 300:
                line = (await child.stdout.readline()).decode()
                assert line, "the child exited early"
                kind, ident = line.split()
                (sent if kind == "sent" else acked).add(ident)
    finally:
        child.send_signal(signal.SIGKILL)  # mid-stream: it is still sending and acking
    rest, _ = await child.communicate()
    assert child.returncode == -signal.SIGKILL
    for line in rest.decode().splitlines():
        parts = line.split()
        if len(parts) == 2:  # the last line may be cut short by the kill
            (sent if parts[0] == "sent" else acked).add(parts[1])

    store = await Store.open(path)
    try:
        states = await store.run(db.message_states)
    finally:
        await store.close()
    stored = {ident: state for (ident, recipient), state in states.items() if recipient == str(b)}
    assert sent <= stored.keys(), "a message whose send returned is missing"
    assert all(stored[i] == "acked" for i in acked), "an acknowledgement was lost"
    unacked = {i for i, state in stored.items() if state == "pending"}
    assert unacked >= sent - acked - {i for i, s in stored.items() if s == "acked"}

    bus = await MultiAgentSession.open(path)
    try:
        bus.register_agent(b)
        redelivered = set()
        while (m := bus.try_receive(b)) is not None:
            redelivered.add(str(m.id))
        assert redelivered == unacked
        assert not redelivered & acked
        assert len(redelivered) >= 90  # every third of >= 300 acked rounds was left unacked
    finally:
        await bus.close()


async def test_an_acked_message_cannot_be_sent_again_after_restart(tmp_path: Path) -> None:
    path = tmp_path / "agents.sqlite3"
    a, b = AgentId.new(), AgentId.new()
    m = Message(from_=a, message_type=MessageType.DATA_SHARE, payload=1)
    bus = await MultiAgentSession.open(path)
    for agent in (a, b):
        bus.register_agent(agent)
    await bus.send_message(a, b, m)
    await bus.ack(b, (await bus.receive(b)).id)
    await bus.close()
    bus = await MultiAgentSession.open(path)
    try:
        for agent in (a, b):
            bus.register_agent(agent)
        with pytest.raises(MessageError, match="duplicate"):
            await bus.send_message(a, b, m)
        assert bus.pending_count(b) == 0
    finally:
        await bus.close()


async def test_unusable_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match=str(blocker)):
        await MultiAgentSession.open(blocker / "sub" / "agents.sqlite3")


async def test_concurrent_persistent_sends_respect_the_bound(tmp_path: Path) -> None:
    bus = await MultiAgentSession.open(tmp_path / "agents.sqlite3", inbox_capacity=3)
    try:
        a, b = AgentId.new(), AgentId.new()
        for agent in (a, b):
            bus.register_agent(agent)
        sends = [
            bus.send_message(a, b, Message(from_=a, message_type=MessageType.DATA_SHARE))
            for _ in range(8)
        ]
        results = await asyncio.gather(*sends, return_exceptions=True)
        assert sum(r is None for r in results) == 3
        assert all(isinstance(r, InboxFullError) for r in results if r is not None)
        assert bus.pending_count(b) == 3
    finally:
        await bus.close()


async def test_database_work_runs_off_the_event_loop_thread(tmp_path: Path) -> None:
    import threading

    store = await Store.open(tmp_path / "agents.sqlite3")
    try:
        loop_thread = threading.get_ident()
        assert await store.run(lambda conn: threading.get_ident()) != loop_thread
    finally:
        await store.close()
