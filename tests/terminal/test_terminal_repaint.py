"""The fast path for full-screen repaints must give exactly what the general path gives.

Generated repaints (cursor positioning, CR LF, text, SGR, erase) are mixed with everything the
fast path does not model (wide and combining characters, a ZWJ, insert mode, origin mode,
autowrap off, scroll regions, the alternate screen, DEC graphics, tabs, other erases) and fed
in pieces cut anywhere, to a screen with the fast paths and one without."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aitui.core.terminal.repaint as repaint
import aitui.core.terminal.screen as screen_module
from aitui.core.terminal import TerminalScreen
from aitui.core.terminal.style import style_of

number = st.one_of(st.integers(0, 30).map(str), st.just(""), st.sampled_from(["007", "70000"]))
cup = st.one_of(
    st.builds(lambda r, c, f: f"\x1b[{r};{c}{f}", number, number, st.sampled_from("HHf")),
    st.builds(lambda r: f"\x1b[{r}H", number),
    st.sampled_from(["\x1b[H", "\x1b[;H", "\x1b[1;2;3H", "\x1b[5;H"]),
    st.builds(lambda r, cr: f"{cr}\x1b[{r}d", number, st.sampled_from(["", "\r"])),  # VPA
)
sgr = st.one_of(
    st.sampled_from(
        [
            "\x1b[0m",
            "\x1b[m",
            "\x1b[1m",
            "\x1b[1;37;44m",
            "\x1b[31m",
            "\x1b[42m",
            "\x1b[38;5;208m",
            "\x1b[48;2;1;2;3m",
            "\x1b[7m",
            "\x1b[49m",
            "\x1b[4:3m",
            "\x1b[;1m",
            "\x1b(B\x1b[m",  # ncurses' reset
            "\x1b(B\x1b[0;1m",
        ]
    ),
    st.lists(st.integers(0, 108).map(str), max_size=4).map(lambda p: f"\x1b[{';'.join(p)}m"),
)
erase = st.sampled_from(["\x1b[K", "\x1b[0K", "\x1b[1K", "\x1b[2K", "\x1b[00K"])
words = st.one_of(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=14),
    st.builds(lambda c, n: c * n, st.sampled_from("ab "), st.integers(1, 40)),  # to wrap
)
odd = st.sampled_from(
    [
        "中",
        "é",
        "e\u0301",
        "👍\u200d🎉",
        "\u200d",
        "\t",
        "\x08",
        "\r",
        "\n",
        "\x1b[4h",
        "\x1b[4l",
        "\x1b[?6h",
        "\x1b[?6l",
        "\x1b[?7l",
        "\x1b[?7h",
        "\x1b[2;4r",
        "\x1b[r",
        "\x1b[?1049h",
        "\x1b[?1049l",
        "\x1b(0",
        "\x1b(B",
        "\x1b(A",
        "\x1b)0",
        "\x0e",
        "\x0f",
        "\x1b[J",
        "\x1b[2J",
        "\x1b[3b",
        "\x1b[2@",
        "\x1b[P",
        "\x1bM",
        "\x1b7",
        "\x1b8",
        "\x1b]0;title\x07",
    ]
)
row = st.builds(
    lambda start, body, end: start + "".join(body) + end,
    st.one_of(cup, cup, st.just("\r\n"), st.just("\r\r\n"), st.just("\r\r\r\n")),
    st.lists(st.one_of(words, words, sgr), max_size=24),
    st.one_of(st.just(""), erase, st.builds(lambda e, s: e + s, erase, sgr)),
)
#: States the fast path must model or leave alone, set up before a stream.
setup = st.lists(
    st.sampled_from(
        [
            "\x1b[?6h",
            "\x1b[2;4r",
            "\x1b[3;5r",
            "\x1b[?7l",
            "\x1b[?1049h",
            "\x1b[4h",
            "\x1b[44m",
            "\x1b)0\x0e",
            "\x1b(0\x0e",
        ]
    ),
    max_size=4,
).map("".join)
body = st.one_of(row, row, row, row, odd)
stream = st.builds(
    lambda first, rest: first + "".join(rest), setup, st.lists(body, min_size=1, max_size=60)
)


def pair(rows: int, cols: int) -> tuple[TerminalScreen, TerminalScreen]:
    fast = TerminalScreen(rows, cols, scrollback=50)
    slow = TerminalScreen(rows, cols, scrollback=50)
    slow.fast_path = False
    return fast, slow


def state(s: TerminalScreen) -> dict[str, object]:
    return {
        "display": s.display(),
        "runs": [s.row_runs(y) for y in range(s.rows)],
        "main": [["".join(r) for r in s.main_grid.chars]],
        "wrapped": (s.grid.wrapped, s.main_grid.wrapped),
        "cursor": (s.x, s.y),
        "pen": style_of(s.pen),
        "last_char": s.last_char,
        "joining": s.joining,
        "charsets": (s.g0, s.g1, s.shift, s.charset_table),
        "modes": s.modes,
        "region": (s.top, s.bottom),
        "scrollback": [s.scrollback.entry(i) for i in range(len(s.scrollback))],
        "errors": s._errors,
    }


def feed_both(fast: TerminalScreen, slow: TerminalScreen, data: bytes, cuts: list[int]) -> None:
    """Feed ``data`` cut at ``cuts``, comparing what each piece reports dirty."""
    bounds = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    for a, b in pairwise(bounds):
        fast.feed(data[a:b])
        slow.feed(data[a:b])
        assert fast.take_dirty() == slow.take_dirty()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    stream,
    st.lists(st.integers(0, 5000), max_size=6),
    st.integers(1, 8),
    st.integers(2, 30),
)
def test_repaint_path_matches_general_path(s: str, cuts: list[int], rows: int, cols: int) -> None:
    fast, slow = pair(rows, cols)
    feed_both(fast, slow, s.encode(), cuts)
    assert state(fast) == state(slow)
    assert fast._errors == 0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream, stream, st.lists(st.integers(0, 5000), max_size=4))
def test_repaint_path_matches_after_any_prefix(before: str, s: str, cuts: list[int]) -> None:
    """The same from whatever state other output left (a frame drawn over an old one)."""
    fast, slow = pair(6, 12)
    feed_both(fast, slow, (before + s).encode(), cuts)
    assert state(fast) == state(slow)


def frames(count: int, rows: int = 24, cols: int = 80) -> str:
    """An htop-like repaint: every row positioned, coloured, erased to its end."""
    out = []
    for frame in range(count):
        out.append(f"\x1b[H\x1b[1;37;44m top frame {frame:6d} \x1b[K\x1b[0m")
        for y in range(2, rows + 1):
            colour = 31 + (frame + y) % 3
            out.append(
                f"\x1b[{y};1H\x1b[1m{y * 7919 % 30000:6d}\x1b[0m user \x1b[{colour}m"
                f"{(frame * y) % 100:5.1f}%\x1b[0m [\x1b[{colour}m{'|' * (y % 20):20}\x1b[0m]"
                f"\x1b[K"
            )
        out.append(f"\x1b[{rows};{cols}H")
    return "".join(out)


def test_repaint_path_takes_a_full_screen_redraw(monkeypatch: pytest.MonkeyPatch) -> None:
    """The htop-like frames go through the fast path nearly whole, and give the same screen."""
    taken = []
    original = screen_module.paint_rows

    def spy(s: TerminalScreen, text: str, pos: int, resume: bool = False) -> int:
        end = original(s, text, pos, resume)
        taken.append(end - pos)
        return end

    monkeypatch.setattr(screen_module, "paint_rows", spy)
    data = frames(50).encode()
    fast, slow = pair(24, 80)
    for i in range(0, len(data), 4096):
        fast.feed(data[i : i + 4096])
        slow.feed(data[i : i + 4096])
    assert state(fast) == state(slow)
    assert sum(taken) > 0.95 * len(data)


def test_ink_frames_take_the_fast_path_until_the_bottom() -> None:
    """An Ink frame (home, rows ended by CR LF) repainted: same screen, same dirty rows."""
    fast, slow = pair(6, 20)
    for counter in range(30):
        rows = [f"\x1b[3{1 + y}mline {y} {counter % 3}\x1b[0m\x1b[K\r\n" for y in range(5)]
        frame = (
            "\x1b[H" + "".join(rows) + f"{'|/-'[counter % 3]} working {counter}\x1b[K"
        ).encode()
        fast.feed(frame)
        slow.feed(frame)
        assert fast.take_dirty() == slow.take_dirty()
        assert state(fast) == state(slow)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream, stream, st.lists(st.integers(0, 5000), max_size=4), st.integers(2, 30))
def test_repaint_path_matches_when_the_same_rows_come_again(
    s: str, between: str, cuts: list[int], cols: int
) -> None:
    """A row painted again as it was painted there last (an Ink UI's unchanged lines) is
    copied from what that paint wrote, whatever other output did to it in between."""
    fast, slow = pair(6, cols)
    feed_both(fast, slow, (s + s + between + s + s).encode(), cuts)
    assert state(fast) == state(slow)


def test_a_row_painted_again_the_same_way_is_copied(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second frame of an unchanged Ink UI plans no row (every one is a copy of what the
    first wrote), and the screen is the general path's; a row changed in between by other
    output is put back as the frame paints it."""
    fast, slow = pair(8, 30)
    rows = [f"\x1b[3{1 + y}mline {y}\x1b[0m\x1b[K\r\r\n" for y in range(6)]
    frame = ("\x1b[H" + "".join(rows) + "| working\x1b[K").encode()
    fast.feed(frame)
    slow.feed(frame)
    assert len(fast.paint_memo) == 7

    def unplanned(*args: object) -> None:
        raise AssertionError("a row painted as before was planned again")

    repaint.PAINT_PLANS.clear()
    monkeypatch.setattr(repaint, "make_plan", unplanned)
    for data in (frame, b"\x1b[3;3Hxy\x1b[2@", frame):
        fast.feed(data)
        slow.feed(data)
        assert fast.take_dirty() == slow.take_dirty()
        assert state(fast) == state(slow)


def test_rows_painted_again_after_the_style_table_is_compacted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a paint wrote is kept as style ids; compaction renumbers them, so nothing kept
    from before may be copied after."""
    from aitui.core.terminal import style
    from aitui.core.terminal.style import CellStyle, style_id

    for i in range(2_000):  # styles no screen holds: compaction drops them
        style_id(CellStyle(fg=f"#03{i >> 8 & 255:02x}{i & 255:02x}"))
    fast, slow = pair(4, 20)
    frame = b"\x1b[H\x1b[38;2;254;1;3mred\x1b[0m\x1b[K\r\n\x1b[1mbold\x1b[0m\x1b[K"
    fast.feed(frame)
    slow.feed(frame)
    kept = fast.paint_memo[0][5][0]  # the style ids the paint wrote
    monkeypatch.setattr(style, "_compact_at", 0)  # due now; compaction sets the next bound
    fast.feed(b"")
    assert fast.grid.styles[0][0] < kept  # renumbered
    fast.feed(frame)
    slow.feed(frame)
    assert state(fast) == state(slow)


def test_rows_ended_by_a_programs_own_cr_lf_take_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A program writing CR LF itself reaches the screen as CR CR LF (the PTY adds a CR to each
    LF): those rows take the fast path too, with the same screen."""
    taken = []
    original = screen_module.paint_rows

    def spy(s: TerminalScreen, text: str, pos: int, resume: bool = False) -> int:
        end = original(s, text, pos, resume)
        taken.append(end - pos)
        return end

    monkeypatch.setattr(screen_module, "paint_rows", spy)
    fast, slow = pair(8, 30)
    fed = 0
    for counter in range(20):
        rows = [f"\x1b[3{1 + y}mline {y} {counter}\x1b[0m\x1b[K\r\r\n" for y in range(6)]
        frame = ("\x1b[H" + "".join(rows) + f"{counter} working\x1b[K").encode()
        fed += len(frame)
        fast.feed(frame)
        slow.feed(frame)
        assert fast.take_dirty() == slow.take_dirty()
        assert state(fast) == state(slow)
    assert sum(taken) == fed


def same(data: bytes, rows: int = 3, cols: int = 10) -> TerminalScreen:
    fast, slow = pair(rows, cols)
    fast.feed(data)
    slow.feed(data)
    assert state(fast) == state(slow)
    return fast


def test_a_row_that_would_wrap_is_left_to_the_general_path() -> None:
    fast = same(b"\x1b[2;5H\x1b[31mabcdefghij\x1b[0mk\x1b[K\x1b[1;1Hxy")
    assert fast.display() == ["xy        ", "    abcdef", "ghijk     "]
    assert fast.grid.wrapped == [False, True, False]


def test_a_wrapped_row_rewritten_to_its_last_column_no_longer_wraps() -> None:
    fast = same(b"abcdefghijkl\x1b[1;3H\x1b[32mCDEFGHIJ\x1b[2;3H")
    assert fast.display()[0] == "abCDEFGHIJ"
    assert fast.grid.wrapped == [False, False, False]


def test_an_erase_from_column_0_ends_the_line_that_wrapped_onto_the_row() -> None:
    fast = same(b"abcdefghijkl\x1b[2;1H\x1b[31m\x1b[K\x1b[3;1H")
    assert fast.grid.wrapped == [False, False, False]
    assert fast.display()[1] == " " * 10


def test_origin_mode_positions_inside_the_region() -> None:
    fast = same(b"\x1b[2;3r\x1b[?6h\x1b[9;2Hlow\x1b[1;1Htop", rows=5)
    assert fast.display()[1:3] == ["top       ", " low      "]


def test_ncurses_resets_designate_g0_as_the_general_path_does() -> None:
    fast = same(b"\x1b(A\x1b[2;1H\x1b(B\x1b[mab\x1b[1mcd\x1b(B\x1b[m\x1b[K\x1b[3;1Hxy")
    assert (fast.g0, fast.display()[1]) == ("B", "abcd      ")
    assert fast.row_runs(1)[1][1].bold


def test_vpa_keeps_the_column() -> None:
    fast = same(b"\x1b[1;4Hab\x1b[3dcd\r\x1b[2def\x1b[K")
    assert fast.display() == ["   ab     ", "ef        ", "     cd   "]


def scanned(monkeypatch: pytest.MonkeyPatch, data: bytes) -> int:
    """Characters the line ends, the cuts and the rows' matches were asked to look at."""
    seen = [0]
    line_end = screen_module.segment_end

    def counting_line_end(text: str, pos: int) -> int:
        end = line_end(text, pos)
        seen[0] += end - pos
        return end

    class Counting:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern = pattern

        def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
            m = self.pattern.match(text, pos)
            seen[0] += m.end() - pos if m else 0
            return m

        def search(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
            m = self.pattern.search(text, pos, endpos)
            seen[0] += (m.end() if m else endpos) - pos
            return m

        def scanner(self, text: str, pos: int) -> Scanning:
            return Scanning(self, text, pos)

    class Scanning:
        """``Pattern.scanner``: anchored matches, each where the last one ended."""

        def __init__(self, counting: Counting, text: str, pos: int) -> None:
            self.counting, self.text, self.pos = counting, text, pos

        def match(self) -> re.Match[str] | None:
            m = self.counting.match(self.text, self.pos)
            if m is not None:
                self.pos = m.end()
            return m

    monkeypatch.setattr(screen_module, "segment_end", counting_line_end)
    monkeypatch.setattr(screen_module, "NEXT_ROW", Counting(repaint.NEXT_ROW))
    monkeypatch.setattr(repaint, "ROW", Counting(repaint.ROW))
    screen = TerminalScreen(6, 20)
    screen.feed(data)
    monkeypatch.undo()
    assert screen._errors == 0
    return seen[0]


@pytest.mark.parametrize("mode", [b"\x1b[4h", b""], ids=["general path", "fast path"])
def test_rows_without_newlines_cost_linear_time(
    monkeypatch: pytest.MonkeyPatch, mode: bytes
) -> None:
    """Rows the general path takes (insert mode here) are cut at each CUP; finding the line's
    end from each cut scanned the rest of the output again: quadratic in a megabyte of rows."""

    def rows(n: int) -> bytes:
        return mode + b"".join(b"\x1b[%d;1Hrow %d\x1b[K" % (i % 6 + 1, i) for i in range(n))

    small, large = scanned(monkeypatch, rows(2000)), scanned(monkeypatch, rows(20000))
    assert large <= 12 * small
