"""Recording a live session as asciicast v2: every byte, behind the reader, replayable by
``aitui replay``; a failing disk stops the recording, never the session."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from aitui import AISession, SessionConfig
from aitui.core import recording as rec
from aitui.core.asciicast import load
from aitui.core.errors import SessionError
from tests.terminal.test_replay_cli import run_cli

PROGRAM = (
    "printf '\\033[1;31mred\\033[0m plain\\n'; printf 'wide: \\344\\270\\255\\346\\226\\207\\n'; "
    "read resized; printf '\\033[2J\\033[Hafter the resize: '; stty size"
)


def session_of(tmp_path: Path, command: str, size: tuple[int, int] = (12, 50)) -> AISession:
    return AISession(
        SessionConfig(shell_command=command, working_directory=tmp_path, pty_size=size)
    )


async def test_a_replayed_recording_ends_on_the_sessions_screen(tmp_path: Path) -> None:
    session = session_of(tmp_path, f"sh -c {PROGRAM!r}")
    cast_path = tmp_path / "casts" / "demo.cast"
    recording = session.start_recording(cast_path)
    await session.start()
    await session.expect("wide")
    await session.resize(10, 40)  # while the program waits: then it prints the new size
    await session.send_input("\r")
    await session.wait_exit(10)
    await session.screen_caught_up()
    assert not recording.active and recording.error is None

    cast = load(cast_path)
    assert (cast.width, cast.height) == (50, 12)
    assert ("r", "40x10") in [(e.code, e.data) for e in cast.events]
    assert "".join(cast.output()).encode() == session.recent_output()
    dumped = run_cli("replay", str(cast_path), "--dump").stdout
    assert "after the resize: 10 40" in dumped
    assert dumped.rstrip("\n").split("\n") == session.screen.text().rstrip("\n").split("\n")


async def test_a_flood_is_recorded_whole(tmp_path: Path) -> None:
    """Every byte of a 21 MB flood, in order, however fast the machine reads it (the reader's
    deferral during the flood is the next test's, on a clock of its own)."""
    count = 3_000_000
    session = session_of(tmp_path, f"seq 1 {count}", size=(24, 80))
    cast_path = tmp_path / "flood.cast"
    recording = session.start_recording(cast_path)
    await session.start()
    await session.wait_exit(60)
    await session.stop_recording()
    expected = "".join(f"{n}\r\n" for n in range(1, count + 1))
    assert "".join(load(cast_path).output()) == expected
    assert recording.pending == 0 and not recording.active


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def until(condition: Callable[[], bool]) -> None:
    """Let the loop run (real timers fire) until ``condition`` holds; bounded."""
    for _ in range(2000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition not reached")


async def test_the_reader_only_appends_and_a_flood_defers_encoding(tmp_path: Path) -> None:
    """Output arriving faster than FLOOD_BYTES_PER_SECOND (as the recording's clock sees it)
    is kept, not encoded, until a flush finds the flood over; then written in slices."""
    clock = FakeClock()
    path = tmp_path / "r.cast"
    recording = rec.open_recording(path, 80, 24, title="t", command=None, clock=clock)
    header_size = path.stat().st_size
    flushes = 0
    original = recording._flush

    def counted_flush() -> None:
        nonlocal flushes
        flushes += 1
        original()

    recording._flush = counted_flush  # type: ignore[method-assign]
    for n in range(300):  # 1.2 MB within a millisecond of the clock: a flood
        recording.feed(b"x" * 4096, when=clock.now + n * 1e-6)
    clock.now += 0.001
    await until(lambda: flushes >= 1)
    assert path.stat().st_size == header_size  # deferred: nothing encoded yet
    assert recording.pending == 300 * 4096
    clock.now += 1.0  # nothing more arrived for a second: the next flush writes
    await until(lambda: recording.pending == 0)
    await recording.finish()
    events = load(path).events
    assert "".join(e.data for e in events) == "x" * 300 * 4096
    # Chunks read within MERGE_SECONDS are one event, of at most MAX_EVENT bytes.
    assert len(events) == 300 * 4096 // rec.MAX_EVENT + 1


async def test_a_write_error_stops_the_recording_not_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    session = session_of(tmp_path, "sh -c 'echo one; sleep 0.3; echo two'")
    recording = session.start_recording(tmp_path / "r.cast")

    def disk_full(data: bytes | str, at: float | None = None) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(recording._writer, "output", disk_full)
    await session.start()
    assert await session.wait_exit(10) == 0
    await session.screen_caught_up()
    assert "two" in session.screen.text()
    assert recording.error is not None and "No space left" in recording.error
    assert "recording to" in caplog.text and "stopped" in caplog.text
    # A new recording may start once that one has failed.
    assert session.start_recording(tmp_path / "again.cast").active


async def test_clear_errors_for_a_second_recording_and_an_unwritable_path(
    tmp_path: Path,
) -> None:
    session = session_of(tmp_path, "true")
    session.start_recording(tmp_path / "a.cast")
    with pytest.raises(SessionError, match=r"already recording to .*a\.cast"):
        session.start_recording(tmp_path / "b.cast")
    await session.stop_recording()
    (tmp_path / "file").write_text("")
    with pytest.raises(SessionError, match=r"cannot record to .*file/x\.cast"):
        session.start_recording(tmp_path / "file" / "x.cast")


async def test_a_recording_started_mid_session_replays_to_the_sessions_screen(
    tmp_path: Path,
) -> None:
    session = AISession(SessionConfig(shell="bash", working_directory=tmp_path, pty_size=(12, 60)))
    await session.start()
    try:
        await session.execute("printf '\\033[1;32mbefore\\033[0m the recording\\n'")
        cast_path = tmp_path / "mid.cast"
        session.start_recording(cast_path)
        await session.execute("echo during; printf 'wide \\344\\270\\255\\n'")
        await session.screen_caught_up()
        await session.stop_recording()
        dumped = run_cli("replay", str(cast_path), "--dump").stdout
        assert "before the recording" in dumped and "during" in dumped
        assert dumped.rstrip("\n").split("\n") == session.screen.text().rstrip("\n").split("\n")
    finally:
        await session.stop()


def test_default_paths_are_in_the_data_dir_with_a_safe_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AITUI_DATA_DIR", str(tmp_path))
    path = rec.default_recording_path("api/worker 2", datetime(2026, 11, 25, 9, 5, 7))
    assert path == tmp_path / "recordings" / "api_worker_2-20261125-090507.cast"
