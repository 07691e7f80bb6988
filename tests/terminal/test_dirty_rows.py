"""``take_dirty`` reports the rows whose content changed, not the rows that were written to: an
Ink UI repainting its whole frame for a spinner tick changes one row, and one row is drawn."""

from __future__ import annotations

import pytest

from aitui.core.terminal import CellStyle, TerminalScreen, style
from aitui.core.terminal.style import sgr_codes, style_id


def settled(text: bytes, rows: int = 6, cols: int = 20) -> TerminalScreen:
    screen = TerminalScreen(rows, cols, scrollback=100)
    screen.feed(text)
    screen.take_dirty()
    return screen


def frame(spinner: str, counter: int) -> bytes:
    """An Ink-like frame: cursor home, every row written again, a spinner and a counter."""
    rows = [f"\x1b[3{1 + y}mline {y}\x1b[0m\x1b[K\r\n".encode() for y in range(4)]
    return b"\x1b[H" + b"".join(rows) + f"{spinner} working {counter}\x1b[K".encode()


def test_a_row_rewritten_with_the_same_content_is_not_dirty() -> None:
    screen = settled(b"spinner |\r\ncounter 1")
    screen.feed(b"\x1b[Hspinner |\r\ncounter 1")
    assert screen.take_dirty() == set()


def test_an_ink_frame_that_changes_the_spinner_reports_its_row_alone() -> None:
    screen = settled(frame("|", 1))
    screen.feed(frame("/", 2))
    assert screen.take_dirty() == {4}
    screen.feed(frame("/", 2))
    assert screen.take_dirty() == set()


def test_a_change_of_colour_alone_is_a_change() -> None:
    screen = settled(b"\x1b[31mred\x1b[0m")
    screen.feed(b"\x1b[H\x1b[32mred\x1b[0m")
    assert screen.take_dirty() == {0}


def test_a_row_changed_and_changed_back_between_two_reports_is_not_dirty() -> None:
    screen = settled(b"hello")
    screen.feed(b"\x1b[Hworld\x1b[Hhello")
    assert screen.take_dirty() == set()


def test_scrolling_reports_the_rows_that_moved_and_not_the_blank_ones() -> None:
    screen = settled(b"one\r\ntwo", rows=5)
    screen.feed(b"\x1b[5;1H\n")  # scroll up one: "one" leaves, "two" moves to row 0
    assert screen.take_dirty() == {0, 1}
    assert screen.text().splitlines()[0] == "two"


def test_the_alternate_screen_reports_what_differs_from_the_main_one() -> None:
    screen = settled(b"main\r\n\r\nsame")
    screen.feed(b"\x1b[?1049h\x1b[3;1Hsame")
    assert screen.take_dirty() == {0}  # "main" went; the alternate screen's "same" is there too
    screen.feed(b"\x1b[?1049l")
    assert screen.take_dirty() == {0}


def test_a_resize_reports_every_row() -> None:
    screen = settled(b"hello")
    screen.resize(4, 30)
    assert screen.take_dirty() == {0, 1, 2, 3}
    assert screen.take_dirty() == set()


def test_renumbered_style_ids_do_not_hide_a_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy holds style ids; compacting the style table renumbers them, so an id the copy
    holds can come to mean another style. A row that changes to exactly that id must still be
    reported."""
    for i in range(2_000):  # styles no screen holds: compaction drops them
        style_id(CellStyle(fg=f"#01{i >> 8 & 255:02x}{i & 255:02x}"))
    red = CellStyle(fg="#fe0102")
    screen = settled(f"\x1b[{sgr_codes(red)}mx\x1b[0m".encode())
    old_id = screen.grid.styles[0][0]
    monkeypatch.setattr(style, "_compact_at", 0)  # due now; compaction sets the next bound
    screen.feed(b"")
    assert screen.grid.styles[0][0] < old_id  # renumbered
    while (n := len(style._STYLES)) < old_id:  # the next new style takes red's old id
        style_id(CellStyle(fg=f"#02{n >> 8 & 255:02x}{n & 255:02x}", bold=True))
    blue = CellStyle(fg="#0102fe")
    screen.feed(f"\x1b[H\x1b[{sgr_codes(blue)}mx\x1b[0m".encode())
    assert screen.grid.styles[0][0] == old_id
    assert 0 in screen.take_dirty()
    assert screen.cell(0, 0) == ("x", blue)
