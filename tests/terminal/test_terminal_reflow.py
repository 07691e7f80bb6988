"""Re-wrapping on resize (``aitui/core/terminal/reflow.py``): what a person toggling the
dashboard's grid view relies on. tmux is the reference in ``test_reflow_vs_tmux.py``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.terminal import TerminalScreen


def test_a_long_line_rewraps_narrower_and_rejoins_wider() -> None:
    screen = TerminalScreen(6, 20)
    screen.feed(b"$ echo\r\n" + b"0123456789" * 3 + b"\r\n$ ")
    assert screen.text().split("\n")[:3] == ["$ echo", "01234567890123456789", "0123456789"]
    screen.resize(6, 12)  # one row more: the top one goes to the scrollback, as in tmux
    assert screen.text().split("\n")[:4] == ["012345678901", "234567890123", "456789", "$"]
    assert screen.scrollback.lines() == ["$ echo"]
    assert screen.cursor == (3, 2)
    screen.resize(6, 20)
    assert screen.text().split("\n")[:3] == ["$ echo", "01234567890123456789", "0123456789"]
    assert screen.cursor == (3, 2)


def test_rows_pushed_off_by_a_narrower_screen_come_back_joined() -> None:
    screen = TerminalScreen(3, 10)
    screen.feed(b"abcdefghij" + b"klmno\r\n> ")
    screen.resize(3, 5)  # 3 rows of the line and the prompt: the first row goes to scrollback
    assert screen.scrollback.lines() == ["abcde"]
    assert screen.text() == "fghij\nklmno\n>"
    screen.resize(3, 10)
    assert screen.text() == "abcdefghij\nklmno\n>"
    assert len(screen.scrollback) == 0


def test_a_wide_character_moves_whole_to_the_next_row_and_back() -> None:
    screen = TerminalScreen(2, 10)
    screen.feed("abcd中".encode())
    screen.resize(2, 5)
    assert screen.display() == ["中   ", "     "]
    assert screen.scrollback.lines() == ["abcd "]  # the blank the wide character left behind
    screen.resize(2, 10)
    assert screen.display()[0] == "abcd中    "
    assert screen.cursor == (0, 6)


def test_the_main_screen_rewraps_behind_the_alternate_screen() -> None:
    screen = TerminalScreen(4, 10)
    screen.feed(b"0123456789ab\r\n$ \x1b[?1049hfull-screen")
    screen.resize(4, 6)
    screen.feed(b"\x1b[?1049l")
    assert screen.text() == "012345\n6789ab\n$\n"
    assert screen.cursor == (2, 2)


words = st.lists(st.sampled_from(["a", "to", "word", "longer", "x" * 13]), min_size=0, max_size=9)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(words.map(" ".join), min_size=1, max_size=30),
    narrow=st.integers(4, 79),
    rows=st.integers(3, 12),
)
def test_narrowing_and_widening_back_loses_nothing(
    lines: list[str], narrow: int, rows: int
) -> None:
    """Toggling a narrower pane and back gives the same screen, cursor and scrollback."""
    screen = TerminalScreen(rows, 80, scrollback=1000)
    screen.feed("\r\n".join(lines).encode())
    before = (screen.display(), screen.cursor, screen.scrollback.lines())
    screen.resize(rows, narrow)
    assert all(len(row) == narrow for row in screen.grid.chars)
    screen.resize(rows, 80)
    assert (screen.display(), screen.cursor, screen.scrollback.lines()) == before


def test_rows_beyond_the_scrollback_limit_are_counted_not_kept() -> None:
    """Lines of 99 cells at 2 columns make 50 rows each: the screen shows the last ones, the
    scrollback keeps its limit, and the rest is counted as dropped (built in one go: one at a
    time this took 40 s for a 1000x1000 screen and blocked the server's event loop)."""
    screen = TerminalScreen(10, 100, scrollback=100)
    screen.feed(b"\r\n".join([b"x" * 99] * 50) + b"\r\n$ ")
    assert len(screen.scrollback) == 41  # lines already scrolled off keep their rows
    screen.resize(10, 2)
    assert len(screen.scrollback) == 100
    rows = 9 * 50 + 1  # the screen's nine lines at 2 columns, and the prompt
    assert screen.scrollback.dropped + len(screen.scrollback) == 41 + rows - 10
    assert set(screen.scrollback.lines()) == {"xx", "x"}
    assert screen.text().split("\n")[-1] == "$"
    screen.resize(10, 100)  # what the scrollback still holds of the last lines comes back
    shown = screen.text().split("\n")
    y = screen.cursor[0]
    assert shown[y] == "$" and shown[y - 1] == shown[y - 2] == "x" * 99
