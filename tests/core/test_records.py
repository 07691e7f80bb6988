"""Session records: an AI context round-trips exactly, the file is private and survives kill -9.

The crash test is a real process killed with SIGKILL while it commits: whatever it said was
committed before the kill is there when the file is opened again, and SQLite finds it sound.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import sqlite3
import stat
import sys
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from aitui.core.config import CompressionStrategy, ContextConfig
from aitui.core.context import MessageRole, SessionContext
from aitui.core.context_state import config_from_json, config_json, rebuild, snapshot
from aitui.core.records import SessionRecord, SessionRecords

#: Attributes that are machinery, not state (a lock, the listeners, a rate limiter's clock).
NOT_STATE = {"_lock", "_subscribers", "_last_stream_event", "_stream", "config"}


def busy_context() -> SessionContext:
    """A context that went through everything: commands, compression (summaries, shortened
    outputs, the sliding window), a restore, a dropped raw output, streamed output."""
    config = ContextConfig(
        max_tokens=1500,
        compression_strategy=CompressionStrategy.SUMMARIZE_OUTPUT,
        raw_archive_chars=6_000,
    )
    context = SessionContext(config, session_id="s-1")
    context.add_message(role=MessageRole.SYSTEM, content="You are the backend agent.")
    for n in range(12):
        lines = "\n".join(hashlib.sha256(f"{n}.{i}".encode()).hexdigest() for i in range(16))
        context.record_command(f"cat digests{n}", lines, n % 3, execution_time_ms=1.5 * n)
        context.add_message(role="assistant", content=f"run {n} looked fine", step=n, tags=["a"])
    summary = next(m for m in context.messages if "summary_of" in m.metadata)
    context.restore(summary.id)
    context.feed_output(b"streamed \xc3\xa9 output\nand a partial line")
    return context


def assert_equal(restored: SessionContext, original: SessionContext) -> None:
    mine, theirs = vars(restored), vars(original)
    assert mine.keys() == theirs.keys()
    for name in theirs.keys() - NOT_STATE:
        assert mine[name] == theirs[name], name
    assert restored.stats() == original.stats()
    assert restored.messages == original.messages
    assert restored.archived_messages() == original.archived_messages()
    assert restored.get_summary() == original.get_summary()
    assert original._stream is not None and restored._stream is not None
    assert restored._stream.total == original._stream.total
    assert restored.feed_output("more\n") == original.feed_output("more\n")


def test_a_busy_context_is_rebuilt_equal() -> None:
    original = busy_context()
    assert original.stats().compressions > 0 and original.raw_outputs_dropped > 0
    state = snapshot(original)
    rebuilt = rebuild(state, original.config, original.session_id)
    assert_equal(rebuilt, original)


async def test_a_context_round_trips_through_the_file(tmp_path: Path) -> None:
    original = busy_context()
    records = await SessionRecords.open(tmp_path / "sessions.sqlite3")
    await records.save(record("s-1", "api"))
    await records.save_context("s-1", snapshot(original))
    # Later saves write only what changed; messages no longer referred to are deleted.
    original.record_command("ls", "a\nb\n", 0)
    original.compress_context()
    await records.save_context("s-1", snapshot(original))
    await records.close()

    again = await SessionRecords.open(tmp_path / "sessions.sqlite3")
    [loaded] = again.loaded
    assert loaded.context is not None
    assert set(loaded.context.messages) == set(snapshot(original).messages)
    assert_equal(rebuild(loaded.context, original.config, "s-1"), original)
    await again.close()


def record(sid: str, name: str, **extra: Any) -> SessionRecord:
    config = {"shell_command": None, "working_directory": "/tmp", "agent_role": None}
    return SessionRecord(
        id=sid, name=name, config=config, created_at="2026-01-01T00:00:00+00:00", **extra
    )


async def test_delete_forgets_the_record_and_its_context(tmp_path: Path) -> None:
    records = await SessionRecords.open(tmp_path / "s.sqlite3")
    for sid in ("a", "b"):
        await records.save(record(sid, sid, metadata={"ticket": [1, 2]}))
        await records.save_context(sid, snapshot(busy_context()))
    await records.delete("a")
    [left] = await records.load()
    assert (left.id, left.metadata) == ("b", {"ticket": [1, 2]})
    await records.close()
    with sqlite3.connect(tmp_path / "s.sqlite3") as conn:
        sessions = {r[0] for r in conn.execute("SELECT DISTINCT session FROM context_messages")}
    assert sessions == {"b"}


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


async def test_the_records_file_its_wal_and_its_lock_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loose_umask: None
) -> None:
    data = tmp_path / "share" / "aitui"
    monkeypatch.setenv("AITUI_DATA_DIR", str(data))
    records = await SessionRecords.open()  # the default: the data dir
    await records.save(record("a", "api"))
    names = {p.name for p in data.iterdir()}
    assert {"sessions.sqlite3", "sessions.sqlite3-wal", "sessions.sqlite3-shm"} <= names
    assert "sessions.sqlite3.lock" in names
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in data.iterdir()} == dict.fromkeys(
        names, 0o600
    )
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    await records.close()


async def test_a_second_process_is_told_who_holds_the_records(tmp_path: Path) -> None:
    from aitui.core.agents.errors import StoreError

    records = await SessionRecords.open(tmp_path / "s.sqlite3")
    with pytest.raises(StoreError, match=rf"in use by another aitui process \(pid {os.getpid()}\)"):
        await SessionRecords.open(tmp_path / "s.sqlite3")
    await records.close()


WRITER = """
import asyncio, sys
from aitui.core.context import SessionContext
from aitui.core.context_state import snapshot
from aitui.core.records import SessionRecord, SessionRecords

async def main(path):
    records = await SessionRecords.open(path)
    context = SessionContext()
    n = 0
    while True:
        sid = f"s-{n}"
        config = {"shell_command": "claude", "working_directory": "/tmp", "agent_role": "dev"}
        await records.save(SessionRecord(sid, f"agent-{n}", config, "2026-01-01T00:00:00+00:00",
                                         metadata={"n": n}))
        context.record_command(f"echo {n}", f"output {n}\\n", 0)
        await records.save_context(sid, snapshot(context))
        print(n, flush=True)  # committed, both
        n += 1

asyncio.run(main(sys.argv[1]))
"""


async def test_a_writer_killed_mid_way_loses_nothing_it_committed(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", WRITER, str(path), stdout=asyncio.subprocess.PIPE
    )
    assert child.stdout is not None
    committed = -1
    try:
        while committed < 40:  # kill it while it writes, somewhere in a later transaction
            line = await asyncio.wait_for(child.stdout.readline(), 60)
            assert line, "the writer ended early"
            committed = int(line)
    finally:
        child.send_signal(signal.SIGKILL)
        await child.wait()
    assert child.returncode == -signal.SIGKILL

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    records = await SessionRecords.open(path)  # the dead writer's lock went with it
    loaded = {r.id: r for r in records.loaded}
    await records.close()
    for n in range(committed + 1):
        kept = loaded[f"s-{n}"]
        assert (kept.name, kept.metadata, kept.command) == (f"agent-{n}", {"n": n}, "claude")
        assert kept.context is not None
        context = rebuild(kept.context, ContextConfig(), kept.id)
        commands = [m.metadata["command"] for m in context.messages]
        assert commands[-1] == f"echo {n}" and len(commands) == n + 1
    for kept in loaded.values():  # the ones in flight: each transaction came whole or not
        if kept.context is not None:
            rebuild(kept.context, ContextConfig(), kept.id)


def test_every_context_setting_but_a_callable_model_is_kept() -> None:
    """A restored session's context had its model's name but not its endpoint, key variable
    or timeout: the built-in summary, silently, after every restart of the server."""
    config = ContextConfig(
        max_tokens=9000,
        compression_threshold=0.5,
        compression_strategy=CompressionStrategy.INTELLIGENT,
        preserve_system_messages=False,
        preserve_recent_count=7,
        summarization_model="tiny-summarizer",
        summarization_base_url="http://127.0.0.1:8080/v1",
        summarization_api_key_env="LOCAL_LLM_KEY",
        summarization_timeout=12.5,
        encoding="cl100k_base",
        raw_archive_chars=1234,
    )
    assert config_from_json(json.loads(json.dumps(config_json(config)))) == config
    assert {f.name for f in fields(ContextConfig)} == set(config_json(config))
    old = {k: v for k, v in config_json(config).items() if not k.startswith("summarization_")}
    assert config_from_json(old).summarization_timeout == ContextConfig().summarization_timeout
