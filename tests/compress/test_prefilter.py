"""The RE2 pre-filter never leaves out a line that scores, and the RE2 scans find ``re``'s
matches: on every corpus and test log line, on generated lines and on hypothesis input."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.compress import generic, prefilter, signals
from aitui.core.compress import signal_patterns as patterns
from aitui.core.compress.re2_twin import twin
from aitui.core.compress.scan import AlternationScan
from aitui.core.compress.text import clean_lines
from tests.compress.test_anchored import PIECES, corpus_lines
from tests.compress.test_score_fast import MORE

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent.parent / "shared" / "data"

#: What separates and surrounds the words: every ASCII whitespace ``re`` knows (``\x1c``-
#: ``\x1f`` too, which RE2's ``\s`` lacks), word characters and the punctuation of paths.
GLUE = [" ", "  ", "\t", "\x0b", "\x0c", "\r", "\x1c", "\x1f", "_", "x", "/", ".", ":", "-"]
GLUE += ["1", "42", "(", ")", "[", "]", "=", "'", '"', "py", "a.py:3", "  at f (a.js:1:2)"]


def logs() -> list[str]:
    paths = list(HERE.glob("**/*.log"))
    for sub in ("compression-dev/corpus", "logdx-dev/cases"):
        paths += (SHARED / sub).glob("**/*.log")
    return [p.read_text("utf-8", "replace") for p in sorted(paths)]


def missed(lines: list[str]) -> list[str]:
    """The lines that score but that the pre-filter leaves out."""
    kept = prefilter.may_score(lines)
    return [line for line in lines if line not in kept and signals.line_score(line)]


def test_no_scoring_line_left_out_on_every_corpus_line() -> None:
    lines = corpus_lines()
    cleaned = sorted({ln for text in logs() for ln in clean_lines(text)})
    assert len(lines) > 10_000
    assert missed(lines) == []
    assert missed(cleaned) == []
    # and it does filter: most of these lines score nothing and are left out
    kept = prefilter.may_score(lines)
    assert len(kept) < len(lines) / 2


def test_no_scoring_line_left_out_on_generated_lines() -> None:
    rng = random.Random(8)
    pieces = PIECES + MORE + GLUE
    scored = 0
    for _ in range(200):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 10))) for _ in range(100)]
        scored += sum(map(bool, map(signals.line_score, lines)))
        assert missed(lines) == []
    assert 2_000 < scored < 19_000  # both answers are exercised


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(PIECES + MORE + GLUE) | st.text(max_size=4), max_size=10).map(
            "".join
        ),
        min_size=1,
        max_size=8,
    )
)
def test_no_scoring_line_left_out_on_hypothesis_lines(lines: list[str]) -> None:
    assert missed(lines) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.characters(max_codepoint=127), max_size=60), min_size=1, max_size=6))
def test_no_scoring_line_left_out_on_ascii_text(lines: list[str]) -> None:
    assert missed(lines) == []


def test_kept_without_filtering() -> None:
    long_line = "PASSED " * 200
    lines = ["PASSED tests/a.py::test_x", "naïve PASSED", long_line, "x"]
    kept = prefilter.may_score(lines)
    # not ASCII, longer than the probe: always kept; an ordinary ASCII line is left out
    assert {"naïve PASSED", long_line} <= kept
    assert "PASSED tests/a.py::test_x" not in kept
    # a line holding a newline: nothing is left out
    assert prefilter.may_score(["a\nb", "x"]) == {"a\nb", "x"}


def test_scores_identical_with_and_without_the_prefilter(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [clean_lines(text) for text in logs()]
    with_filter = [signals.score_lines(lines) for lines in texts]
    monkeypatch.setattr(signals, "may_score", set)
    without = [signals.score_lines(lines) for lines in texts]
    for a, b in zip(with_filter, without, strict=True):
        assert dict(a) == dict(b)
        assert a.errors == b.errors


def test_twin_refuses_what_it_cannot_carry() -> None:
    for pattern in [r"a(?=b)", r"a(?!b)", r"(?>a)", r"a*+", r"\W", r"\D", r"\Z", r"(a)\1"]:
        with pytest.raises(ValueError):
            twin(pattern, lines=False)
    with pytest.raises(ValueError):
        twin(r"(?<!a)b", lines=False)  # exact twins keep every lookbehind: none in RE2
    assert twin(r"(?<![./])\binvalid\b", lines=True) == r"\binvalid\b"
    assert twin(r"[^\]]\S", lines=True) == r"[^\n\]]" + r"[^\n\t\x0b\x0c\r \x1c-\x1f]"


BYTES_PATTERNS = [
    rb"^\s*e\s",
    rb"^\s+at \S",
    rb"\.[a-z]{1,6}:\d",
    rb"\bfoo\b|[^ab]+c",
    rb"^\s*(?:[\w@.-]+/)+[\w.@-]+\.\w{1,6}\s*$",
    rb"x$|^y",
]


@pytest.mark.parametrize("pattern", BYTES_PATTERNS)
def test_exact_twin_has_re_matches(pattern: bytes) -> None:
    import re2

    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    fast = re2.compile(b"(?m)" + twin(pattern.decode(), lines=False).encode(), options)
    plain = re.compile(pattern, re.M)
    rng = random.Random(5)
    alphabet = ["a", "b", "c", "e", "x", "y", "foo", " ", "\t", "\x0b", "\x0c", "\r", "\n"]
    alphabet += ["at ", "/", ".", "py", ":", "1", "_", "-", "\xe9", "\x1c"]
    for _ in range(3000):
        data = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))).encode("latin-1")
        assert [m.span() for m in fast.finditer(data)] == [
            m.span() for m in plain.finditer(data)
        ], data


def test_scans_with_extras_use_re2_and_agree_with_re() -> None:
    scans = [patterns._SCAN.extra, generic._IMPORTANT_SCAN.extra]
    assert all(s is not None and s._twin is not None for s in scans)
    datas = [
        "\n".join(lines).encode("utf-8", "replace").lower() for lines in map(clean_lines, logs())
    ]
    rng = random.Random(4)
    pieces = [b"\n", b" ", b"\x0b", b"\t", b"e", b"at x", b"tests: 3", b"#12 [", b"a/b/c.py"]
    pieces += [b".py:12", b"-->", b"line 3", b"(index 2)", b"found 3", b"step 2", b"\xc3\xa9"]
    datas += [b"".join(rng.choice(pieces) for _ in range(40)) for _ in range(2000)]
    for scan in scans:
        assert scan is not None
        for data in datas:
            assert scan.starts(data) == scan.starts_plain(data)


def test_scan_with_an_empty_match_falls_back_to_re() -> None:
    from aitui.core.compress.scan import _re2_of

    scan = AlternationScan([rb"^$", rb"\n?x"])
    data = b"a\n\nxx\n"
    assert scan._twin is not None
    spans = [m.span() for m in _re2_of(scan._twin).finditer(data)]
    assert any(start == end for start, end in spans)  # RE2 steps past it: not used
    assert scan.starts(data) == scan.starts_plain(data)
