"""Content sniffing matched at line starts only answers as searching everywhere does."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.compress import detect
from aitui.core.compress.scan import LineStartSearch, top_level_alternatives
from aitui.core.compress.text import clean_lines
from tests.compress.test_anchored import HERE, SHARED


def corpus_texts() -> list[str]:
    paths = list(HERE.glob("**/*.log"))
    for sub in ("compression-dev/corpus", "logdx-dev/cases"):
        paths += list((SHARED / sub).glob("**/*.log"))
    return [p.read_text("utf-8", "replace") for p in sorted(paths)]


def test_top_level_alternatives() -> None:
    pattern = r"^a|^(?:b|c)|^[|]x|^\|y|^[]|]z|^[^]|]w|(?P<n>d|e)"
    assert top_level_alternatives(pattern) == [
        "^a",
        "^(?:b|c)",
        "^[|]x",
        "^\\|y",
        "^[]|]z",
        "^[^]|]w",
        "(?P<n>d|e)",
    ]
    assert top_level_alternatives("") == [""]


def test_same_kind_on_every_corpus_log_and_shuffles_of_their_lines() -> None:
    texts = corpus_texts()
    assert len(texts) > 30
    rng = random.Random(3)
    pool = [ln for text in texts for ln in clean_lines(text)[:300]]
    cases = [clean_lines(text) for text in texts]
    cases += [[rng.choice(pool) for _ in range(rng.randint(0, 60))] for _ in range(300)]
    kinds = set()
    for lines in cases:
        expected = detect.kind_from_content_plain(lines)
        kinds.add(expected)
        assert detect.kind_from_content(lines) == expected
    assert len(kinds) > 12


#: Pieces of text the sniffers and the prompt look for, and line breaks.
PIECES = ["\n", "\n\n", " ", "  ", "$ ", "user@host:~$ ", "> ", "(venv) ", "x", "ls -l", "=== "]
PIECES += ["===== test session starts =====", "Ran 3 tests in 0.1s", "running 2 tests", "ok"]
PIECES += ["   Compiling a v1", "error[E0308]: ", "--- FAIL: ", "diff --git ", "a.py:3: error:"]
PIECES += ["src/a.c:1:2: error:", "npm verbose ", "  1:2  error  x", "a.ts(1,2): error TS1:"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=25), st.integers(0, 40))
def test_line_start_search_is_the_patterns_search(parts: list[str], pos: int) -> None:
    text = "".join(parts)
    pos = min(pos, len(text))
    patterns = [detect._PROMPT_M] + [p for _, p in detect._SNIFFERS_M]
    for pattern in patterns:
        if not all(a.startswith("^") for a in top_level_alternatives(pattern.pattern)):
            continue
        fast = LineStartSearch(pattern).search(text, pos)
        plain = pattern.search(text, pos)
        assert (fast is None) == (plain is None), pattern.pattern
        if fast is not None and plain is not None:
            assert fast.end() == plain.end()
            assert fast.start() in (plain.start(), plain.start() - 1)  # the newline before


def test_a_pattern_with_an_alternative_not_at_a_line_start_is_refused() -> None:
    try:
        LineStartSearch(re.compile(r"^a|b", re.M))
    except AssertionError:
        return
    raise AssertionError("accepted")


def test_pytest_prefilters_admit_every_line_the_patterns_match() -> None:
    from aitui.core.compress import pytests

    extra = ["===", "=== a ===", "3 passed in 0.1s", "٣ passed", "² passed", "no tests ran in 1s"]
    extra += ["1 failed, 2 passed", " 3 passed", "==== 2 failed ===="]
    for line in [ln for text in corpus_texts() for ln in text.split("\n")] + extra:
        if pytests._SECTION_RE.match(line):
            assert line.startswith("===")
        if pytests._FINAL_RE.match(line):
            assert line[:1].isdecimal() or line.startswith("no tests ran"), line


def test_str_isdecimal_is_re_digit_on_every_character() -> None:
    digit = re.compile(r"\d")
    for code in range(0x110000):
        char = chr(code)
        assert (digit.match(char) is not None) == char.isdecimal(), hex(code)


PROGRESS_PIECES = ["....", "F", "E", "s", "x", "X", "p", " ", "  ", "[ 14%]", "[100%]", "a.py "]
PROGRESS_PIECES += ["tests/t.py::test_a", "::", " PASSED", " FAILED", " (reason)", "\t", "é"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PROGRESS_PIECES) | st.text(max_size=3), max_size=10))
def test_pytest_progress_check_is_the_pattern(parts: list[str]) -> None:
    from aitui.core.compress import pytests

    line = "".join(parts)
    assert pytests.is_progress(line) == (pytests._PROGRESS_RE.match(line) is not None)


def test_pytest_progress_check_on_every_corpus_line() -> None:
    from aitui.core.compress import pytests

    for line in {ln for text in corpus_texts() for ln in text.split("\n")}:
        assert pytests.is_progress(line) == (pytests._PROGRESS_RE.match(line) is not None), line


STAMP_PIECES = ["2026-04-23T04:09:30.1158343Z ", "2026-04-23T04:09:30Z", "\ufeff", "\n", "\n\n"]
STAMP_PIECES += ["x", " ", "2026-04-23T04:09:30.1Z", "2026-04-23", "T04:09:30Z "]
# stamps with other decimal digits (\d matches them, the ASCII-digit pattern does not)
STAMP_PIECES += ["\u0662026-04-23T04:09:30Z ", "2026-04-23T04:09:30.11\u0663Z", "\u0663", "7"]


def test_timestamps_stripped_as_the_line_start_pattern_does() -> None:
    from aitui.core.compress import ci

    for text in corpus_texts():
        assert ci.strip_timestamps(text) == ci._STAMP_RE.sub("", text)
    rng = random.Random(11)
    for _ in range(5000):
        text = "".join(rng.choice(STAMP_PIECES) for _ in range(rng.randint(0, 12)))
        assert ci.strip_timestamps(text) == ci._STAMP_RE.sub("", text), repr(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(STAMP_PIECES) | st.text(max_size=3), max_size=12))
def test_timestamps_stripped_on_any_text(parts: list[str]) -> None:
    from aitui.core.compress import ci

    text = "".join(parts)
    assert ci.strip_timestamps(text) == ci._STAMP_RE.sub("", text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "#", "%", "❯", "➜", "»", "$"]) | st.text(max_size=3)))
def test_a_text_with_a_prompt_holds_a_prompt_sign(parts: list[str]) -> None:
    text = "".join(parts)
    if detect._PROMPT_M.search(text):
        assert detect._prompt_sign(text)
    for sign in detect._PROMPT_SIGNS:
        assert detect._prompt_sign(f"a{sign}b")
