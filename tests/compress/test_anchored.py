"""The fast searches of the signal patterns answer exactly as ``pattern.search`` does."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from aitui.core.compress import signal_patterns as signals
from aitui.core.compress.anchored import AnchoredSearch
from aitui.core.compress.scan import Words

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent.parent / "shared" / "data"
FAST = [
    signals._CRITICAL,
    signals._STRONG,
    signals._SUMMARY,
    signals._LOCATION,
    signals._DEBUG,
    signals._WARNING,
]
IDS = ["critical", "strong", "summary", "location", "debug", "warning"]

#: Pieces the generated lines are made of: every start word and keyword of the patterns in
#: several cases, separators, digits and non-ASCII signs.
PIECES = [
    "error",
    "Error",
    "ERROR",
    "FAILED",
    "Failed",
    "fail",
    "FAIL",
    "E",
    "E:",
    "##[error]",
    "fatal",
    "FATAL",
    "Fatal",
    "exit code",
    "exited with code",
    "exit status",
    "Traceback",
    "(most recent call last)",
    "panicked at",
    "AssertionError",
    "assert",
    "SIGSEGV",
    "Killed",
    "OOM",
    "out of memory",
    "timed out",
    "Found",
    "3",
    "12",
    "errors",
    "tests",
    "test result:",
    "Ran",
    "passed",
    "failures",
    "of",
    "Summary",
    "Tests:",
    "Test Suites:",
    "=====",
    "problems",
    "warnings",
    "(",
    ")",
    ":",
    " ",
    "  ",
    "\t",
    "/",
    ".",
    "-",
    "_",
    "x",
    "foo",
    "●",
    "é",
    "cannot",
    "can't",
    "invalid",
    "./invalid",
    "could not",
    "npm ERR!",
    "npm error",
    "[E0308]",
    "TS2322",
    "undefined reference",
    "in 1.2s",
    "unexpected",
    "received",
    "Exception",
    "a.py",
    "src/x.ts:12",
    ":3",
    "-->",
    'File "',
    '", line 4',
    "Dockerfile",
    ".dev",
    "(index 2)",
    "  at ",
    "level=debug",
    "level=info",
    "DEBUG",
    "[debug]",
    "TRACE",
    "warn",
    "Warnings",
    "deprecated",
    "problems (",
    "warning (",
    "7 problems (",
]


def corpus_lines() -> list[str]:
    texts = [p.read_text("utf-8", "replace") for p in HERE.glob("**/*.log")]
    for sub in ("compression-dev/corpus", "logdx-dev/cases"):
        texts += [p.read_text("utf-8", "replace") for p in (SHARED / sub).glob("**/*.log")]
    return sorted({ln.rstrip() for text in texts for ln in text.split("\n")})


def probe(line: str) -> str:
    if len(line) > signals.PROBE_HEAD + signals.PROBE_TAIL:
        return f"{line[: signals.PROBE_HEAD]} {line[-signals.PROBE_TAIL :]}"
    return line


@pytest.mark.parametrize("fast", FAST, ids=IDS)
def test_same_answers_on_every_corpus_line(fast: AnchoredSearch) -> None:
    lines = corpus_lines()
    assert len(lines) > 1000
    for line in map(probe, lines):
        assert fast(line, line.lower()) == bool(fast.pattern.search(line)), line


@pytest.mark.parametrize("fast", FAST, ids=IDS)
def test_same_answers_on_generated_lines(fast: AnchoredSearch) -> None:
    rng = random.Random(18)
    matched = 0
    for _ in range(20_000):
        line = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))
        expected = bool(fast.pattern.search(line))
        matched += expected
        assert fast(line, line.lower()) == expected, line
    assert 200 < matched < 19_900  # the generated lines exercise both answers


def test_a_free_alternative_is_found_only_through_its_own_pattern() -> None:
    fast = AnchoredSearch(re.compile(r"^ok|\d+ bad"), ["ok"], [(("bad",), re.compile(r"\d+ bad"))])
    probed = AnchoredSearch(
        re.compile(r"\d+ bad"), [], [(re.compile(r"\d b"), re.compile(r"\d+ bad"))]
    )
    assert probed("x 12 bad", "x 12 bad")
    assert not probed("x 12 bat", "x 12 bat")
    assert fast("x 12 bad", "x 12 bad")
    assert fast("ok", "ok")
    assert not fast("x ok", "x ok")  # "ok" only at the start: the match at 0 fails
    blind = AnchoredSearch(re.compile(r"^ok|\d+ bad"), ["ok"])
    assert not blind("x 12 bad", "x 12 bad")  # what the free list is for


def test_words_is_any_word_in_the_text() -> None:
    words = Words(["err", "fail", "x y"])
    for text in ["", "error", "a fail", "x  y", "x y", "ERR", "fai l", "stderr"]:
        assert words(text) == any(w in text for w in words.words), text


def test_passing_tests_category_skips_only_lines_it_cannot_match() -> None:
    from aitui.core.compress import budget

    gated = budget._PassingTests()
    extra = ["ok 1 - x", "test a ... ok", "PASSED", "Passes", "✓ x", "ok", "x ... ok ", "pass"]
    for line in corpus_lines() + extra:
        assert gated.search(line) == bool(budget._PASSING_RE.search(line)), line


def test_outcome_patterns_of_verbose_folders_only_match_at_the_start() -> None:
    from aitui.core.compress.installers import FOLDERS

    lines = corpus_lines()
    for keep_re, _ in FOLDERS.values():
        for line in lines:
            assert bool(keep_re.match(line)) == bool(keep_re.search(line)), line
