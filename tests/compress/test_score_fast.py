"""One automaton pass (``score_fast.tier``) scores a line exactly as the plain way."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.compress import signals
from tests.compress.test_anchored import PIECES, corpus_lines

#: Pieces that reach the tiers the anchored searches do not cover (sections, jobs, paths).
MORE = [
    "= ERRORS =",
    "==== FAILURES ====",
    "--- Captured stdout",
    "--- FAIL: TestX",
    "Failures:",
    "Summary of all failing tests",
    "##[group]Run make",
    "Run ./x.sh",
    "Complete job name: build",
    "#12 [stage 1/2] RUN make",
    "Step 3/7 :",
    "src/pkg/mod.py",
    "E  ",
    "E\t\tx",
    "test a::b ... FAILED",
    "FAILED a.py::t",
    "FAIL [x] y",
    "[1m",
    # non-ASCII: signs the tiers test, letters IGNORECASE matches as ASCII ones while lower()
    # keeps them (ı, ſ) or lowers to two characters (İ), the Kelvin sign (lowers to k)
    "✕ x",
    "● y",
    "faıled",
    "ſummary",
    "FAİLED",
    "İ",
    "\u212a",
    "ﬁ",
    "→",
]


def test_same_scores_on_every_corpus_line() -> None:
    lines = corpus_lines()
    assert len(lines) > 1000
    for line in lines:
        assert signals.line_score(line) == signals.line_score_plain(line), line


def test_same_scores_on_generated_lines() -> None:
    rng = random.Random(18)
    pieces = PIECES + MORE
    seen: set[int] = set()
    for _ in range(30_000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        expected = signals.line_score_plain(line)
        seen.add(expected)
        assert signals.line_score(line) == expected, line
    # every tier's score comes up, so each of its branches was compared
    assert seen >= {0, 20, 30, 50, 60, 85, 90, 100, 105, 110}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES + MORE) | st.text(max_size=4), max_size=8))
def test_same_scores_on_any_text(parts: list[str]) -> None:
    line = "".join(parts)
    assert signals.line_score(line) == signals.line_score_plain(line)


def test_a_long_line_is_scored_by_its_probe_either_way() -> None:
    line = "x" * 500 + " error: boom " + "y" * 500 + " 3 failed"
    assert signals.line_score(line) == signals.line_score_plain(line) == signals.SUMMARY


PATH_PIECES = ["a", "word_", "x.y", "@", "~", "-", "/", "\\", ":", "[", "]", " ", "é", "::", "9"]


def test_linear_paths_pattern_masks_as_the_plain_one() -> None:
    from aitui.core.compress.signal_patterns import _PATHS_RE, PATHS_LINEAR_RE

    # (lines up to 2,000 characters: on longer words the plain pattern's quadratic time is
    # what the linear one is for, and the test would take minutes)
    for line in corpus_lines():
        if len(line) <= 2000:
            assert PATHS_LINEAR_RE.sub("/", line) == _PATHS_RE.sub("/", line), line
    rng = random.Random(7)
    for _ in range(20_000):
        line = "".join(rng.choice(PATH_PIECES) for _ in range(rng.randint(0, 12)))
        assert PATHS_LINEAR_RE.sub("/", line) == _PATHS_RE.sub("/", line), line


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PATH_PIECES) | st.text(max_size=3), max_size=10))
def test_linear_paths_pattern_on_any_text(parts: list[str]) -> None:
    from aitui.core.compress.signal_patterns import _PATHS_RE, PATHS_LINEAR_RE

    line = "".join(parts)
    assert PATHS_LINEAR_RE.sub("/", line) == _PATHS_RE.sub("/", line)
