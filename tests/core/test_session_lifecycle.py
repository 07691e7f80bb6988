"""Session life cycle, I/O, resize, events and clear errors, with real PTYs."""

from __future__ import annotations

import asyncio
import os
import re
import signal
from pathlib import Path

import pytest

from aitui import (
    AISession,
    ConfigError,
    ExecuteError,
    ExpectTimeoutError,
    SessionConfig,
    SessionNotRunningError,
    SessionStatus,
    SpawnError,
)
from aitui.core.events import (
    CommandFinished,
    CommandStarted,
    OutputReceived,
    PromptShown,
    ScreenUpdated,
    SessionEvent,
    SessionExited,
    StatusChanged,
)
from aitui.core.screen_feed import backlog_limit
from aitui.core.session import STOP_BACKLOG
from tests.conftest import SessionFactory, shell_params


async def test_status_goes_through_its_life_cycle(tmp_path: Path) -> None:
    session = AISession(SessionConfig(shell="bash", working_directory=tmp_path))
    assert session.status() is SessionStatus.INITIALIZING
    await session.start()
    assert session.status() is SessionStatus.RUNNING
    await session.pause()
    assert session.status() is SessionStatus.PAUSED
    await session.resume()
    assert session.status() is SessionStatus.RUNNING
    await session.stop()
    assert session.status() is SessionStatus.TERMINATED
    await session.stop()  # idempotent


async def test_send_input_and_read_output(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    await session.read_output()
    await session.send_input("echo 'Hello AI Session!'\n")
    collected = b""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while b"Hello AI Session!\r\n" not in collected and loop.time() < deadline:
        collected += await session.read_output()
    assert b"Hello AI Session!\r\n" in collected
    # Nothing new: returns empty after its short bounded wait, never blocks.
    started = loop.time()
    await session.read_output(timeout=0.05)
    assert loop.time() - started < 2


async def test_output_is_read_without_anyone_reading(make_session: SessionFactory) -> None:
    """A slow consumer never stalls the child: 20 MB flows while nobody reads."""
    session = await make_session("bash", output_buffer_size=64 * 1024)
    result = await session.execute(
        "head -c 20000000 /dev/zero | tr '\\0' x; echo; echo DONE",
        timeout_ms=60_000,
    )
    assert result.exit_code == 0
    assert result.truncated  # 20 MB is over the default 8 MB cap of one execute
    assert len(session.recent_output()) <= 64 * 1024
    assert len(await session.read_output()) <= 64 * 1024


async def test_resize_is_seen_by_the_program(make_session: SessionFactory) -> None:
    session = await make_session("bash", pty_size=(24, 80))
    assert (await session.execute("stty size")).output == "24 80\n"
    await session.resize(30, 120)
    assert (await session.execute("stty size")).output == "30 120\n"
    assert (await session.execute("tput cols")).output == "120\n"
    assert session.screen.rows == 30 and session.screen.cols == 120


async def test_resize_sends_sigwinch(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    await session.send_input("trap 'echo got-winch' WINCH; echo armed; sleep 5 & wait\n")
    await session.expect("\narmed", timeout=5)
    await session.resize(40, 100)
    await session.expect("got-winch", timeout=5)


async def test_expect_matches_and_reports_screen_on_timeout(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    await session.send_input("python3 -c \"print('rea' + 'dy>'); input()\"\n")
    match = await session.expect(re.compile(r"ready>"), timeout=10)
    assert match.group(0) == "ready>"
    with pytest.raises(ExpectTimeoutError) as info:
        await session.expect("never-printed", timeout=0.3)
    assert "never-printed" in str(info.value)
    assert "ready>" in str(info.value)  # shows the last screen lines


async def test_events_are_emitted(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    seen: list[SessionEvent] = []
    unsubscribe = session.subscribe(seen.append)
    await session.execute("echo evt")
    await session.stop()
    unsubscribe()
    kinds = {type(e) for e in seen}
    assert {OutputReceived, CommandStarted, CommandFinished, PromptShown} <= kinds
    assert SessionExited in kinds
    assert any(isinstance(e, StatusChanged) and e.new is SessionStatus.TERMINATED for e in seen)
    finished = [e for e in seen if isinstance(e, CommandFinished)]
    assert finished[0].exit_code == 0


async def test_subscribers_may_leave_out_the_per_read_output_event(
    make_session: SessionFactory,
) -> None:
    """The dashboard's activity badges need to know *that* output came, not each PTY read:
    with only such subscribers, the reader builds no ``OutputReceived`` at all, and
    ``last_output_at`` says when output last came."""
    session = await make_session("bash")
    outputless: list[SessionEvent] = []
    session.subscribe(outputless.append, output=False)
    assert not session._events.wants_output
    before = session.last_output_at
    built = 0
    original = session._events.emit

    def counting(event: SessionEvent) -> None:
        nonlocal built
        built += isinstance(event, OutputReceived)
        original(event)

    session._events.emit = counting  # type: ignore[method-assign]
    await session.execute("echo quiet-events")
    assert built == 0
    assert session.last_output_at is not None and (
        before is None or session.last_output_at > before
    )
    kinds = {type(e) for e in outputless}
    assert OutputReceived not in kinds and {CommandStarted, CommandFinished} <= kinds

    everything: list[SessionEvent] = []
    unsubscribe = session.subscribe(everything.append)  # someone wants the bytes again
    await session.execute("echo loud-events")
    unsubscribe()
    assert any(isinstance(e, OutputReceived) and b"loud-events" in e.data for e in everything)
    assert OutputReceived not in {type(e) for e in outputless}


async def test_events_async_iteration(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    stream = session.events()

    async def first_finished() -> CommandFinished:
        async for event in stream:
            if isinstance(event, CommandFinished):
                return event
        raise AssertionError("stream ended")

    waiter = asyncio.ensure_future(first_finished())
    await asyncio.sleep(0)
    await session.execute("false")
    event = await asyncio.wait_for(waiter, 5)
    assert event.exit_code == 1


async def test_metadata_and_timestamps(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    session.set_metadata("project", {"name": "my-app", "version": "1.0.0"})
    assert session.get_metadata("project") == {"name": "my-app", "version": "1.0.0"}
    assert session.get_metadata("missing") is None
    before = session.last_activity
    await session.execute("true")
    assert session.last_activity > before >= session.created_at


async def test_child_exit_code_is_recorded(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    await session.send_input("exit 7\n")
    assert await session.wait_exit(5) == 7
    assert session.status() is SessionStatus.TERMINATED
    with pytest.raises(SessionNotRunningError, match="exited with code 7"):
        await session.send_input("echo hi\n")
    with pytest.raises(SessionNotRunningError, match="exited with code 7"):
        await session.execute("echo hi")


async def test_programs_get_default_signal_dispositions(make_session: SessionFactory) -> None:
    """Even when aitui itself ignores SIGINT (started with nohup or as a background job) and
    Python ignores SIGPIPE: a terminal must hand its programs the defaults."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        session = await make_session("bash")
    finally:
        signal.signal(signal.SIGINT, previous)
    status = await session.execute("grep SigIgn /proc/self/status")
    ignored = int(status.output.split()[-1], 16) & 0x7FFF_FFFF  # the classic signals, 1-31
    assert ignored & ~(1 << (signal.SIGINT - 1)) == 0  # an interactive bash ignores only INT
    pipe = await session.execute("yes | head -1; echo ${PIPESTATUS[0]}")
    assert pipe.output.split() == ["y", str(128 + signal.SIGPIPE)]  # killed by SIGPIPE, quietly
    interrupted = await session.execute("sh -c 'kill -INT $$'")
    assert interrupted.exit_code == 128 + signal.SIGINT


async def test_execute_when_the_shell_exits_mid_command(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    result = await session.execute("echo bye; exit 3")
    assert result.exit_code == 3 or session.exit_code == 3
    assert result.error is not None and "exited" in result.error
    assert not result.success


async def test_syntax_error_reports_the_shells_complaint(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    result = await session.execute("echo (")
    assert result.exit_code == 2
    assert "syntax error" in result.output
    assert (await session.execute("echo fine")).output == "fine\n"


async def test_program_session_refuses_execute_but_works(make_session: SessionFactory) -> None:
    session = await make_session(shell_command="python3 -q")
    with pytest.raises(ExecuteError, match="not a shell"):
        await session.execute("print(1)")
    await session.send_input("print(6 * 7)\n")
    await session.expect("42", timeout=10)


# -- bad input gets a clear error -------------------------------------------------------------
async def test_missing_working_directory_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "does-not-exist"
    session = AISession(SessionConfig(shell="bash", working_directory=missing))
    with pytest.raises(ConfigError, match=re.escape(str(missing))):
        await session.start()
    assert session.status() is SessionStatus.ERROR


async def test_missing_shell_is_named(tmp_path: Path) -> None:
    session = AISession(SessionConfig(shell="no-such-shell-zz", working_directory=tmp_path))
    with pytest.raises(ConfigError, match="no-such-shell-zz"):
        await session.start()


@pytest.mark.parametrize("size", [(0, 80), (24, 0), (-1, 80), (24, -5), (1000, 1001), (1, 10_001)])
async def test_bad_pty_size(tmp_path: Path, size: tuple[int, int]) -> None:
    session = AISession(SessionConfig(shell="bash", working_directory=tmp_path, pty_size=size))
    with pytest.raises(ConfigError, match="pty_size"):
        await session.start()


@pytest.mark.parametrize("size", [(0, 10), (1001, 1000), (10_000, 10_000)])
async def test_bad_resize(make_session: SessionFactory, size: tuple[int, int]) -> None:
    """Refused before anything changes: past ``MAX_CELLS`` the screen alone would take
    gigabytes."""
    session = await make_session("bash", pty_size=(24, 80))
    with pytest.raises(ConfigError):
        await session.resize(*size)
    assert (session.screen.rows, session.screen.cols) == (24, 80)
    assert session.config.pty_size == (24, 80)


async def test_input_to_a_session_not_started(tmp_path: Path) -> None:
    session = AISession(SessionConfig(shell="bash", working_directory=tmp_path))
    with pytest.raises(SessionNotRunningError, match="not started"):
        await session.send_input("hi")


async def test_shell_that_exits_at_once(tmp_path: Path) -> None:
    session = AISession(
        SessionConfig(shell="bash", working_directory=tmp_path, environment={"HOME": str(tmp_path)})
    )
    (tmp_path / ".bashrc").write_text("echo broken rc; exit 4\n")
    with pytest.raises(SpawnError, match=r"exited at once with code 4.*broken rc"):
        await session.start()
    await session.stop()


async def test_program_that_exits_at_once(make_session: SessionFactory) -> None:
    session = await make_session(shell_command="false")
    assert await session.wait_exit(5) == 1
    with pytest.raises(SessionNotRunningError, match="code 1"):
        await session.send_input("x")


async def test_start_twice(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    with pytest.raises(SessionNotRunningError, match="already started"):
        await session.start()


async def test_empty_command(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    with pytest.raises(ValueError, match="empty"):
        await session.execute("   ")
    with pytest.raises(ValueError, match="timeout_ms"):
        await session.execute("true", timeout_ms=0)


async def test_stop_ends_the_whole_process_group(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    result = await session.execute("sleep 300 & echo $!")
    background = int(result.output.split()[-1])  # after the "[1] PID" job notice
    nohup = await session.execute(
        "nohup sh -c 'trap \"\" HUP; sleep 300' >/dev/null 2>&1 & echo $!"
    )
    stubborn = int(nohup.output.split()[-1])
    os.kill(background, 0)
    await session.stop()
    for pid in (background, stubborn):
        await _wait_gone(pid)


async def _wait_gone(pid: int) -> None:
    for _ in range(200):
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().split(") ")[1].startswith("Z"):
                    return  # a zombie of init's, not ours: the process has ended
        except FileNotFoundError:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"process {pid} survived stop()")


async def test_a_failing_screen_or_subscriber_never_kills_the_session(
    make_session: SessionFactory, caplog: pytest.LogCaptureFixture
) -> None:
    session = await make_session("bash")
    real_feed = session.screen.feed
    calls = 0

    def flaky_feed(data: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("simulated screen bug")
        real_feed(data)

    session.screen.feed = flaky_feed  # type: ignore[method-assign]

    def broken_subscriber(event: SessionEvent) -> None:
        raise ValueError("simulated subscriber bug")

    session.subscribe(broken_subscriber)
    first = await session.execute("echo one")
    second = await session.execute("echo two")
    assert (first.output, second.output) == ("one\n", "two\n")
    # The screen kept going after the failure (it catches up behind the reader: wait for it).
    for _ in range(500):
        if "\ntwo" in session.screen.text():
            break
        await asyncio.sleep(0.01)
    assert "\ntwo" in session.screen.text()
    assert "simulated screen bug" in caplog.text
    assert "simulated subscriber bug" in caplog.text


async def test_a_flooding_program_that_exits_leaves_its_final_screen_without_freezing(
    tmp_path: Path,
) -> None:
    """`seq` writes ~3.4 MB (under the backlog limit) and exits: the screen catches up in
    slices (the loop runs other work between them) before ``wait_exit`` returns, and shows the
    last lines."""
    session = AISession(
        SessionConfig(shell_command="seq 1 500000", working_directory=tmp_path, pty_size=(24, 80))
    )
    slices_after_the_output_ended = 0

    def count(event: SessionEvent) -> None:
        nonlocal slices_after_the_output_ended
        if isinstance(event, ScreenUpdated) and session.output_ended_at is not None:
            slices_after_the_output_ended += 1

    session.subscribe(count)
    try:
        await session.start()
        assert await session.wait_exit(30) == 0
    finally:
        await session.stop()
    lines = session.screen.text().split("\n")
    assert "500000" in lines and "499999" in lines
    assert session.screen_pending == 0 and session.screen_skipped_bytes == 0
    # A synchronous parse of the backlog at exit (~0.3 s here) would report no slice at all.
    assert slices_after_the_output_ended >= 3


async def test_a_flood_past_the_backlog_limit_still_fills_the_scrollback(tmp_path: Path) -> None:
    """`seq` writes ~21 MB, far past what the screen may lag behind (4.8 MB at 80 columns and
    10,000 lines): the screen skips old output (counted), yet its scrollback and screen hold
    exactly the last 10,000 + 23 numbers, as a terminal that parsed every byte would."""
    session = AISession(
        SessionConfig(shell_command="seq 1 3000000", working_directory=tmp_path, pty_size=(24, 80))
    )
    assert session._feeder.limit == backlog_limit(24, 80, 10_000) < 5_000_000
    try:
        await session.start()
        assert await session.wait_exit(60) == 0
    finally:
        await session.stop()
    assert session.screen_skipped_bytes > 0
    rows = session.screen.scrollback.lines() + session.screen.text().split("\n")[:23]
    assert rows == [str(n) for n in range(3_000_000 - 10_022, 3_000_001)]


async def test_programs_see_aitui_not_the_terminal_around_it(
    make_session: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run inside tmux or kitty, aitui must not let its programs believe they are there."""
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    monkeypatch.setenv("KITTY_WINDOW_ID", "3")
    monkeypatch.setenv("TERM_PROGRAM", "WezTerm")
    monkeypatch.setenv("USER_TEST_KEEP", "kept")  # anything else is inherited
    session = await make_session("bash", environment={"KITTY_WINDOW_ID": "mine"})
    result = await session.execute(
        'echo "[$TMUX][$KITTY_WINDOW_ID][$TERM_PROGRAM][$TERM][$USER_TEST_KEEP]"'
    )
    assert result.output == "[][mine][aitui][xterm-256color][kept]\n"  # overrides still win


@pytest.mark.parametrize("shell", shell_params())
async def test_no_program_sees_the_api_token_or_aitui_s_other_variables(
    make_session: SessionFactory, monkeypatch: pytest.MonkeyPatch, shell: str
) -> None:
    """With ``AITUI_TOKEN`` any program in any session could drive every other session over
    the API: it, and every other ``AITUI_*`` variable of aitui's own (the mark key the shell
    hooks sign with among them), stays in aitui."""
    monkeypatch.setenv("AITUI_TOKEN", "s3cret-token-of-the-api-0123456789")
    monkeypatch.setenv("AITUI_DATA_DIR", "/somewhere/private")
    session = await make_session(shell, environment={"AITUI_ROLE": "set-on-purpose"})
    result = await session.execute("env | grep ^AITUI_ | sort; echo done")
    assert result.output == "AITUI_ROLE=set-on-purpose\ndone\n"  # what a config sets is kept


async def test_stopping_a_flooding_session_parses_only_the_end_of_its_backlog(
    tmp_path: Path,
) -> None:
    """Closing the dashboard must not wait for megabytes nobody will scroll through: stop()
    skips all but the last STOP_BACKLOG bytes (counted) and parses those for the final screen."""
    session = AISession(
        SessionConfig(shell_command="yes", working_directory=tmp_path, pty_size=(24, 80))
    )
    await session.start()
    try:
        # Held, the screen parses nothing (a frame budget's hold) while ``yes`` floods: the
        # backlog builds on any machine. Waiting for the parser to fall behind by itself
        # depended on the machine's speed (under load the parser kept up, and a full run failed).
        session.set_visible(True)
        session.hold_screen(60)
        for _ in range(3000):  # bounded: ``yes`` fills megabytes in well under a second
            if session.screen_pending > 2 * STOP_BACKLOG:
                break
            await asyncio.sleep(0.01)
        backlog = session.screen_pending
        assert backlog > 2 * STOP_BACKLOG
        skipped_before = session.screen_skipped_bytes
    finally:
        await session.stop()
    assert session.screen_pending == 0
    # (Up to a chunk more is kept, to start at a line; a slice may have parsed some meanwhile.)
    slack = 128 * 1024
    assert session.screen_skipped_bytes - skipped_before >= backlog - STOP_BACKLOG - slack
    assert session.screen.text().split("\n")[-2:] != ["", ""]
    assert set(session.screen.text().split()) == {"y"}


async def test_execute_in_a_paused_session_is_refused_and_works_after_resume(
    make_session: SessionFactory,
) -> None:
    """Its shell is stopped: execute waited out its timeout, the interrupt failed too, and
    the session refused every command after ``resume()`` ("could not be interrupted")."""
    session = await make_session("bash")
    await session.pause()
    with pytest.raises(ExecuteError, match=r"is paused .*: resume\(\) it first"):
        await session.execute("echo hi", timeout_ms=20_000)
    await session.resume()
    result = await session.execute("echo after", timeout_ms=20_000)
    assert (result.output, result.exit_code) == ("after\n", 0)


async def test_expect_before_start_says_to_start_the_session(tmp_path: Path) -> None:
    """It said at once "'anything' not seen within 30s (the program exited: None)"."""
    session = AISession(SessionConfig(shell="bash", working_directory=tmp_path))
    with pytest.raises(SessionNotRunningError, match=r"not started \(call start\(\)\)"):
        await session.expect("anything", timeout=30)
