"""A watched screen's ``hold``: output waits unparsed until the next frame can go, yet every
reader of the screen sees all of it, and the program's questions are answered at once."""

from __future__ import annotations

import asyncio
import re

import pytest

from aitui.core.config import SessionConfig
from aitui.core.screen_feed import ScreenFeeder
from aitui.core.session import AISession
from aitui.core.terminal import TerminalScreen
from aitui.core.waiting import Reason, Until, WaitOutcome, wait_session

#: Longer than any test may take: a reader that waited for the hold to end would time out.
HOLD = 60.0
LONG = 20.0

INK_FRAME = b"\x1b[H" + b"".join(
    b"\x1b[3%dm%02d some text\x1b[0m\x1b[K\r\n" % (1 + y % 6, y) for y in range(10)
)

#: Every question the screen answers (``sequences.py``), each as a program asks it.
QUESTIONS = [
    b"\x1b[6n",  # cursor position
    b"\x1b[5n",  # status
    b"\x1b[?6n",  # cursor position, DEC form
    b"\x1b[c",  # primary DA
    b"\x1b[0c",
    b"\x1b[>c",  # secondary DA
    b"\x1b[>0q",  # XTVERSION
    b"\x1b[?2026$p",  # DECRQM, private
    b"\x1b[4$p",  # DECRQM, ANSI
    b"\x1b[18t",  # the text area's size
    b"\x1b[?u",  # kitty's keyboard flags
    b"\x1b]11;?\x1b\\",  # the background colour
    b"\x1b]10;?\x07",  # the foreground colour
]


class Screen:
    def __init__(self) -> None:
        self.fed: list[bytes] = []

    def feed(self, data: bytes) -> None:
        self.fed.append(data)


def _watched(screen: Screen, updates: list[int] | None = None) -> ScreenFeeder:
    feeder = ScreenFeeder(screen, lambda: updates.append(1) if updates is not None else None)
    feeder.watched = True
    return feeder


async def _turns(n: int = 5) -> None:
    for _ in range(n):
        await asyncio.sleep(0)


async def test_held_output_waits_and_is_parsed_in_one_go_when_the_hold_ends() -> None:
    screen = Screen()
    updated = asyncio.Event()
    feeder = ScreenFeeder(screen, updated.set)
    feeder.watched = True
    feeder.hold(0.05)
    feeder.push(INK_FRAME)
    feeder.push(INK_FRAME)
    await _turns()
    assert screen.fed == [] and feeder.pending == 2 * len(INK_FRAME)
    await asyncio.wait_for(updated.wait(), LONG)
    assert screen.fed == [INK_FRAME * 2]  # both frames in one go, one update


async def test_output_after_the_hold_ended_is_parsed_at_once() -> None:
    screen = Screen()
    feeder = _watched(screen)
    feeder.hold(0.01)
    await asyncio.sleep(0.03)
    feeder.push(INK_FRAME)
    await _turns()
    assert screen.fed == [INK_FRAME]


async def test_catch_up_and_flush_do_not_wait_for_the_hold() -> None:
    screen, updates = Screen(), []
    feeder = _watched(screen, updates)
    feeder.hold(HOLD)
    feeder.push(b"one")
    await asyncio.wait_for(feeder.catch_up(), LONG)
    assert screen.fed == [b"one"]
    feeder.hold(HOLD)
    feeder.push(b"two")
    await _turns()
    feeder.flush()
    assert screen.fed == [b"one", b"two"]
    await _turns()
    assert len(updates) == 2  # the flushed output is reported too (the frames show it)


async def test_lifting_the_hold_parses_what_waits() -> None:
    screen = Screen()
    feeder = _watched(screen)
    feeder.hold(HOLD)
    feeder.push(INK_FRAME)
    await _turns()
    assert screen.fed == []
    feeder.hold(0)  # keys typed: their echo must not wait
    await _turns()
    assert screen.fed == [INK_FRAME]


@pytest.mark.parametrize("question", QUESTIONS)
async def test_a_question_is_parsed_and_answered_at_once_under_a_hold(question: bytes) -> None:
    answers: list[bytes] = []
    screen = TerminalScreen(10, 40, on_reply=answers.append)
    feeder = ScreenFeeder(screen, lambda: None)
    feeder.watched = True
    feeder.hold(HOLD)
    feeder.push(INK_FRAME)
    await _turns()
    assert answers == [] and feeder.pending  # a frame alone waits ...
    feeder.push(question)
    await _turns()
    assert feeder.pending == 0  # ... a question does not
    assert answers, f"the screen does not answer {question!r}: QUESTIONS is out of date"


async def test_a_reader_of_a_held_session_sees_every_byte_written() -> None:
    """``screen_caught_up`` (the HTTP screen and capture, ``wait``, the agent watchers) and a
    pattern wait see output written under a hold, not the screen of the last frame sent."""
    session = AISession(
        SessionConfig(shell_command="sh -c 'read x; echo GOT-$x; sleep 30'", pty_size=(10, 60))
    )
    session.set_visible(True)
    await session.start()
    try:
        session.hold_screen(HOLD)
        await session.send_input("it\r")
        await asyncio.wait_for(session.read_output(LONG), LONG)
        found = re.compile(r"GOT-\w+")
        outcome = await wait_session(session, Until.PATTERN, LONG, pattern=found)
        assert outcome == WaitOutcome(Reason.MATCHED, "GOT-it")
        session.hold_screen(HOLD)
        await session.send_input("\x1b[6n")  # no effect on sh: just more output under the hold
        await session.screen_caught_up()
        assert "GOT-it" in session.screen.text()
        assert session.screen_pending == 0
    finally:
        await session.stop()
