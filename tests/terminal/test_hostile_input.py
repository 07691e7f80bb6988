"""Output written to break the screen: it must cost a bounded amount of memory per cell and
linear time, and never raise.

Linear time is asserted without a clock: the screen's regular expressions are wrapped to count
the characters they are asked to look at, and that count must grow with the input, not with
its square. ``benchmarks/hostile_input.py`` gives the same figures in seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from aitui.core.terminal import CellStyle, TerminalScreen, parser, style
from aitui.core.terminal import screen as screen_module
from aitui.core.terminal.editing import MAX_CELL_BYTES

#: Past the 4,300 digits Python converts to an int (``sys.get_int_max_str_digits``).
DIGITS = "9" * 5000


def feed(data: str, rows: int = 6, cols: int = 20) -> TerminalScreen:
    screen = TerminalScreen(rows, cols, on_reply=lambda _: None)
    screen.feed(data.encode())
    assert screen._errors == 0, "the screen hit an internal error (see the log)"
    return screen


# --------------------------------------------------------------------------- combining marks


@pytest.mark.parametrize("count", [10**5, 10**6])
def test_combining_marks_stop_at_the_cells_capacity(count: int) -> None:
    """A million combining marks on one letter made that cell a megabyte, appended to one
    mark at a time (quadratic). A cell holds what tmux's does (``MAX_CELL_BYTES``, checked
    against tmux in test_terminal_vs_tmux.py): the same cell for 10^5 marks as for 10^6, and
    the text after them in the next cell."""
    screen = feed("e" + "\u0301" * count + "|")
    cell = screen.grid.chars[0][0]
    assert cell == "e" + "\u0301" * 10
    assert len(cell.encode()) <= MAX_CELL_BYTES
    assert screen.grid.chars[0][1] == "|"
    assert screen.cursor == (0, 2)


def test_no_cell_grows_past_its_capacity() -> None:
    """Marks, variation selectors and joined emoji, on narrow and wide characters, at the
    edge and after a wrap."""
    marks = "\u0301\u20d0\ufe0f\u200d👦\u0303" * 40
    screen = feed(("a" + marks + "中" + marks + " ") * 8 + "x" * 19 + "e" + marks, 6, 20)
    for row in screen.grid.chars:
        assert all(len(cell.encode()) <= MAX_CELL_BYTES for cell in row)


# ---------------------------------------------------------------------------- long numbers


LONG_NUMBERS = {
    "CUU": f"\x1b[{DIGITS}A",
    "CUP": f"\x1b[2;{DIGITS}H",
    "DECSET": f"\x1b[?{DIGITS}h",
    "DECRQM": f"\x1b[?{DIGITS}$p",
    "DSR": f"\x1b[{DIGITS}n",
    "REP": f"\x1b[{DIGITS}b",
    "SGR": f"\x1b[{DIGITS}m",
    "SGR second": f"\x1b[1;{DIGITS}m",
    "SGR 256 colours": f"\x1b[38;5;{DIGITS}m",
    "SGR truecolor": f"\x1b[38;2;{DIGITS};1;2m",
    "SGR truecolor colons": f"\x1b[38:2::{DIGITS}:1:2m",
    "SGR underline style": f"\x1b[4:{DIGITS}m",
    "SGR sub-parameter code": f"\x1b[{DIGITS}:3m",
}


@pytest.mark.parametrize("name", list(LONG_NUMBERS))
def test_a_parameter_of_thousands_of_digits_is_clamped(name: str) -> None:
    screen = feed("ab" + LONG_NUMBERS[name] + "c")
    assert "c" in screen.text()


def test_long_parameters_keep_their_meaning() -> None:
    """Clamped, not dropped: a cursor move that long still goes to the edge, as a 6-digit one
    does, and leading zeros do not count."""
    screen = feed(f"\x1b[3;3H\x1b[{DIGITS}Bx\x1b[{DIGITS}Cy")
    assert screen.cursor == (5, 19)
    assert screen.text().split("\n")[5] == "  x                y"
    screen = feed("\x1b[" + "0" * 5000 + "3;1Hz")
    assert screen.text().split("\n")[2] == "z"


def test_a_long_colour_in_streamed_lines_does_not_escape_feed() -> None:
    """Lines scrolling past take the fast path, which applies SGR itself."""
    screen = TerminalScreen(4, 20)
    screen.feed(b"\r\n" * 4)
    lines = ("x" * 10 + f"\x1b[31;{DIGITS}m" + "y" * 5 + "\r\n") * 30
    screen.feed(lines.encode())  # raised ValueError out of feed
    assert screen._errors == 0
    assert screen.text().split("\n")[2] == "x" * 10 + "y" * 5


# ----------------------------------------------------------------------- over-long sequences

LONG = getattr(parser, "MAX_SEQUENCE", 1 << 16) + 10

OVERLONG = {
    "CSI": "\x1b[" + "1" * LONG + "m",
    "CSI with parameters": "\x1b[" + "1;" * (LONG // 2) + "H",
    "OSC ended by BEL": "\x1b]0;" + "t" * LONG + "\x07",
    "OSC ended by ST": "\x1b]2;" + "t" * LONG + "\x1b\\",
    "OSC aborted by CAN": "\x1b]2;" + "t" * LONG + "\x18",
    "DCS": "\x1bP" + "q#0;2;0;0;0" * (LONG // 10) + "\x1b\\",
    "APC with a BEL inside": "\x1b_" + "a\x07" * (LONG // 2) + "\x1b\\",
    "ESC with intermediates": "\x1b" + " " * LONG + "F",
}


@pytest.mark.parametrize("name", list(OVERLONG))
@pytest.mark.parametrize("piece", [0, 1, 7, 4096])
def test_an_overlong_sequence_is_skipped_and_what_follows_is_shown(name: str, piece: int) -> None:
    """Longer than ``MAX_SEQUENCE``, a sequence is not acted on, whether it arrives whole or
    in pieces; it ends where a shorter one would, so the text after it is shown (a long CSI
    cut into pieces used to swallow output up to the next BEL)."""
    data = ("a" + OVERLONG[name] + "bc").encode()
    screen = TerminalScreen(4, 20, on_reply=lambda _: None)
    if piece:
        for i in range(0, len(data), piece):
            screen.feed(data[i : i + piece])
    else:
        screen.feed(data)
    assert screen._errors == 0
    assert screen.text().split("\n")[0] == "abc"
    assert screen.title == ""
    assert screen.pen == 0


def test_a_string_sequence_at_the_limit_is_acted_on_in_any_pieces() -> None:
    title = "t" * (getattr(parser, "MAX_SEQUENCE", 1 << 16) - 10)
    data = ("\x1b]2;" + title + "\x1b\\ok").encode()
    for piece in (1, 3, 1000, len(data)):
        screen = TerminalScreen(4, 20)
        for i in range(0, len(data), piece):
            screen.feed(data[i : i + piece])
        assert screen.title == title
        assert screen.text().split("\n")[0] == "ok"


# ------------------------------------------------------------------------------ linear time


class ScanCounter:
    """A compiled pattern that counts the characters its calls were asked to look at."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.scanned = 0

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        end = len(string) if endpos is None else min(endpos, len(string))
        m = self.pattern.match(string, pos, end)
        self.scanned += (m.end() if m else end) - pos
        return m

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        end = len(string) if endpos is None else min(endpos, len(string))
        m = self.pattern.search(string, pos, end)
        self.scanned += (m.end() if m else end) - pos
        return m

    def split(self, string: str) -> list[str]:
        self.scanned += len(string)
        return self.pattern.split(string)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern, name)


@contextmanager
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[ScanCounter]]:
    """Every pattern the parser and the screen use, counting."""
    counters = []
    for module in (screen_module, parser):
        for name, value in vars(module).copy().items():
            if isinstance(value, re.Pattern):
                counter = ScanCounter(value)
                monkeypatch.setattr(module, name, counter)
                counters.append(counter)
    yield counters


def scanned(monkeypatch: pytest.MonkeyPatch, data: bytes, piece: int) -> int:
    with counted(monkeypatch) as counters:
        screen = TerminalScreen(6, 20)
        for i in range(0, len(data), piece):
            screen.feed(data[i : i + piece])
        monkeypatch.undo()
    assert screen._errors == 0
    return sum(c.scanned for c in counters)


@pytest.mark.parametrize(
    "make",
    [
        lambda n: b"\x1b]0;" + b"\n" * n + b"\x07ok",
        lambda n: b"\x1bP" + b"\r\n" * n + b"\x1b\\ok",
        lambda n: b"\x1b[" + b"\n1" * n + b"Hok",
    ],
    ids=["OSC", "DCS", "CSI"],
)
def test_newlines_inside_a_sequence_cost_linear_time(
    monkeypatch: pytest.MonkeyPatch, make: Any
) -> None:
    """Finding where a line ends used to scan back over the whole sequence at each newline in
    it: 40,000 newlines in an OSC took 2 s, a megabyte hours."""
    small, large = (scanned(monkeypatch, make(n), 1 << 20) for n in (2000, 20000))
    assert large <= 12 * small


@pytest.mark.parametrize("piece", [1, 3])
def test_a_sequence_arriving_a_byte_at_a_time_costs_linear_time(
    monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    """The unfinished part was joined to each new byte and scanned again: a 64 KB title
    written a byte at a time took 6 s."""
    small, large = (
        scanned(monkeypatch, b"\x1b]2;" + b"t" * n + b"\x07ok", piece) for n in (2000, 20000)
    )
    assert large <= 12 * small


# ----------------------------------------------------------------------------- the style table


def _gradient(start: int, count: int) -> bytes:
    """``count`` cells, each in a truecolor foreground of its own, in lines of 20."""
    cells = [f"\x1b[38;2;{_rgb(i)}m#" for i in range(start, start + count)]
    return "\r\n".join("".join(cells[i : i + 20]) for i in range(0, count, 20)).encode()


def _rgb(i: int) -> str:
    return f"{i >> 16 & 255};{i >> 8 & 255};{i & 255}"


def _hex(i: int) -> str:
    return f"#{i >> 16 & 255:02x}{i >> 8 & 255:02x}{i & 255:02x}"


def _shown(screen: TerminalScreen) -> tuple[object, ...]:
    return (
        [screen.row_runs(y) for y in range(screen.rows)],
        [screen.scrollback.runs(i) for i in range(len(screen.scrollback))],
        style.style_of(screen.pen),
    )


def test_styles_no_screen_uses_any_more_are_forgotten() -> None:
    """Every distinct style was interned for good: a truecolor gradient (or a video played in
    a session) of a million colours kept 300 MB. The table is compacted to the styles the
    screens still hold, and what every screen shows is unchanged."""
    keeper = TerminalScreen(4, 20, scrollback=10)
    keeper.feed(b"\x1b[1;38;2;1;2;3mbold\x1b[0m plain\r\n\x1b[4;48;5;200munder\x1b[0m\r\n")
    keeper.feed(_gradient(7, 60) + b"\x1b[3;38;2;" + _rgb(99).encode() + b"m")
    kept = _shown(keeper)
    busy = TerminalScreen(24, 80, scrollback=100)
    for start in range(0, 300_000, 20_000):
        busy.feed(_gradient(start, 20_000))
    assert len(style._STYLES) <= 2 * style.COMPACT_AFTER + 20_000  # not 300,000
    assert _shown(keeper) == kept
    y, x = busy.cursor
    assert busy.cell(y, x - 1) == ("#", CellStyle(fg=_hex(300_000 - 1)))
    assert busy.scrollback.runs(len(busy.scrollback) - 1)[0][1] == CellStyle(fg=_hex(299_500))
    keeper.feed(b"!")
    assert keeper.cell(*keeper.cursor) == (" ", CellStyle())
    assert keeper.cell(keeper.cursor[0], keeper.cursor[1] - 1) == (
        "!",
        CellStyle(fg=_hex(99), italic=True),
    )
