"""Scrollback: limit, compact storage, search and export."""

from __future__ import annotations

import re
import sys

import pytest

from aitui.core.terminal import CellStyle, Scrollback, TerminalScreen


def scrolled(lines: list[bytes], rows: int = 3, cols: int = 40, limit: int = 100) -> TerminalScreen:
    screen = TerminalScreen(rows, cols, scrollback=limit)
    screen.feed(b"\r\n".join(lines) + b"\r\n" * rows)  # every line scrolls off
    return screen


def test_lines_scroll_into_history_in_order() -> None:
    screen = scrolled([b"line %d" % i for i in range(10)])
    assert list(screen.scrollback) == [f"line {i}" for i in range(10)]
    assert screen.scrollback[0] == "line 0"
    assert screen.scrollback.lines(8) == ["line 8", "line 9"]


def test_default_limit_is_ten_thousand() -> None:
    assert TerminalScreen(24, 80).scrollback.limit == 10_000


def test_limit_drops_the_oldest_lines() -> None:
    screen = scrolled([b"line %d" % i for i in range(50)], limit=20)
    assert len(screen.scrollback) == 20
    assert screen.scrollback[0] == "line 30"
    assert screen.scrollback.dropped >= 30
    screen.scrollback.limit = 5
    assert screen.scrollback[0] == "line 45"


def test_zero_limit_keeps_nothing() -> None:
    screen = scrolled([b"x"] * 10, limit=0)
    assert len(screen.scrollback) == 0


def test_unstyled_lines_are_stored_as_bare_strings() -> None:
    screen = scrolled([b"plain text", b"\x1b[1mbold\x1b[0m rest"])
    assert screen.scrollback.entry(0) == "plain text"
    text, runs = screen.scrollback.entry(1)  # type: ignore[misc]
    assert text == "bold rest"
    assert isinstance(runs, tuple)


def test_stored_line_memory_is_far_below_a_cell_per_object() -> None:
    screen = scrolled([b"x" * 120], cols=120)
    entry = screen.scrollback.entry(0)
    assert isinstance(entry, str)
    assert sys.getsizeof(entry) < 200  # one str, not 120 cell objects


def test_styled_runs_survive_scrolling() -> None:
    screen = scrolled([b"a\x1b[31mred\x1b[44mblue\x1b[0m z"])
    runs = screen.scrollback.runs(0)
    assert runs == [
        ("a", CellStyle()),
        ("red", CellStyle(fg=1)),
        ("blue", CellStyle(fg=1, bg=4)),
        (" z", CellStyle()),
    ]


def test_wide_and_combining_text_is_kept_whole() -> None:
    screen = scrolled(["中文 e\u0301 👨\u200d👩 ok".encode()])
    assert screen.scrollback[0] == "中文 e\u0301 👨\u200d👩 ok"


def test_trailing_styled_blanks_are_kept() -> None:
    screen = scrolled([b"\x1b[41mab   \x1b[0m"])
    assert screen.scrollback[0] == "ab   "


def test_search_plain_and_regex() -> None:
    screen = scrolled([b"alpha beta", b"gamma alpha", b"ALPHA"])
    sb = screen.scrollback
    assert sb.search("alpha") == [(0, 0), (1, 6)]
    assert sb.search("alpha", ignore_case=True) == [(0, 0), (1, 6), (2, 0)]
    assert sb.search(r"a\w+a", regex=True) == [(0, 0), (1, 1), (1, 6)]
    assert sb.search("a.p", regex=False) == []
    assert sb.search("") == []
    with pytest.raises(re.error):
        sb.search("(", regex=True)


def test_search_overlapping_plain_matches() -> None:
    sb = Scrollback()
    sb.append("aaaa")
    assert sb.search("aa") == [(0, 0), (0, 1), (0, 2)]


def test_export_text_and_ansi() -> None:
    screen = scrolled([b"plain", b"\x1b[1;31mred\x1b[0m end"])
    assert screen.scrollback.export() == "plain\nred end\n"
    ansi = screen.scrollback.export(ansi=True)
    assert ansi.startswith("plain\n")
    assert "\x1b[0;1;31mred" in ansi
    # Feeding the export back reproduces the styles.
    again = scrolled([ansi.split("\n")[1].encode()])
    assert again.scrollback.runs(0) == screen.scrollback.runs(1)


def test_export_truecolor_and_256() -> None:
    screen = scrolled([b"\x1b[38;2;1;2;3;48;5;200mx\x1b[0m"])
    assert "\x1b[0;38;2;1;2;3;48;5;200mx" in screen.scrollback.export(ansi=True)


def test_clear_screen_keeps_the_text_in_history_and_ed3_clears_it() -> None:
    screen = TerminalScreen(4, 10)
    screen.feed(b"one\r\ntwo\x1b[H\x1b[2J")
    assert list(screen.scrollback) == ["one", "two"]
    assert screen.text() == "\n\n\n"
    screen.feed(b"\x1b[3J")
    assert len(screen.scrollback) == 0
