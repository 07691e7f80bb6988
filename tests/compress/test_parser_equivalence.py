"""The parsers' fast loops give what their plain loops gave (the plain ones as oracles).

unittest's patterns behind literal guards, eslint's fields split by blanks, tsc's and the
linters' lines matched once each: compared on every corpus and test log and on generated
lines.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.compress.test_anchored import corpus_lines
from tests.compress.test_scan import texts


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
