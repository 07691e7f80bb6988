"""``wait_session``: idle, exit and pattern waits on real sessions (what ``aitui wait`` asks the
server for). Every wait here is for a condition; the timeouts are only there to end a test
that would otherwise hang."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from aitui.core.config import SessionConfig
from aitui.core.host import SessionHost
from aitui.core.waiting import Reason, Until, WaitOutcome, wait_session
from tests.conftest import SessionFactory

LONG = 30.0


@pytest.fixture
async def host(tmp_path: Path) -> AsyncIterator[SessionHost]:
    held = SessionHost(shell="bash")
    yield held
    await held.close()


async def _shell(host: SessionHost, tmp_path: Path) -> str:
    return await host.start_config(
        SessionConfig(name="w", shell="bash", working_directory=tmp_path)
    )


async def test_idle_waits_for_the_prompt_after_what_was_just_typed(
    host: SessionHost, tmp_path: Path
) -> None:
    """Typed and waited for at once: the prompt on screen before the command started must
    not count, so the wait ends only once the command has printed its last line."""
    key = await _shell(host, tmp_path)
    session = host.session(key)
    assert session is not None
    await session.send_input("sleep 0.5; echo FINISHED-$((6*7))\r")
    outcome = await wait_session(session, Until.IDLE, LONG, reached=lambda: host.idle(key))
    assert outcome == WaitOutcome(Reason.IDLE)
    await session.screen_caught_up()
    assert "FINISHED-42" in session.screen.text()


async def test_idle_is_never_met_while_a_command_runs(host: SessionHost, tmp_path: Path) -> None:
    key = await _shell(host, tmp_path)
    session = host.session(key)
    assert session is not None
    await session.send_input("sleep 60\r")
    outcome = await wait_session(session, Until.IDLE, 1.0, reached=lambda: host.idle(key))
    assert outcome.reason is Reason.TIMEOUT
    assert not outcome.met(Until.IDLE)
    await session.send_input("\x03")
    outcome = await wait_session(session, Until.IDLE, LONG, reached=lambda: host.idle(key))
    assert outcome.met(Until.IDLE)


async def test_a_pattern_on_screen(make_session: SessionFactory) -> None:
    session = await make_session()
    await session.send_input("echo $((40+2))-MARK\r")
    outcome = await wait_session(
        session, Until.PATTERN, LONG, pattern=re.compile(r"^\d+-MARK$", re.M)
    )
    assert outcome == WaitOutcome(Reason.MATCHED, "42-MARK")


async def test_exit_and_a_pattern_left_on_the_final_screen(make_session: SessionFactory) -> None:
    session = await make_session(shell_command="sh -c 'echo LAST-WORDS; exit 3'")
    found = await wait_session(session, Until.PATTERN, LONG, pattern=re.compile("LAST-WORDS"))
    assert found.reason is Reason.MATCHED
    ended = await wait_session(session, Until.EXIT, LONG)
    assert ended.met(Until.EXIT)
    assert session.exit_code == 3
    never = await wait_session(session, Until.PATTERN, LONG, pattern=re.compile("NOT-THERE"))
    assert never.reason is Reason.EXITED and not never.met(Until.PATTERN)


async def test_a_timeout_says_so(make_session: SessionFactory) -> None:
    session = await make_session()
    outcome = await wait_session(session, Until.PATTERN, 0.3, pattern=re.compile("NEVER-SHOWN"))
    assert outcome.reason is Reason.TIMEOUT
    outcome = await wait_session(session, Until.EXIT, 0.3)
    assert outcome.reason is Reason.TIMEOUT
