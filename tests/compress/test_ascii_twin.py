"""``ascii_twin`` finds what its pattern finds on ASCII text (spans and groups), on every
corpus line and on generated ASCII text holding every control character, for every pattern
the compressor twins; and it refuses the patterns it could not twin exactly."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.compress import signal_patterns as signals
from aitui.core.compress import text
from aitui.core.compress.ascii_twin import AsciiTwin, ascii_twin
from tests.compress.test_anchored import PIECES, corpus_lines

#: The compressor's twinned patterns (repeat keys, templates) and, as hard cases of the
#: rewrite, the signal tiers' patterns and their free alternatives.
TWINNED: list[re.Pattern[str]] = [
    signals.PATHS_LINEAR_RE,
    text._TEMPLATES_RE,
    signals.FAILED_TEST_RE,
    signals._SECTION_RE,
    signals._JOB_RE,
    signals._BUILD_STEP_RE,
    signals._PATH_LINE_RE,
]
for _fast in (
    signals._CRITICAL,
    signals._STRONG,
    signals._SUMMARY,
    signals._LOCATION,
    signals._DEBUG,
    signals._WARNING,
):
    TWINNED.append(_fast.pattern)
    TWINNED += [alone for _, alone in _fast.free]
IDS = [p.pattern[:40] for p in TWINNED]
#: ASCII pieces that the classes tell apart: every control character (``\x1c``-``\x1f`` are
#: Unicode spaces and not ASCII ones), blanks, digits, word and path characters.
ASCII_PIECES = [chr(c) for c in range(0x20)] + [" ", "  ", "\x7f", "0", "42", "3.14", "_", "-"]
ASCII_PIECES += ["/", "\\", ".", ":", "@", "~", "[", "]", "(", ")", "'", '"', "`", "=", "#"]
ASCII_PIECES += [p for p in PIECES if p.isascii()]
ASCII_PIECES += ["src/a.py:12", "x.ts:3:4", "Step 1/2 :", "--> a.rs:5:5", "  at f (x.js:1:2)"]
ASCII_PIECES += ["Run ", "#5 [a 1/2] RUN", "Complete job name:", "===== FAILURES =====", "abc"]


def same(twin: re.Pattern[str], pattern: re.Pattern[str], line: str) -> bool:
    found = [(m.span(), m.groups()) for m in pattern.finditer(line)]
    return found == [(m.span(), m.groups()) for m in twin.finditer(line)] and bool(
        pattern.match(line)
    ) == bool(twin.match(line))


@pytest.mark.parametrize("pattern", TWINNED, ids=IDS)
def test_twin_finds_what_the_pattern_finds_on_every_ascii_corpus_line(
    pattern: re.Pattern[str],
) -> None:
    twin = ascii_twin(pattern)
    lines = [ln for ln in corpus_lines() if ln.isascii()]
    assert len(lines) > 1000
    for line in lines:
        assert same(twin, pattern, line), line


@pytest.mark.parametrize("pattern", TWINNED, ids=IDS)
def test_twin_finds_what_the_pattern_finds_on_generated_ascii(pattern: re.Pattern[str]) -> None:
    twin = ascii_twin(pattern)
    rng = random.Random(7)
    for _ in range(3000):
        line = "".join(rng.choice(ASCII_PIECES) for _ in range(rng.randint(0, 12)))
        assert same(twin, pattern, line), line


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=127), max_size=40))
def test_spaces_and_words_on_any_ascii(line: str) -> None:
    pattern = re.compile(r"\s+\S|[\s:]\w+\b|[^\s\d]\d|\bx\B|[\w\\-]+")
    assert same(ascii_twin(pattern), pattern, line)


def test_the_unicode_spaces_among_ascii_are_kept() -> None:
    # ``\x1c``-``\x1f`` are ``\s`` by Unicode rules (str.isspace), not by ASCII ones
    for c in "\x1c\x1d\x1e\x1f":
        assert ascii_twin(re.compile(r"a\sb")).search(f"a{c}b")
        assert ascii_twin(re.compile(r"a[\s]b")).search(f"a{c}b")
        assert not ascii_twin(re.compile(r"a\Sb")).search(f"a{c}b")
        assert not ascii_twin(re.compile(r"a[^\s]b")).search(f"a{c}b")
    assert not re.compile(r"a\sb", re.ASCII).search("a\x1cb")  # why the rewrite exists


def test_escapes_and_leading_brackets_are_copied() -> None:
    for source in (r"[]a]+", r"[^]a]+", r"\[x\]\s", r"[\\s]", r"a\\s", r"[\]\s]"):
        pattern = re.compile(source)
        for line in ("]a", "a]b", "[x] ", "\\s", "s", "a\\s", "]\x1c", "a s"):
            assert same(ascii_twin(pattern), pattern, line), (source, line)


def test_refused_where_no_exact_twin_is_written() -> None:
    with pytest.raises(ValueError):
        ascii_twin(re.compile("(?i)\u212a"))  # Kelvin sign: matches k by Unicode rules
    with pytest.raises(ValueError):
        ascii_twin(re.compile(r"[\S\n]"))
    with pytest.raises(ValueError):
        ascii_twin(re.compile(r"(?u)\w"))


def test_ascii_twin_search_keeps_unicode_rules_off_ascii() -> None:
    probe = AsciiTwin(r"\d (?:failed|passed)")
    assert probe.search("\u0663 failed")  # ARABIC-INDIC DIGIT THREE is a \d
    assert probe.search("3 passed")
    assert not probe.search("3  passed")
    assert AsciiTwin(r"a\sb").search("a\u2003b")  # EM SPACE
