"""``terminal_text``: raw terminal bytes as the plain text a person reads on the screen."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.ansi import MAX_COLUMN, terminal_text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"\x1b[1;31mred\x1b[0m plain\r\n", "red plain\n"),
        (b"10%\r50%\r100%\n", "100%\n"),  # a progress bar ends in its final state
        (b"abc\b\bX\n", "aXc\n"),
        (b"hello world\r\x1b[6C\x1b[Kthere\n", "hello there\n"),  # move, erase, write
        (b"a\x1b[3Cb", "a   b"),  # forward over nothing: blanks
        (b"abcdef\x1b[3D\x1b[1K|", "   |ef"),  # back, erase to the start of the line
        (b"abcdef\x1b[2Kxy", "      xy"),  # the whole line erased, the cursor stays put
        (b"abc\x1b[2GZ", "aZc"),  # to column 2
        (b"\x1b]0;a title\x07text", "text"),  # a title is not text
        # fish draws a command line with cursor moves from the line's start
        (b"root# \x1b[K\r\x1b[6C \r\x1b[7Cecho \r\x1b[12Chi\r\n", "root#  echo hi\n"),
    ],
)
def test_what_a_terminal_would_show(raw: bytes, text: str) -> None:
    assert terminal_text(raw) == text


def test_a_hostile_cursor_move_is_bounded() -> None:
    assert len(terminal_text(b"x\x1b[9999Cy")) == MAX_COLUMN + 1


printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(printable)
def test_plain_text_comes_back_unchanged(text: str) -> None:
    assert terminal_text(text.encode()) == text


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_text_without_escapes(data: bytes) -> None:
    assert "\x1b" not in terminal_text(data)
