"""Never crash: arbitrary bytes and unusual-but-well-formed sequences, split anywhere.

Invariants after every feed: no internal error needed repairing, the cursor is on the screen,
every row has exactly ``cols`` cells with a wide character's right half only ever after a
non-empty cell, and feeding the same bytes whole or in pieces gives the same screen.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aitui.core.terminal import TerminalScreen

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(screen: TerminalScreen) -> None:
    # The screen repairs itself after an internal error (a session must survive any output),
    # but each repair is a bug: none may happen.
    assert screen._errors == 0, "the screen hit an internal error (see the log)"
    rows, cols = screen.rows, screen.cols
    y, x = screen.cursor
    assert 0 <= y < rows and 0 <= x < cols
    assert len(screen.grid.chars) == rows == len(screen.grid.styles)
    for chars, styles in zip(screen.grid.chars, screen.grid.styles, strict=True):
        assert len(chars) == cols == len(styles)
        assert chars[0] != ""
        for i in range(1, cols):
            if chars[i] == "":
                assert chars[i - 1] != ""
    assert len(screen.display()) == rows
    assert len(screen.text().split("\n")) == rows
    for yy in range(rows):
        assert sum(len(text) for text, _ in screen.row_runs(yy)) == len(screen.display()[yy])


#: Past the 4,300 digits Python's ``int()`` accepts: a program can send them.
long_number = st.builds(lambda n, digit: digit * n, st.integers(4290, 6000), st.sampled_from("019"))
param = st.one_of(
    st.integers(0, 70000).map(str),
    st.just(""),
    st.sampled_from(["1:2", "38:2::1:2:3"]),
    long_number,
    st.builds(lambda n: f"38:2::{n}:1:2", long_number),
)
params = st.lists(param, max_size=6).map(";".join)
csi = st.builds(
    lambda marker, p, inter, final: f"\x1b[{marker}{p}{inter}{final}",
    st.sampled_from(["", "", "?", ">", "<", "="]),
    params,
    st.sampled_from(["", "", "", " ", "$", "!", "'", '"']),
    st.sampled_from(list("@ABCDEFGHIJKLMPSTXZ`abcdefghlmnpqrstu")),
)
modes = st.builds(
    lambda p, final: f"\x1b[?{p}{final}",
    st.sampled_from(["1", "6", "7", "25", "47", "1047", "1048", "1049", "1000", "2004", "6;7"]),
    st.sampled_from(["h", "l"]),
)
osc = st.builds(
    lambda code, text, end: f"\x1b]{code};{text}{end}",
    st.one_of(
        st.sampled_from(["0", "1", "2", "7", "8;;", "10", "11", "52", "133", "999", ""]),
        long_number,
    ),
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x07\x1b"), max_size=20
    ),
    st.sampled_from(["\x07", "\x1b\\", ""]),
)
esc = st.sampled_from(
    [
        "\x1b7",
        "\x1b8",
        "\x1bD",
        "\x1bE",
        "\x1bM",
        "\x1bH",
        "\x1bc",
        "\x1b#8",
        "\x1b(0",
        "\x1b(B",
        "\x1b)0",
        "\x0e",
        "\x0f",
        "\x1b=",
        "\x1b>",
        "\x1bP1$r\x1b\\",
        "\x1b_x\x1b\\",
        "\x1b",
        "\x1b[",
        "\x18",
        "\x1a",
    ]
)
text = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from(list("中文字👍🎉é\u0301\u200d\ufe0f\u0303ä\t\r\n\x08\x07")),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=30,
)
#: Enough whole lines to take the fast path for lines that scroll (it applies SGR itself).
streamed = st.builds(
    lambda p, n: "\r\n" * 16 + ("x" * 20 + f"\x1b[{p}m" + "y\r\n") * n, params, st.integers(12, 20)
)
stream = st.lists(st.one_of(csi, modes, osc, esc, text, streamed), max_size=40).map("".join)


def feed_split(data: bytes, cuts: list[int], rows: int, cols: int) -> TerminalScreen:
    screen = TerminalScreen(rows, cols, on_reply=lambda _: None)
    last = 0
    for cut in sorted(c % (len(data) + 1) for c in cuts):
        screen.feed(data[last:cut])
        check(screen)
        last = cut
    screen.feed(data[last:])
    check(screen)
    return screen


@FUZZ
@given(
    st.binary(max_size=400),
    st.lists(st.integers(0, 400), max_size=6),
    st.integers(1, 8),
    st.integers(2, 12),
)
def test_arbitrary_bytes(data: bytes, cuts: list[int], rows: int, cols: int) -> None:
    feed_split(data, cuts, rows, cols)


@FUZZ
@given(stream, st.lists(st.integers(0, 2000), max_size=8), st.integers(1, 8), st.integers(2, 14))
def test_well_formed_sequences_any_split(s: str, cuts: list[int], rows: int, cols: int) -> None:
    data = s.encode("utf-8", "surrogatepass")
    split = feed_split(data, cuts, rows, cols)
    whole = TerminalScreen(rows, cols, on_reply=lambda _: None)
    whole.feed(data)
    assert split.display() == whole.display()
    assert split.cursor == whole.cursor


@FUZZ
@given(stream, st.lists(st.tuples(st.integers(1, 10), st.integers(2, 16)), min_size=1, max_size=3))
def test_resize_between_feeds(s: str, sizes: list[tuple[int, int]]) -> None:
    screen = TerminalScreen(5, 10, scrollback=20)
    chunks = [s[i :: len(sizes)] for i in range(len(sizes))]
    for chunk, (rows, cols) in zip(chunks, sizes, strict=True):
        screen.feed(chunk.encode("utf-8", "surrogatepass"))
        screen.resize(rows, cols)
        check(screen)
        assert (screen.rows, screen.cols) == (rows, cols)
    assert len(screen.scrollback) <= 20
