"""Nothing aitui writes is readable by other local users: directories 0700, files 0600.

Recordings hold whole terminal sessions and the store agents' messages, secrets included; the
data dir was 0755 and the files 0644. Each test runs under umask 000, the loosest there is, so
the modes come from creation itself, not from a careful umask.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from aitui import AISession, SessionConfig
from aitui.core.agents import open_persistent
from aitui.core.agents.tasks import Task
from aitui.core.recording import default_recording_path
from aitui.core.settings import Settings, save_settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data dir that does not exist yet (two levels), under umask 000."""
    root = tmp_path / "share" / "aitui"
    monkeypatch.setenv("AITUI_DATA_DIR", str(root))
    previous = os.umask(0)
    try:
        yield root
    finally:
        os.umask(previous)


async def test_the_store_its_wal_and_its_lock_are_private(data: Path) -> None:
    coordinator, distributor = await open_persistent()
    try:
        await distributor.submit_task(Task(description="secret: API_KEY=sk-123"))
        files = sorted(p.name for p in data.iterdir())
        assert {"agents.sqlite3", "agents.sqlite3-wal", "agents.sqlite3-shm"} < set(files)
        assert {p.name: mode(p) for p in data.iterdir()} == dict.fromkeys(files, 0o600)
    finally:
        await coordinator.close()
    assert mode(data) == 0o700
    assert mode(data.parent) == 0o700  # made by aitui too


async def test_an_older_versions_loose_data_dir_and_store_are_tightened(data: Path) -> None:
    data.mkdir(parents=True)
    os.chmod(data, 0o755)
    db = data / "agents.sqlite3"
    conn = sqlite3.connect(db)  # as an older version left it: WAL files and all, 0644
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE old (x)")
    files = [db, data / "agents.sqlite3-wal", data / "agents.sqlite3-shm"]
    for path in files:
        os.chmod(path, 0o644)
    coordinator, _ = await open_persistent()
    await coordinator.close()
    conn.close()
    assert mode(data) == 0o700
    assert {p.name: mode(p) for p in data.iterdir()} == {p.name: 0o600 for p in data.iterdir()}


async def test_a_recording_and_its_directory_are_private(data: Path, tmp_path: Path) -> None:
    session = AISession(SessionConfig(shell_command="echo hi", working_directory=tmp_path))
    path = default_recording_path("demo")
    recording = session.start_recording(path)
    await session.start()
    await session.wait_exit(10)
    await session.stop_recording()
    assert recording.error is None and path.read_text().count("hi") >= 1
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(data) == 0o700


def test_the_settings_file_is_private(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        path = save_settings(Settings(), tmp_path / "config" / "aitui" / "config.toml")
    finally:
        os.umask(previous)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
