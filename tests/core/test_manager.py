"""``SessionManager``: the reference's registry API, names unique, cleanup counts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from aitui import (
    AISession,
    SessionConfig,
    SessionExistsError,
    SessionId,
    SessionManager,
    SessionNotFoundError,
)
from aitui.core.restore import record_of


async def test_registry_api(tmp_path: Path) -> None:
    manager = SessionManager()
    default = await manager.create_session()
    named = await manager.create_session_with_config(
        SessionConfig(name="frontend-agent", working_directory=tmp_path, agent_role="frontend")
    )
    assert set(manager.list_sessions()) == {default.id, named.id}
    assert manager.get_session(named.id) is named
    assert manager.get_session_by_name("frontend-agent") is named
    assert manager.get_session_by_name("nope") is None
    assert manager.require("frontend-agent") is named
    assert manager.require(str(named.id)) is named
    with pytest.raises(SessionNotFoundError, match="nope"):
        manager.require("nope")
    await manager.remove_session(default.id)
    assert manager.list_sessions() == [named.id]
    with pytest.raises(SessionNotFoundError):
        await manager.remove_session(default.id)
    await manager.stop_all()


async def test_duplicate_name_is_refused(tmp_path: Path) -> None:
    manager = SessionManager()
    await manager.create_session_with_config(SessionConfig(name="dup", working_directory=tmp_path))
    with pytest.raises(SessionExistsError, match="'dup'"):
        await manager.create_session_with_config(
            SessionConfig(name="dup", working_directory=tmp_path)
        )


async def test_cleanup_terminated_counts(tmp_path: Path) -> None:
    manager = SessionManager()
    sessions = [
        await manager.create_session_with_config(
            SessionConfig(name=f"s{i}", shell="bash", working_directory=tmp_path)
        )
        for i in range(3)
    ]
    for session in sessions:
        await session.start()
    await sessions[0].send_input("exit 0\n")
    await sessions[0].wait_exit(5)
    await sessions[1].stop()
    assert await manager.cleanup_terminated() == 2
    assert manager.list_sessions() == [sessions[2].id]
    assert await manager.cleanup_terminated() == 0
    await manager.stop_all()


async def test_restore_session_keeps_id_and_creation_time(tmp_path: Path) -> None:
    manager = SessionManager()
    sid = SessionId.parse_str("550e8400-e29b-41d4-a716-446655440000")
    created = datetime(2024, 1, 15, 10, 30, tzinfo=UTC)
    original = AISession(
        SessionConfig(name="api", working_directory=tmp_path, agent_role="backend"),
        session_id=sid,
        created_at=created,
    )
    restored = await manager.restore_session(record_of(original))
    assert restored.id == sid and restored.created_at == created
    assert str(restored.id) == "550e8400-e29b-41d4-a716-446655440000"
    assert (restored.name, restored.config.agent_role) == ("api", "backend")
    assert restored.config.working_directory == tmp_path
    assert not restored.is_running  # listed, not run: start() runs it again
    with pytest.raises(SessionExistsError):
        await manager.restore_session(record_of(original))
    with pytest.raises(ValueError, match="not a session id"):
        SessionId.parse_str("nope")


async def test_restore_session_as_the_reference_calls_it(tmp_path: Path) -> None:
    """``manager.restore_session(session_id, config, created_at)``, the reference's call, was a
    TypeError (aitui's takes a record)."""
    manager = SessionManager()
    sid = SessionId.parse_str("550e8400-e29b-41d4-a716-446655440000")
    created = datetime(2024, 1, 15, 10, 30, tzinfo=UTC)
    config = SessionConfig(name="api", working_directory=tmp_path, shell="bash")
    restored = await manager.restore_session(sid, config, created)
    assert (restored.id, restored.created_at, restored.config) == (sid, created, config)
    assert manager.get_session(sid) is restored and not restored.is_running
    with pytest.raises(SessionExistsError):
        await manager.restore_session(sid, SessionConfig(working_directory=tmp_path))
    with pytest.raises(SessionExistsError, match="named 'api'"):
        await manager.restore_session(SessionId.new(), config)
    await restored.start()
    assert (await restored.execute("echo back")).output == "back\n"
    await manager.stop_all()
