"""Kitty's keyboard protocol as the screen offers it: the flags a program pushes, pops, sets and
asks for, one stack for the main screen and one for the alternate screen.

Claude Code asks ``CSI ? u`` at start and Codex pushes ``CSI > 7 u``; unanswered (tmux 3.3),
both fall back to legacy keys, where Shift+Enter is Enter.
"""

from __future__ import annotations

from aitui.core.terminal import ModeChanged, TerminalScreen
from aitui.core.terminal.keyboard_protocol import STACK_LIMIT


def screen() -> tuple[TerminalScreen, list[bytes], list[object]]:
    replies: list[bytes] = []
    events: list[object] = []
    return TerminalScreen(5, 20, on_reply=replies.append, on_event=events.append), replies, events


def flags(s: TerminalScreen, replies: list[bytes]) -> int:
    replies.clear()
    s.feed(b"\x1b[?u")
    assert len(replies) == 1 and replies[0].startswith(b"\x1b[?") and replies[0].endswith(b"u")
    answered = int(replies[0][3:-1])
    assert answered == s.modes.kitty_keyboard
    return answered


def test_none_until_a_program_pushes_some() -> None:
    s, replies, events = screen()
    assert flags(s, replies) == 0
    s.feed(b"\x1b[>7u")
    assert flags(s, replies) == 7
    assert ModeChanged("kitty_keyboard", 7) in events
    s.feed(b"\x1b[>1u")
    assert flags(s, replies) == 1
    s.feed(b"\x1b[<u")
    assert flags(s, replies) == 7
    s.feed(b"\x1b[<u")
    assert flags(s, replies) == 0


def test_popping_more_than_was_pushed_resets_and_a_push_without_flags_is_none() -> None:
    s, replies, _ = screen()
    s.feed(b"\x1b[>5u\x1b[>3u\x1b[<9u")
    assert flags(s, replies) == 0
    s.feed(b"\x1b[>5u\x1b[>u")
    assert flags(s, replies) == 0
    s.feed(b"\x1b[<u")
    assert flags(s, replies) == 5


def test_set_add_and_remove_change_the_current_entry() -> None:
    s, replies, _ = screen()
    s.feed(b"\x1b[>1u")
    s.feed(b"\x1b[=8;2u")  # add
    assert flags(s, replies) == 9
    s.feed(b"\x1b[=1;3u")  # remove
    assert flags(s, replies) == 8
    s.feed(b"\x1b[=31u")  # set (mode 1, the default)
    assert flags(s, replies) == 31
    s.feed(b"\x1b[=255u")  # only the five defined flags
    assert flags(s, replies) == 31
    s.feed(b"\x1b[<u")
    assert flags(s, replies) == 0


def test_the_alternate_screen_has_a_stack_of_its_own() -> None:
    s, replies, _ = screen()
    s.feed(b"\x1b[>1u")
    s.feed(b"\x1b[?1049h")
    assert flags(s, replies) == 0
    s.feed(b"\x1b[>15u")
    assert flags(s, replies) == 15
    s.feed(b"\x1b[?1049l")
    assert flags(s, replies) == 1
    s.feed(b"\x1b[?1049h")
    assert flags(s, replies) == 15


def test_a_full_reset_forgets_the_flags() -> None:
    s, replies, _ = screen()
    s.feed(b"\x1b[>1u\x1b[?1049h\x1b[>3u\x1bc")
    assert flags(s, replies) == 0
    s.feed(b"\x1b[?1049h")
    assert flags(s, replies) == 0


def test_a_stack_pushed_past_its_limit_drops_the_oldest() -> None:
    s, replies, _ = screen()
    for n in range(STACK_LIMIT + 5):
        s.feed(b"\x1b[>%du" % (n % 32))
    s.feed(b"\x1b[<%du" % (STACK_LIMIT - 1))
    assert flags(s, replies) == 5  # the sixth push: the five before it were dropped
    s.feed(b"\x1b[<u")
    assert flags(s, replies) == 0
