"""Fast paths of the signal scoring, the candidate scan and the budget answer as the plain ways.

The ASCII twin of a ``\\d`` probe, the possessive path-line alternative of the candidate scan,
the candidate lines found by counting newlines (``test_scan.py`` compares them with one
``find`` pass per word too), the budget's floor that spares counting lines that cannot fit,
the tiers' literal guards and the ASCII repeat keys.
"""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.compress import signal_patterns as signals
from aitui.core.compress.ascii_twin import AsciiTwin
from aitui.core.compress.budget import select
from aitui.core.compress.scan import KeywordScan
from aitui.core.compress.signals import score_lines
from aitui.core.compress.token_floor import token_floor
from aitui.core.tokens import count_tokens
from tests.compress.test_anchored import corpus_lines
from tests.compress.test_scan import texts

SUMMARY_PROBE = r"\d (?:failed|error|failure|passed|test|of \d|problem|warning)"
#: ASCII digits and other decimal digits (which ``\d`` matches and ``[0-9]`` does not)
DIGIT_PIECES = ["3", "12", "\u0663", "\u0966", "\uff11", " ", "failed", "passed", "of ", "x"]
DIGIT_PIECES += ["test", "problem", "warning", "error", "failure", "é", "\n"]


def test_ascii_twin_probe_is_the_pattern_on_every_corpus_line() -> None:
    probe = AsciiTwin(SUMMARY_PROBE)
    plain = re.compile(SUMMARY_PROBE)
    hits = 0
    for line in corpus_lines():
        expected = plain.search(line) is not None
        hits += expected
        assert probe.search(line) == expected, line
    assert hits > 10


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(DIGIT_PIECES) | st.text(max_size=2), max_size=10))
def test_ascii_twin_probe_is_the_pattern_on_any_text(parts: list[str]) -> None:
    line = "".join(parts)
    assert AsciiTwin(SUMMARY_PROBE).search(line) == (re.search(SUMMARY_PROBE, line) is not None)


def test_ascii_twin_keeps_other_digits_on_non_ascii_lines() -> None:
    probe = AsciiTwin(SUMMARY_PROBE)
    assert probe.search("\u0663 failed")  # ARABIC-INDIC DIGIT THREE is a \d
    assert probe.search("3 passed")
    assert not probe.search("3  passed")


PLAIN_PATH_LINE = rb"^\s*(?:[\w@.-]+/)+[\w.@-]+\.\w{1,6}\s*$"
PATH_PIECES = ["a", "b1", "/", ".", "-", "@", ".py", ".ts", " ", "  ", "\t", "\n", "\n\n", "x/"]
PATH_PIECES += ["src/lib.rs", "é", ".toolong7", "_", ":"]


def _scan_alternatives() -> tuple[bytes, ...]:
    assert signals._SCAN.extra is not None
    return signals._SCAN.extra.alternatives


def test_the_scans_path_line_alternative_is_the_plain_one() -> None:
    # the scan runs it through RE2 (no possessive runs there): its twin has ``re``'s matches
    from aitui.core.compress.re2_twin import twin
    from aitui.core.compress.scan import _re2_of

    assert PLAIN_PATH_LINE in _scan_alternatives()
    fast = _re2_of(b"(?m)" + twin(PLAIN_PATH_LINE.decode(), lines=False).encode())
    plain = re.compile(PLAIN_PATH_LINE, re.M)
    rng = random.Random(6)
    samples = [t.encode("utf-8", "replace").lower() for t in texts()]
    samples += ["".join(rng.choice(PATH_PIECES) for _ in range(30)).encode() for _ in range(4000)]
    found = 0
    for data in samples:
        spans = [m.span() for m in plain.finditer(data)]
        found += len(spans)
        assert [m.span() for m in fast.finditer(data)] == spans, data[:200]
    assert found > 100


def test_candidates_of_lines_holding_newlines_are_by_their_sizes() -> None:
    scan = KeywordScan(["err"], re.compile("err"))
    lines = ["ok", "a\nb err", "x", "error"]
    assert scan.candidates(lines) == [1, 3]
    assert scan.candidates(["ok", "a", "err", "", "b err"]) == [2, 4]
    assert scan.candidates(["err"]) == [0]
    assert scan.candidates(["x", "y"]) == []


def _floor(text: str, enough: int) -> int:
    return token_floor(text, "o200k_base", enough)


def test_select_with_a_floor_keeps_what_counting_keeps_and_counts_less() -> None:
    rng = random.Random(4)
    logs = [t.split("\n") for t in texts() if len(t) > 20_000]
    assert len(logs) >= 8
    skipped = 0
    for lines in logs:
        scores = score_lines(lines)
        for budget in (64, 300, 1200, rng.randint(100, 5000)):
            plain_calls: list[str] = []
            floor_calls: list[str] = []

            def plain(text: str, seen: list[str] = plain_calls) -> int:
                seen.append(text)
                return count_tokens(text)

            def counted(text: str, seen: list[str] = floor_calls) -> int:
                seen.append(text)
                return count_tokens(text)

            expected = select(lines, dict(scores), budget, plain)
            assert select(lines, dict(scores), budget, counted, floor=_floor) == expected
            assert len(floor_calls) <= len(plain_calls)
            skipped += len(plain_calls) - len(floor_calls)
    assert skipped > 100  # the floor does spare counts


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="ab 1:/.\u00e9", max_size=60), min_size=1, max_size=40),
    st.integers(min_value=64, max_value=400),
    st.randoms(use_true_random=False),
)
def test_select_with_a_floor_on_any_lines(
    lines: list[str], budget: int, rng: random.Random
) -> None:
    scores = {i: rng.choice([20, 30, 60, 85, 100]) for i in range(len(lines)) if rng.random() < 0.5}
    expected = select(lines, dict(scores), budget, count_tokens)
    assert select(lines, dict(scores), budget, count_tokens, floor=_floor) == expected


GUARDED = [
    'File "C:\\a.py", line 3',
    'File "a.py", line 3, in <module>: x',
    '  File "x:y.py", line 12',
    "value (index 3) here",
    "a: (index 3)",
    "Step 1/2 : RUN x",
    "  Step 2/3 : COPY a b",
    "Run ./x.sh",
    "Complete job name: build",
    "#3 [base 1/2] RUN apt-get x",
    "  src/a/b.py  ",
    "src/a b/c.py",
    "\tsrc/a/b.py",
    "x.py:\u0663 bad",  # a decimal digit that is not ASCII
    "at x.js:12:3",
    "--> src/lib.rs:5:5",
    "Dockerfile:336",
]


def test_tier_guards_keep_line_score_plain_answers() -> None:
    from aitui.core.compress.signals import line_score, line_score_plain

    found = set()
    for line in GUARDED:
        expected = line_score_plain(line)
        found.add(expected)
        assert line_score(line) == expected, line
    assert {60, 50, 30} <= found  # location, structure and path lines among them


ASCII_PIECES = ["a", "Z", "_", "0", "9", "12", "/", "\\", ":", ".", "@", "~", "-", "[", "]"]
ASCII_PIECES += [" ", "'", '"', "`", "deadbeef", "abc1234", "x.py:3", "\t"]


def _masks(line: str) -> tuple[str, str]:
    from aitui.core.compress.text import _TEMPLATE_RE

    plain = _TEMPLATE_RE.sub("#", signals.PATHS_LINEAR_RE.sub("/", line))
    from aitui.core.compress.signals import shape_key

    return shape_key(line), plain


def test_shape_keys_of_ascii_lines_are_the_unicode_patterns_on_every_corpus_line() -> None:
    from aitui.core.compress.text import _TEMPLATE_RE, template

    for line in corpus_lines():
        fast, plain = _masks(line)
        assert fast == plain, line
        assert template(line) == _TEMPLATE_RE.sub("#", line), line


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(ASCII_PIECES) | st.text(max_size=2), max_size=20))
def test_shape_keys_are_the_unicode_patterns_on_any_text(parts: list[str]) -> None:
    from aitui.core.compress.text import _TEMPLATE_RE, template

    line = "".join(parts)
    fast, plain = _masks(line)
    assert fast == plain
    assert template(line) == _TEMPLATE_RE.sub("#", line)
    assert template(line + "\n'a\nb'") == _TEMPLATE_RE.sub("#", line + "\n'a\nb'")
