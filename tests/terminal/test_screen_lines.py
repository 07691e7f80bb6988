"""``screen_lines``: what ``aitui read`` prints, with and without history and colours."""

from __future__ import annotations

from aitui.core.terminal.lines import screen_lines
from aitui.core.terminal.screen import TerminalScreen


def _screen(rows: int = 5) -> TerminalScreen:
    screen = TerminalScreen(rows, 20)
    screen.feed(b"".join(b"line %d\r\n" % i for i in range(10)) + b"\x1b[31mred\x1b[0m $ ")
    return screen


def test_the_screen_and_the_last_lines_of_history_and_screen() -> None:
    screen = _screen()
    assert screen_lines(screen) == ["line 6", "line 7", "line 8", "line 9", "red $"]
    assert screen_lines(screen, 2) == ["line 9", "red $"]
    assert screen_lines(screen, 8)[:3] == ["line 3", "line 4", "line 5"]
    assert screen_lines(screen, 100)[0] == "line 0"  # all there is


def test_blank_rows_below_the_text_and_the_cursor_are_left_out() -> None:
    screen = TerminalScreen(6, 20)
    screen.feed(b"$ ")
    assert screen_lines(screen) == ["$"]
    screen.feed(b"\r\n\r\n")  # the cursor two rows down: its row is kept
    assert screen_lines(screen) == ["$", "", ""]


def test_ansi_keeps_colours_and_plain_text_has_none() -> None:
    screen = _screen()
    plain, coloured = screen_lines(screen, 1), screen_lines(screen, 1, ansi=True)
    assert plain == ["red $"]
    assert coloured[0].startswith("\x1b[0;31mred\x1b[0m")
    assert coloured[0].endswith("\x1b[0m")


def test_the_alternate_screen_has_no_history_of_its_own() -> None:
    screen = _screen()
    screen.feed(b"\x1b[?1049h\x1b[H\x1b[2Jfull screen")
    assert screen_lines(screen, 100) == ["full screen"]
