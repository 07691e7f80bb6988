"""``token_floor`` never exceeds the real count: of tiktoken's pieces, hence of its tokens."""

from __future__ import annotations

import random

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.compress.token_floor import token_floor
from aitui.core.tokens import ENCODINGS, count_tokens
from tests.compress.test_line_start import corpus_texts

ENCODING_NAMES = ["o200k_base", "cl100k_base"]
#: the characters the floor's rules are about, often, and the rest of ASCII now and then
EDGY = "aZsT09'/\n\r \t:.-_(\"x\x0b\x0c\x1b"


def pieces(text: str, encoding: str) -> int:
    return len(regex.findall(ENCODINGS[encoding].pat_str, text))


def ascii_texts() -> list[str]:
    """Every corpus file made ASCII (other characters as ``?``), whole and by line."""
    texts = [t.encode("ascii", "replace").decode() for t in corpus_texts()]
    return texts + sorted({ln for t in texts for ln in t.split("\n")})


@pytest.mark.parametrize("encoding", ENCODING_NAMES)
def test_never_above_the_pieces_on_the_corpora(encoding: str) -> None:
    tight = 0
    for text in ascii_texts():
        floor = token_floor(text, encoding)
        assert floor <= pieces(text, encoding), text[:200]
        tight += floor == pieces(text, encoding) and floor > 0
    assert tight > 100  # the floor is often exact on a line, not just 0


@pytest.mark.parametrize("encoding", ENCODING_NAMES)
def test_never_above_the_tokens_of_whole_files(encoding: str) -> None:
    for text in corpus_texts():
        text = text.encode("ascii", "replace").decode()
        floor = token_floor(text, encoding)
        assert 0 < floor <= count_tokens(text, encoding)
        assert floor > count_tokens(text, encoding) // 4  # a useful floor, not a trivial one


@pytest.mark.parametrize("encoding", ENCODING_NAMES)
def test_never_above_the_pieces_on_generated_text(encoding: str) -> None:
    rng = random.Random(11)
    ascii_chars = [chr(c) for c in range(128)]
    for _ in range(20_000):
        alphabet = EDGY if rng.random() < 0.8 else ascii_chars
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert token_floor(text, encoding) <= pieces(text, encoding), repr(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_never_above_the_tokens_of_any_ascii_text(text: str) -> None:
    for encoding in ENCODING_NAMES:
        assert token_floor(text, encoding) <= pieces(text, encoding)
        assert token_floor(text, encoding) <= count_tokens(text, encoding)


def test_nothing_judged_without_ascii_or_a_known_pattern() -> None:
    assert token_floor("", "o200k_base") == 0
    assert token_floor("héllo world", "o200k_base") == 0
    assert token_floor("hello world", "no-such-encoding") == 0
    assert token_floor("hello world", "o200k_base") == 2
    edgy = "x:\n/usr/bin it's"
    assert 0 < token_floor(edgy, "o200k_base") <= pieces(edgy, "o200k_base")
