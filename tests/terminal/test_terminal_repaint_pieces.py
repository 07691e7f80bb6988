"""The repaint fast path across pieces of output and within one: a row a piece cut goes on in
the fast path with the next piece, and a row painted whole several times in one piece is
written into the grid once; both must give exactly what the general path gives."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aitui.core.terminal.repaint as repaint
from aitui.core.terminal import TerminalScreen
from tests.terminal.test_terminal_repaint import body, frames, pair, row, state, stream


def feed_pieces(fast: TerminalScreen, slow: TerminalScreen, data: bytes, size: int) -> None:
    """Feed ``data`` in pieces of ``size`` bytes, comparing what each piece reports dirty."""
    for i in range(0, len(data), size):
        fast.feed(data[i : i + size])
        slow.feed(data[i : i + size])
        assert fast.take_dirty() == slow.take_dirty()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream, st.integers(1, 64), st.integers(1, 8), st.integers(2, 30))
def test_rows_cut_into_pieces_match_the_general_path(
    s: str, size: int, rows: int, cols: int
) -> None:
    """Small pieces end inside most rows, so the next piece begins with the rest of one."""
    fast, slow = pair(rows, cols)
    feed_pieces(fast, slow, s.encode(), size)
    assert state(fast) == state(slow)
    assert fast._errors == 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row, st.integers(0, 200), body, st.integers(2, 30))
def test_whatever_follows_a_piece_ended_inside_a_row(
    first: str, cut: int, after: str, cols: int
) -> None:
    """A piece ended inside a row, then anything (text that wraps, a mode, a wide character,
    another row): what the rest does at the cursor does not depend on how it got there."""
    data = first.encode()
    cut %= len(data) + 1
    fast, slow = pair(5, cols)
    for piece in (data[:cut], data[cut:] + after.encode()):
        fast.feed(piece)
        slow.feed(piece)
        assert fast.take_dirty() == slow.take_dirty()
        assert state(fast) == state(slow)


def test_the_rest_of_a_cut_row_is_not_left_to_the_general_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An htop-like repaint fed in 4 KB pieces (a PTY's reads): every byte takes the fast
    path, the rest of each cut row included, and the screen is the general path's."""
    general: list[str] = []
    original = TerminalScreen._process_general

    def spy(s: TerminalScreen, text: str) -> None:
        if s.fast_path:
            general.append(text)
        original(s, text)

    monkeypatch.setattr(TerminalScreen, "_process_general", spy)
    fast, slow = pair(24, 80)
    feed_pieces(fast, slow, frames(40).encode(), 4096)
    assert state(fast) == state(slow)
    assert general == []


def test_a_piece_ending_at_the_last_column_leaves_the_wrap_to_the_general_path() -> None:
    fast, slow = pair(3, 10)
    for piece in (b"\x1b[1;1H\x1b[31mabcdefghij", b"kl\x1b[K", b"\x1b[3;1Hxy"):
        fast.feed(piece)
        slow.feed(piece)
        assert fast.take_dirty() == slow.take_dirty()
    assert state(fast) == state(slow)
    assert fast.display() == ["abcdefghij", "kl        ", "xy        "]
    assert fast.grid.wrapped == [True, False, False]


def test_the_rest_of_a_row_goes_on_with_its_pen() -> None:
    fast, slow = pair(3, 12)
    for piece in (b"\x1b[2;1H\x1b[1mab", b"c\x1b[0mde\x1b[3", b"2mf\x1b[K\x1b[3;1H"):
        fast.feed(piece)
        slow.feed(piece)
    assert state(fast) == state(slow)
    assert [(text, style.bold, style.fg) for text, style in fast.row_runs(1)] == [
        ("abc", True, None),
        ("de", False, None),
        ("f", False, 2),  # (SGR 32: palette green)
        (" " * 6, False, None),
    ]


def test_a_row_painted_whole_many_times_in_one_piece_is_written_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the last whole paint of a row in one piece reaches the grid, with the screen the
    general path gives (the rows of 10 frames: 24 writes, not 240)."""
    writes: list[int] = []
    original = repaint._write

    def counting(*args: object) -> None:
        writes.append(args[4])  # type: ignore[arg-type]
        original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(repaint, "_write", counting)
    fast, slow = pair(24, 80)
    data = frames(10).encode()
    fast.feed(data)
    slow.feed(data)
    assert fast.take_dirty() == slow.take_dirty()
    assert state(fast) == state(slow)
    assert sorted(writes) == list(range(24))


@pytest.mark.parametrize(
    "between",
    [
        b"\x1b[2;3HXY",  # a partial row, by the fast path
        b"\x1b[2;3H\x1b[K",  # an erase from the middle
        b"\x1b[2;3H\x1b[2@",  # an insert, by the general path
        b"\x1b[2;1H\x1b[4hZ\x1b[4l",  # insert mode
        b"\x1b[2;9H\xe4\xb8\xad",  # a wide character
        b"\x1b[2;1H\x1b[M",  # a deleted line
    ],
)
def test_a_row_painted_whole_then_written_again_in_the_same_piece(between: bytes) -> None:
    """A row painted whole, then written into (by either path) before this piece ends: the
    write sees the painted row, and the row painted whole again after it wins."""
    paint = b"\x1b[2;1H\x1b[32mrow two\x1b[0m\x1b[K\x1b[3;1Hthree\x1b[K"
    again = b"\x1b[2;1Hfinal\x1b[K"
    for data in (paint + between, paint + paint + between, paint + between + again):
        fast, slow = pair(4, 12)
        fast.feed(data)
        slow.feed(data)
        assert fast.take_dirty() == slow.take_dirty()
        assert state(fast) == state(slow)
