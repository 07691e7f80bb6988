"""Behaviour of TerminalScreen that a capture of tmux cannot show: styles, modes, replies,
events, chunking, resizing and the public views."""

from __future__ import annotations

import pytest

from aitui.core.terminal import (
    Bell,
    CellStyle,
    ModeChanged,
    PromptMark,
    ScreenEvent,
    TerminalScreen,
    TitleChanged,
)
from aitui.core.terminal.size import TerminalSizeError


def make(rows: int = 6, cols: int = 20) -> tuple[TerminalScreen, list[bytes], list[ScreenEvent]]:
    replies: list[bytes] = []
    events: list[ScreenEvent] = []
    screen = TerminalScreen(rows, cols, on_reply=replies.append, on_event=events.append)
    return screen, replies, events


def style_at(screen: TerminalScreen, y: int, x: int) -> CellStyle:
    return screen.cell(y, x)[1]


def test_display_rows_are_cols_wide_and_text_is_stripped() -> None:
    screen, _, _ = make(3, 10)
    screen.feed("ab中c".encode())
    assert screen.display()[0] == "ab中c     "  # 2 + 2 + 1 + 5 cells
    assert screen.grid.chars[0][2:4] == ["中", ""]
    assert screen.text() == "ab中c\n\n"
    assert screen.cursor == (0, 5)
    assert (screen.rows, screen.cols) == (3, 10)


@pytest.mark.parametrize(
    ("sgr", "expected"),
    [
        ("1;31", CellStyle(fg=1, bold=True)),
        ("92;104", CellStyle(fg=10, bg=12)),
        ("38;5;208;48;5;17", CellStyle(fg=208, bg=17)),
        ("38;2;255;128;0", CellStyle(fg="#ff8000")),
        ("38:2::1:2:3;48:5:9", CellStyle(fg="#010203", bg=9)),
        (
            "2;3;4;5;7;8;9",
            CellStyle(
                dim=True,
                italic=True,
                underline=True,
                blink=True,
                reverse=True,
                hidden=True,
                strike=True,
            ),
        ),
        ("1;4;22;24", CellStyle()),
        ("31;0", CellStyle()),
        ("4:3", CellStyle(underline=True)),
        ("", CellStyle()),
    ],
)
def test_sgr(sgr: str, expected: CellStyle) -> None:
    screen, _, _ = make()
    screen.feed(b"\x1b[7m\x1b[0m\x1b[" + sgr.encode() + b"mX")
    assert style_at(screen, 0, 0) == expected


def test_private_sgr_does_not_change_the_pen_or_crash() -> None:
    screen, _, _ = make()
    screen.feed(b"\x1b[31m\x1b[>4;2m\x1b[?4mX")
    assert style_at(screen, 0, 0) == CellStyle(fg=1)


def test_row_runs_group_cells_by_style() -> None:
    screen, _, _ = make(2, 10)
    screen.feed(b"ab\x1b[1mcd\x1b[0me")
    runs = screen.row_runs(0)
    assert [text for text, _ in runs] == ["ab", "cd", "e     "]
    assert runs[1][1] == CellStyle(bold=True)


def test_erase_uses_the_background_colour() -> None:
    screen, _, _ = make(2, 10)
    screen.feed(b"abcdef\x1b[1;3H\x1b[1;44m\x1b[K")
    assert screen.text().split("\n")[0] == "ab"
    assert style_at(screen, 0, 5) == CellStyle(bg=4)  # only the background, not bold


def test_dec_line_drawing_via_g0_and_shift_out() -> None:
    screen, _, _ = make(2, 20)
    screen.feed(b"\x1b(0lqqk\x1b(B x \x1b)0\x0emjx\x0f ok")
    assert screen.text().split("\n")[0] == "┌──┐ x └┘│ ok"


def test_dec_line_drawing_uses_tmux_table() -> None:
    screen, _, _ = make(2, 30)
    screen.feed(b"\x1b(0+,-.0_bcdehi`a\x1b(B")
    assert screen.text().split("\n")[0] == "→←↑↓▮_bcde▒☃◆▒"


@pytest.mark.parametrize(
    ("seq", "field", "value"),
    [
        (b"\x1b[?2004h", "bracketed_paste", True),
        (b"\x1b[?1h", "application_cursor_keys", True),
        (b"\x1b=", "application_keypad", True),
        (b"\x1b[?1000h", "mouse_tracking", "normal"),
        (b"\x1b[?1002h", "mouse_tracking", "button"),
        (b"\x1b[?1003h", "mouse_tracking", "any"),
        (b"\x1b[?9h", "mouse_tracking", "x10"),
        (b"\x1b[?1006h", "mouse_sgr", True),
        (b"\x1b[?1004h", "focus_events", True),
        (b"\x1b[?7l", "autowrap", False),
        (b"\x1b[4h", "insert", True),
        (b"\x1b[?1049h", "alternate_screen", True),
    ],
)
def test_modes_are_tracked_and_reported(seq: bytes, field: str, value: object) -> None:
    screen, _, events = make()
    screen.feed(seq)
    assert getattr(screen.modes, field) == value
    assert ModeChanged(field, value) in events


def test_modes_reset() -> None:
    screen, _, _ = make()
    screen.feed(b"\x1b[?1002h\x1b[?2004h\x1b[?1h\x1b=")
    screen.feed(b"\x1b[?1002l\x1b[?2004l\x1b[?1l\x1b>")
    m = screen.modes
    assert (m.mouse_tracking, m.bracketed_paste, m.application_cursor_keys) == (None, False, False)
    assert not m.application_keypad


def test_cursor_visibility() -> None:
    screen, _, _ = make()
    screen.feed(b"\x1b[?25l")
    assert not screen.cursor_visible
    screen.feed(b"\x1b[?25h")
    assert screen.cursor_visible


@pytest.mark.parametrize(
    ("query", "reply"),
    [
        (b"\x1b[5n", b"\x1b[0n"),
        (b"\x1b[3;7H\x1b[6n", b"\x1b[3;7R"),
        (b"\x1b[2;5r\x1b[?6h\x1b[2;3H\x1b[6n", b"\x1b[2;3R"),
        (b"\x1b[c", b"\x1b[?1;2c"),
        (b"\x1b[0c", b"\x1b[?1;2c"),
        (b"\x1b[>c", b"\x1b[>84;0;0c"),
        (b"\x1b[?2004h\x1b[?2004$p", b"\x1b[?2004;1$y"),
        (b"\x1b[?1000$p", b"\x1b[?1000;2$y"),
        (b"\x1b[?31337$p", b"\x1b[?31337;0$y"),
        (b"\x1b[18t", b"\x1b[8;6;20t"),
    ],
)
def test_replies_go_back_to_the_program(query: bytes, reply: bytes) -> None:
    screen, replies, _ = make()
    screen.feed(query)
    assert replies == [reply]


def test_cpr_after_filling_a_row_reports_last_column() -> None:
    screen, replies, _ = make(3, 10)
    screen.feed(b"0123456789\x1b[6n")
    assert replies == [b"\x1b[1;10R"]


def test_title_bell_and_prompt_marks_are_events() -> None:
    screen, _, events = make()
    screen.feed(b"\x1b]0;first\x07\x1b]2;second\x1b\\\x07")
    screen.feed(b"\r\n\x1b]133;A\x07$ \x1b]133;B\x07ls\r\n\x1b]133;C\x07out\r\n\x1b]133;D;0\x07")
    assert screen.title == "second"
    assert events[:3] == [TitleChanged("first"), TitleChanged("second"), Bell()]
    marks = [e for e in events if isinstance(e, PromptMark)]
    assert marks == [
        PromptMark("A", (), 1),
        PromptMark("B", (), 1),
        PromptMark("C", (), 2),
        PromptMark("D", ("0",), 3),
    ]


def test_failing_callbacks_do_not_break_the_screen() -> None:
    def boom(_: object) -> None:
        raise RuntimeError("callback failed")

    screen = TerminalScreen(4, 10, on_reply=boom, on_event=boom)
    screen.feed(b"\x07\x1b[6n\x1b]0;t\x07ok")
    assert screen.text().split("\n")[0] == "ok"
    assert screen.title == "t"


SAMPLE = (
    "plain \x1b[1;31mred\x1b[0m 中文 e\u0301 👨\u200d👩 \x1b]0;title\x07\x1b[2;5Hx\x1b[?1049h"
    "alt\x1b[?1049l\x1bP+q54\x1b\\\x1b(0q\x1b(B\r\nend"
).encode()


@pytest.mark.parametrize("split", range(1, len(SAMPLE)))
def test_any_split_point_gives_the_same_screen(split: int) -> None:
    whole, _, whole_events = make()
    whole.feed(SAMPLE)
    parts, _, part_events = make()
    parts.feed(SAMPLE[:split])
    parts.feed(SAMPLE[split:])
    assert parts.display() == whole.display()
    assert parts.cursor == whole.cursor
    assert [parts.row_runs(y) for y in range(6)] == [whole.row_runs(y) for y in range(6)]
    assert part_events == whole_events


def test_byte_at_a_time() -> None:
    whole, _, _ = make()
    whole.feed(SAMPLE)
    single, _, _ = make()
    for i in range(len(SAMPLE)):
        single.feed(SAMPLE[i : i + 1])
    assert single.display() == whole.display()


def test_alternate_screen_keeps_main_screen_and_scrollback() -> None:
    screen, _, _ = make(3, 10)
    screen.feed(b"one\r\ntwo\r\nthree\r\nfour")  # "one" scrolled off
    assert list(screen.scrollback) == ["one"]
    screen.feed(b"\x1b[?1049h" + b"x\r\n" * 10)
    assert list(screen.scrollback) == ["one"]  # alt-screen scrolling keeps no history
    screen.feed(b"\x1b[?1049l")
    assert screen.text() == "two\nthree\nfour"
    assert screen.cursor == (2, 4)


def test_take_dirty() -> None:
    screen, _, _ = make(4, 10)
    screen.take_dirty()
    assert screen.take_dirty() == set()
    screen.feed(b"\x1b[3;1Hx")
    assert screen.take_dirty() == {2}
    screen.feed(b"\x1b[1;1Ha\x1b[2;1Hb\x1b[4;1Hd")
    assert screen.take_dirty() == {0, 1, 3}
    screen.feed(b"\n")  # scrolls: every row shows what the row below it showed
    assert screen.take_dirty() == {0, 1, 2, 3}


@pytest.mark.parametrize("size", [(1001, 1000), (1000, 1001), (1, 10_001), (10_000, 10_000)])
def test_a_screen_past_the_size_bound_is_refused(size: tuple[int, int]) -> None:
    """Every cell is allocated up front: 10000x10000 took 1.6 GB."""
    with pytest.raises(TerminalSizeError, match="too large for a terminal"):
        TerminalScreen(*size)
    screen, _, _ = make(3, 10)
    screen.feed(b"kept")
    with pytest.raises(TerminalSizeError):
        screen.resize(*size)
    assert (screen.rows, screen.cols) == (3, 10)
    assert screen.text() == "kept\n\n"
    screen.resize(1000, 1000)  # the bound itself is a terminal
    assert (screen.rows, screen.cols) == (1000, 1000)


def test_resize_shrink_pushes_top_rows_to_scrollback_and_grow_brings_them_back() -> None:
    screen, _, _ = make(4, 10)
    screen.feed(b"a\r\nb\r\nc\r\nd")
    screen.resize(2, 10)
    assert screen.text() == "c\nd"
    assert list(screen.scrollback) == ["a", "b"]
    assert screen.cursor == (1, 1)
    screen.resize(4, 12)
    assert screen.text() == "a\nb\nc\nd"
    assert len(screen.scrollback) == 0
    assert screen.cursor == (3, 1)
    assert all(len(row) == 12 for row in screen.display())


def test_resize_shrink_drops_blank_rows_below_the_cursor_first() -> None:
    screen, _, _ = make(6, 10)
    screen.feed(b"a\r\nb")
    screen.resize(3, 5)
    assert screen.text() == "a\nb\n"
    assert len(screen.scrollback) == 0


def test_resize_cuts_the_alternate_screen_and_wide_char_at_the_new_edge() -> None:
    screen, _, _ = make(2, 10)
    screen.feed("\x1b[?1049habcd中".encode())
    screen.resize(2, 5)
    assert screen.display()[0] == "abcd "


def test_resize_in_alternate_screen_then_leave() -> None:
    screen, _, _ = make(5, 10)
    screen.feed(b"main\x1b[?1049h\x1b[5;1Halt")
    screen.resize(3, 8)
    assert screen.cursor[0] <= 2
    screen.feed(b"\x1b[?1049l")
    assert screen.text().split("\n")[0] == "main"
    assert screen.cursor == (0, 4)


def test_tab_stops_can_be_set_and_cleared_after_a_full_row() -> None:
    """After a full row the cursor waits past the last column (pending wrap); HTS and TBC
    there act on the last column. They once indexed past the tab stops (an internal error
    the screen had to repair, found when a flood was skipped mid-frame)."""
    screen = TerminalScreen(3, 20)
    screen.feed(b"\x1b[3g" + b"x" * 20 + b"\x1bH" + b"\x1b[g" + b"\x1bH")
    assert screen._errors == 0
    assert screen.tabstops == [False] * 19 + [True]
    screen.feed(b"\x1b[g")
    assert screen._errors == 0 and not any(screen.tabstops)
    assert screen.display()[0] == "x" * 20
