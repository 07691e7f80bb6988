"""The product's persisted coordination (``open_persistent``): stable agent ids, one owner of the
database at a time, and a restart that gives a session of the same name back what it had."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import textwrap
from pathlib import Path

import pytest

from aitui.core.agents import (
    AgentId,
    Message,
    MessageType,
    Store,
    StoreError,
    Task,
    TaskState,
    open_persistent,
)


def test_agent_ids_by_name_are_stable_and_distinct() -> None:
    assert AgentId.for_name("backend") == AgentId.for_name("backend")
    assert AgentId.for_name("backend") != AgentId.for_name("frontend")
    assert not AgentId.for_name("system").is_system
    # The namespace is part of the persisted format: an id written by an earlier version
    # must still parse to the same agent.
    assert str(AgentId.for_name("backend")) == str(
        AgentId.parse_str(str(AgentId.for_name("backend")))
    )


async def test_a_second_owner_is_told_who_holds_the_store(tmp_path: Path) -> None:
    path = tmp_path / "agents.sqlite3"
    first = await Store.open(path, exclusive=True)
    try:
        with pytest.raises(
            StoreError, match=rf"in use by another aitui process \(pid {os.getpid()}\)"
        ):
            await Store.open(path, exclusive=True)
        shared = await Store.open(path)  # not exclusive: tools and tests may still read it
        await shared.close()
    finally:
        await first.close()
    again = await Store.open(path, exclusive=True)  # released by close
    await again.close()


HOLDER = textwrap.dedent(
    """
    import asyncio, sys
    from aitui.core.agents import Store

    async def main():
        await Store.open(sys.argv[1], exclusive=True)
        print("holding", flush=True)
        await asyncio.sleep(60)

    asyncio.run(main())
    """
)


async def test_a_killed_owner_leaves_no_stale_lock(tmp_path: Path) -> None:
    path = tmp_path / "agents.sqlite3"
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLDER, str(path), stdout=asyncio.subprocess.PIPE
    )
    assert child.stdout is not None
    try:
        async with asyncio.timeout(30):
            assert await child.stdout.readline() == b"holding\n"
        with pytest.raises(StoreError, match=rf"pid {child.pid}\)"):
            await Store.open(path, exclusive=True)
    finally:
        child.send_signal(signal.SIGKILL)
        await child.wait()
    store = await Store.open(path, exclusive=True)
    await store.close()


async def test_a_session_of_the_same_name_gets_back_its_messages_and_tasks(
    tmp_path: Path,
) -> None:
    path = tmp_path / "agents.sqlite3"
    backend = AgentId.for_name("backend")
    coordinator, distributor = await open_persistent(path)
    try:
        coordinator.register_agent(backend)
        distributor.register_capabilities(backend, ["backend"])
        api = await distributor.submit_task(Task("build the api", ["backend"]))
        docs = await distributor.submit_task(Task("write the docs", ["docs"]))
        await distributor.distribute_tasks()
        note = Message(from_=AgentId.system(), message_type=MessageType.DATA_SHARE, payload=2)
        await coordinator.send_message(AgentId.system(), backend, note)
    finally:
        await coordinator.close()  # the process ends: nothing was received or acknowledged

    coordinator, distributor = await open_persistent(path)
    try:
        states = {info.task.id: info for info in distributor.list_tasks()}
        assert states[api].state is TaskState.ASSIGNED and states[api].agent_id == backend
        assert states[docs].state is TaskState.PENDING
        coordinator.register_agent(AgentId.for_name("backend"))  # the session is back
        received = []
        while (message := coordinator.try_receive(backend)) is not None:
            received.append(message)
        kinds = [m.message_type for m in received]
        assert kinds == [MessageType.TASK_ASSIGNMENT, MessageType.DATA_SHARE]
        assert received[1].id == note.id
    finally:
        await coordinator.close()


async def test_open_persistent_refuses_a_second_process_view(tmp_path: Path) -> None:
    """Two coordinators restoring one database would each deliver its messages again."""
    path = tmp_path / "agents.sqlite3"
    coordinator, _ = await open_persistent(path)
    try:
        with pytest.raises(StoreError, match="in use by another aitui process"):
            await open_persistent(path)
    finally:
        await coordinator.close()
    coordinator, _ = await open_persistent(path)
    await coordinator.close()


async def test_agent_names_survive_a_restart(tmp_path: Path) -> None:
    """Ids by name are one-way: the name is stored, so a task held by an agent that has not
    registered again can still be shown by name."""
    path = tmp_path / "agents.sqlite3"
    coordinator, _ = await open_persistent(path)
    backend = AgentId.for_name("backend")
    await coordinator.remember_name(backend, "backend")
    await coordinator.remember_name(backend, "backend")  # unchanged: nothing to write
    await coordinator.close()

    coordinator, _ = await open_persistent(path)
    try:
        assert coordinator.known_names == {backend: "backend"}
        assert coordinator.agent_ids() == []
    finally:
        await coordinator.close()


async def test_a_name_the_store_cannot_take_is_logged_and_kept_for_the_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    coordinator, _ = await open_persistent(tmp_path / "agents.sqlite3")
    assert coordinator.store is not None
    await coordinator.store.close()  # every later write fails with StoreError
    backend = AgentId.for_name("backend")
    await coordinator.remember_name(backend, "backend")
    assert coordinator.known_names[backend] == "backend"
    assert "its name 'backend' was not saved" in caplog.text
    await coordinator.close()
