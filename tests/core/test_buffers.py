"""One bounded copy of a session's output, read through cursors."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from aitui.core.buffers import Cursor, ExpectBuffer, OutputLog


def test_the_log_keeps_the_newest_capacity_bytes() -> None:
    log = OutputLog(10)
    for piece in (b"abcd", b"efgh", b"ijkl", b"mnop"):
        log.append(piece)
    assert log.end == 16
    assert log.start == 6
    assert log.getvalue() == b"ghijklmnop"
    assert log.since(12) == b"mnop"
    assert log.since(0) == b"ghijklmnop"  # older bytes are gone: from the oldest kept
    assert log.since(16) == b""


def test_a_cursor_reads_each_byte_once_and_skips_what_was_dropped() -> None:
    log = OutputLog(8)
    cursor = Cursor(log)
    log.append(b"hello ")
    assert len(cursor) == 6
    assert cursor.take() == b"hello "
    assert cursor.take() == b""
    log.append(b"big world, bigger")  # more than the capacity before the next read
    assert len(cursor) == 8
    assert cursor.take() == b", bigger"
    late = Cursor(log)  # a cursor starts at the end: it sees only what comes next
    log.append(b"!")
    assert late.take() == b"!"


@given(st.lists(st.binary(max_size=40), max_size=30), st.integers(1, 64))
def test_the_log_equals_the_tail_of_everything_appended(pieces: list[bytes], cap: int) -> None:
    log = OutputLog(cap)
    cursor = Cursor(log)
    everything = b""
    read_up_to = 0
    for i, piece in enumerate(pieces):
        log.append(piece)
        everything += piece
        if i % 3 == 0:  # a take returns the unread part, or its newest ``cap`` bytes
            start = max(read_up_to, len(everything) - cap)
            assert cursor.take() == everything[start:]
            read_up_to = len(everything)
    assert log.getvalue() == everything[-cap:]
    assert log.end == len(everything)


def test_expect_searches_the_visible_text_of_new_output() -> None:
    log = OutputLog(1 << 20)
    expect = ExpectBuffer(log)
    log.append(b"\x1b[1mBuil")  # a match split across chunks and escape sequences
    assert expect.search(re.compile("Build ok")) is None
    log.append(b"d\x1b[0m ok\r\n$ ")
    match = expect.search(re.compile("Build ok"))
    assert match is not None
    assert expect.search(re.compile("Build ok")) is None  # consumed
    assert expect.search(re.compile(r"\$ $")) is not None
