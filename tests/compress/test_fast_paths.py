"""Round-6 fast paths answer exactly as the plain ways they replace.

The ASCII twin of a ``\\d`` probe, the possessive path-line alternative of the candidate scan,
the budget's floor that skips counting lines that cannot fit, and the candidate scan's lines
found by counting newlines (``tests/compress/test_scan.py`` compares it with one ``find``
pass per word too).
"""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.compress import signal_patterns as signals
from aitui.core.compress.anchored import AsciiDigits
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


def test_ascii_digits_probe_is_the_pattern_on_every_corpus_line() -> None:
    probe = AsciiDigits(SUMMARY_PROBE)
    plain = re.compile(SUMMARY_PROBE)
    hits = 0
    for line in corpus_lines():
        expected = plain.search(line) is not None
        hits += expected
        assert probe.search(line) == expected, line
    assert hits > 10


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(DIGIT_PIECES) | st.text(max_size=2), max_size=10))
def test_ascii_digits_probe_is_the_pattern_on_any_text(parts: list[str]) -> None:
    line = "".join(parts)
    assert AsciiDigits(SUMMARY_PROBE).search(line) == (re.search(SUMMARY_PROBE, line) is not None)


def test_ascii_digits_keeps_other_digits_on_non_ascii_lines() -> None:
    probe = AsciiDigits(SUMMARY_PROBE)
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
    fast = re.compile(next(a for a in _scan_alternatives() if b"++/" in a), re.M)
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


def _unittest_plain(lines: list[str]) -> list[str]:
    """``compress_unittest`` as it was: each pattern asked of every line through ``re``."""
    from aitui.core.compress.pytests import (
        ERROR_RE,
        Out,
        compress_traceback,
        is_traceback_start,
        traceback_end,
    )

    out = Out()
    i = 0
    n = len(lines)
    block_extra = 0
    while i < n:
        line = lines[i]
        if re.search(r" \.\.\. ok$|^ok$", line):
            out.drop("passing test")
        elif re.search(r" \.\.\. (?:skipped|expected failure)", line):
            out.drop("skipped test")
        elif re.fullmatch(r"[.EFsxu]+", line):
            out.drop("progress line")
        elif re.fullmatch(r"[=\-]{20,}", line):
            pass
        elif line.startswith(("ERROR: ", "FAIL: ", "UNEXPECTED SUCCESS: ")):
            out.keep(line)
            block_extra = 0
        elif is_traceback_start(line):
            end = traceback_end(lines, i)
            compress_traceback(lines[i:end], out)
            i = end
            continue
        elif re.match(r"^Ran \d+ tests?", line) or re.match(r"^(OK|FAILED)\b", line):
            out.keep(line)
        elif line.strip():
            block_extra += 1
            if block_extra <= 6 or ERROR_RE.search(line):
                out.keep(line)
            else:
                out.drop("line")
        i += 1
    return out.result()


UNITTEST_PIECES = ["test_a (m.T) ... ok", "ok", " ... ", "skipped 'x'", "expected failure"]
UNITTEST_PIECES += [".", "E", "F", "s", "x", "u", "=" * 20, "-" * 25, "=", "-", "Ran ", "3"]
UNITTEST_PIECES += [" tests", " test", "OK", "FAILED", " (failures=1)", "ERROR: t", "FAIL: t"]
UNITTEST_PIECES += ["Traceback (most recent call last):", '  File "a.py", line 3, in f']
UNITTEST_PIECES += ["ValueError: x", "error", " ", "okay", "OKAY", "\n"]


def test_unittest_parser_is_the_plain_one_on_every_log() -> None:
    from aitui.core.compress.hints import Hints
    from aitui.core.compress.pytests import compress_unittest
    from aitui.core.compress.text import clean_lines

    for text in texts():
        lines = clean_lines(text)
        assert compress_unittest(lines, Hints()) == _unittest_plain(lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(UNITTEST_PIECES) | st.text(max_size=3), max_size=40))
def test_unittest_parser_is_the_plain_one_on_any_lines(parts: list[str]) -> None:
    from aitui.core.compress.hints import Hints
    from aitui.core.compress.pytests import compress_unittest

    lines = "".join(parts).split("\n")
    assert compress_unittest(lines, Hints()) == _unittest_plain(lines)


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


ESLINT_PIECES = ["  ", " ", "\t", "94:1", "12:30", "error", "warning", "errors", "max-len"]
ESLINT_PIECES += ["Expected { after 'if'", "x", "  curly", "\u3000", "\u00a0", "\n", ":", "1"]


def _eslint_plain(line: str) -> tuple[str, str, str | None] | None:
    from aitui.core.compress.typecheck import _ESLINT_RE

    m = _ESLINT_RE.match(line)
    return None if m is None else (m.group("sev"), m.group("msg"), m.group("rule"))


def test_eslint_fields_are_the_patterns_on_every_corpus_line() -> None:
    from aitui.core.compress.typecheck import eslint_fields

    matched = 0
    for line in corpus_lines():
        expected = _eslint_plain(line)
        matched += expected is not None
        assert eslint_fields(line) == expected, line
    assert matched > 100


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(ESLINT_PIECES) | st.text(max_size=2), max_size=14))
def test_eslint_fields_are_the_patterns_on_any_line(parts: list[str]) -> None:
    from aitui.core.compress.typecheck import eslint_fields

    line = "".join(parts)
    assert eslint_fields(line) == _eslint_plain(line)
    assert eslint_fields("  3:4  error  " + line) == _eslint_plain("  3:4  error  " + line)


def _tsc_plain(lines: list[str]) -> list[str]:
    """``compress_tsc`` as it was: each line matched again when a block ends on it."""
    from aitui.core.compress import typecheck as tc

    diags: list[tc.Diag] = []
    i = 0
    n = len(lines)
    while i < n:
        m = tc._TSC_RE.match(lines[i])
        if m:
            j = i + 1
            while j < n and not tc._TSC_RE.match(lines[j]):
                nxt = lines[j]
                if not (nxt.startswith((" ", "\t")) or nxt[:1].isdigit() or not nxt.strip()):
                    break
                j += 1
            diags.append(tc.Diag(i, j, m.group("sev"), m.group("code"), key=lines[i]))
            i = j
        else:
            i += 1
    tc.select(diags)
    out = tc.Out()
    tc._render(lines, diags, out, noise=tc._NPX_NOISE_RE)
    return tc._fold_error_table(out.result())


TSC_PIECES = ["a.ts(1,2): error TS2304: Cannot find name 'x'.", "b.js:3:4 - warning TS6133: y"]
TSC_PIECES += ["  detail", "\tmore", "12 x", "", "Found 2 errors.", "Errors  Files", "     2  a.ts"]
TSC_PIECES += ["plain line", "npm warn x", "c.ts(9,9): error TS2304: Cannot find name 'x'."]


def test_tsc_parser_is_the_plain_one_on_every_log() -> None:
    from aitui.core.compress.hints import Hints
    from aitui.core.compress.text import clean_lines
    from aitui.core.compress.typecheck import compress_tsc

    for text in texts():
        lines = clean_lines(text)
        assert compress_tsc(lines, Hints()) == _tsc_plain(lines)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TSC_PIECES), max_size=30))
def test_tsc_parser_is_the_plain_one_on_any_lines(lines: list[str]) -> None:
    from aitui.core.compress.hints import Hints
    from aitui.core.compress.typecheck import compress_tsc

    assert compress_tsc(lines, Hints()) == _tsc_plain(lines)


def _linter_plain(lines: list[str]) -> list[object]:
    """``parse_linter`` as it was: the line ending a block matched again."""
    from aitui.core.compress import typecheck as tc

    diags: list[object] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        h = tc._RUFF_HEADER_RE.match(line)
        if h and i + 1 < n and tc._ARROW_RE.match(lines[i + 1]):
            j = i + 2
            while j < n and lines[j].strip() and not tc._RUFF_HEADER_RE.match(lines[j]):
                j += 1
            diags.append(tc.Diag(i, j, "error", h.group("code"), key=line + lines[i + 1]))
            i = j
            continue
        m = tc._LINE_RE.match(line) if ":" in line else None
        if m and m.group("sev") != "note":
            sev = m.group("sev") or "error"
            sev = "warning" if sev in ("warning", "convention", "refactor", "info") else "error"
            j = i + 1
            while j < n:
                nm = tc._LINE_RE.match(lines[j]) if ":" in lines[j] else None
                same_note = nm is not None and nm.group("sev") == "note"
                same_note = same_note and nm is not None and nm.group("loc") == m.group("loc")
                indented = lines[j].startswith(("    ", "\t")) and not nm
                if same_note or indented:
                    j += 1
                else:
                    break
            diags.append(tc.Diag(i, j, sev, tc._code_of(m.group("msg")), key=line))
            i = j
            continue
        i += 1
    return diags


LINTER_PIECES = ["a.py:1: error: x  [attr-defined]", "a.py:1: note: see", "b.py:2: note: y"]
LINTER_PIECES += ["    snippet", "\tmore", "E501 Line too long", " --> a.py:1:2", "c.py:3:4: W1 z"]
LINTER_PIECES += ["", "Found 2 errors in 1 file", "a.py:9: warning: w", "plain", "x: y"]


def test_linter_parser_is_the_plain_one_on_every_log() -> None:
    from aitui.core.compress.text import clean_lines
    from aitui.core.compress.typecheck import parse_linter

    for text in texts():
        lines = clean_lines(text)
        assert parse_linter(lines) == _linter_plain(lines)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LINTER_PIECES), max_size=30))
def test_linter_parser_is_the_plain_one_on_any_lines(lines: list[str]) -> None:
    from aitui.core.compress.typecheck import parse_linter

    assert parse_linter(lines) == _linter_plain(lines)
