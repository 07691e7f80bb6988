"""The streaming fast path must give exactly what the general path gives."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aitui.core.terminal import TerminalScreen
from aitui.core.terminal.fastpath import MIN_BLOCK

sgr = st.sampled_from(
    [
        "\x1b[0m",
        "\x1b[m",
        "\x1b[01;34m",
        "\x1b[1;31m",
        "\x1b[44m",
        "\x1b[38;5;208m",
        "\x1b[48;2;1;2;3m",
        "\x1b[7m",
        "\x1b[22m",
        "\x1b[49m",
    ]
)
words = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30)
odd = st.sampled_from(["\t", "中", "é", "\x1b[2K", "\x1b[A", "\r", "\x1b[5G", "\x08", "e\u0301"])
line = st.lists(st.one_of(words, words, words, sgr, odd), max_size=8).map("".join)
lines = st.lists(line, min_size=1, max_size=120)


def pair(rows: int, cols: int, scrollback: int) -> tuple[TerminalScreen, TerminalScreen]:
    fast = TerminalScreen(rows, cols, scrollback=scrollback)
    slow = TerminalScreen(rows, cols, scrollback=scrollback)
    slow.fast_path = False
    return fast, slow


def assert_same(fast: TerminalScreen, slow: TerminalScreen) -> None:
    assert fast.display() == slow.display()
    assert fast.cursor == slow.cursor
    assert fast.pen == slow.pen
    assert fast.last_char == slow.last_char
    assert [fast.row_runs(y) for y in range(fast.rows)] == [
        slow.row_runs(y) for y in range(slow.rows)
    ]
    assert fast.grid.wrapped == slow.grid.wrapped
    assert len(fast.scrollback) == len(slow.scrollback)
    assert [fast.scrollback.entry(i) for i in range(len(fast.scrollback))] == [
        slow.scrollback.entry(i) for i in range(len(slow.scrollback))
    ]
    assert fast.scrollback.dropped == slow.scrollback.dropped


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines, st.integers(1, 6), st.integers(2, 30), st.integers(0, 50), st.integers(1, 4))
def test_fast_path_matches_general_path(
    ls: list[str], rows: int, cols: int, limit: int, chunks: int
) -> None:
    data = ("\r\n".join(ls) + "\r\n").encode()
    fast, slow = pair(rows, cols, limit)
    step = max(1, len(data) // chunks)
    for i in range(0, len(data), step):
        fast.feed(data[i : i + step])
        slow.feed(data[i : i + step])
    assert_same(fast, slow)


def test_fast_path_is_taken_for_streamed_lines() -> None:
    fast, slow = pair(24, 80, 10_000)
    body = "".join(
        f"-rw-r--r-- 1 root root {i:6d} Jan  1 00:00 \x1b[01;34mname{i}\x1b[0m\r\n"
        for i in range(2000)
    ).encode()
    assert len(body) > 10 * MIN_BLOCK
    calls = []
    import aitui.core.terminal.screen as screen_module

    original = screen_module.stream_lines

    def spy(s: TerminalScreen, text: str, pos: int) -> int:
        end = original(s, text, pos)
        calls.append(end - pos)
        return end

    screen_module.stream_lines = spy  # type: ignore[assignment]
    try:
        fast.feed(body)
    finally:
        screen_module.stream_lines = original
    slow.feed(body)
    assert sum(calls) > len(body) * 0.9
    assert_same(fast, slow)
    assert fast.scrollback[0].startswith("-rw-r--r-- 1 root root      0")


def test_fast_path_after_prompt_and_with_wrapping_lines() -> None:
    fast, slow = pair(5, 10, 100)
    data = b"$ cmd\r\n" + b"".join(b"x" * (i % 25) + b"\r\n" for i in range(300)) + b"$ "
    fast.feed(data)
    slow.feed(data)
    assert_same(fast, slow)
