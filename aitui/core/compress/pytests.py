"""Test runners: pytest, unittest and ``go test``.

Kept: failing test ids, their assertion/exception lines (``E ...``) and locations, collection
errors, the short summary and the final counts. Folded: progress dots, passing (and skipped)
test lines, the source listings of failures, captured output beyond a few lines, repeated
warnings.
"""

from __future__ import annotations

import re

from aitui.core.compress.generic import ERROR_RE, compress_generic
from aitui.core.compress.hints import Hints
from aitui.core.compress.scan import top_level_alternatives
from aitui.core.compress.text import SHORT_LINE, Out, plural, shorten_separators
from aitui.core.compress.traceback import compress_traceback, is_traceback_start, traceback_end

_SECTION_RE = re.compile(r"^={3,} ?(.*?) ?={3,}$")
_BLOCK_RE = re.compile(r"^_{3,} (.+?) _{3,}$")
_SUBSECTION_RE = re.compile(r"^-{3,} (.+?) -{3,}$")
_PROGRESS_RE = re.compile(
    r"^(?:\S+\.py )?[.FEsxXp]+\s*(?:\[\s*\d+%\])?$"
    r"|^\S+::\S.* (?:PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)(?: \(.*\))?\s*(?:\[\s*\d+%\])?$"
)
_FILE_PREFIX = r"^(?:\S+\.py )?"
_DOTS, _NAMED = top_level_alternatives(_PROGRESS_RE.pattern)
assert _DOTS.startswith(_FILE_PREFIX)
_DOTS_RE = re.compile("^" + _DOTS.removeprefix(_FILE_PREFIX))
_NAMED_RE = re.compile(_NAMED)


def is_progress(line: str) -> bool:
    """``_PROGRESS_RE.match(line)``: without ``.py `` in the line its first alternative's
    optional file name matches nothing, and without ``::`` its second cannot match. The file
    name's ``\\S+`` backtracked over a whole line of dots (~4 µs a progress line)."""
    if ".py " in line:
        return _PROGRESS_RE.match(line) is not None
    return _DOTS_RE.match(line) is not None or ("::" in line and _NAMED_RE.match(line) is not None)


_COUNTS_RE = re.compile(
    r"\b\d+ (?:passed|failed|errors?|skipped|deselected|xfailed|xpassed|warnings?)\b|no tests ran"
)
_FINAL_RE = re.compile(
    r"^(?:\d+ (?:passed|failed|errors?|skipped|deselected|xfailed|xpassed|warnings?)(?:, )?)+"
    r"(?: in [\d.]+s.*)?$|^no tests ran\b"
)
_LOCATION_RE = re.compile(r"^\S+:\d+: \w+$|^\S+:\d+:$")
_WARNING_RE = re.compile(r"^\s*\S+:\d+: (\w*Warning)\b")

MAX_E_LINES = 6
MAX_FAILURES = 30  # failure blocks shown; later ones are listed in the short summary anyway
MAX_SUMMARY_LINES = 100
MAX_CAPTURED = 3


def compress_pytest(lines: list[str], hints: Hints) -> list[str]:
    out = Out()
    has_summary = any("short test summary info" in ln for ln in lines)
    section = "header"
    seen_errors: set[str] = set()
    failures = summary_lines = 0
    warn_categories: set[str] = set()
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        # (the section and final-count patterns asked only of lines they can match: ``===``
        # first, a decimal digit or "no tests ran" first; two of ~3 matches a line)
        sec = _SECTION_RE.match(line) if line.startswith("===") else None
        if sec:
            title = sec.group(1)
            if "test session starts" in title:
                section = "header"
                out.tally("session header line")
            elif _COUNTS_RE.search(title) or "Interrupted" in title or "stopping" in title:
                out.keep(shorten_separators(line))
                section = "other"
            else:
                section = title.lower()
                out.keep(shorten_separators(line))
            i += 1
            continue
        if (line.startswith("!!!") and line.endswith("!!!")) or (
            (line[:1].isdecimal() or line.startswith("no tests ran")) and _FINAL_RE.match(line)
        ):
            out.keep(shorten_separators(line))
        elif section == "header":
            if line.startswith("collect") or ERROR_RE.search(line):
                out.keep(line)
            elif is_progress(line):
                section = "progress"
                continue
            else:
                out.tally("session header line")
        elif section in ("progress", "other") and is_progress(line):
            if not has_summary and ("FAILED" in line or "ERROR" in line):
                out.keep(line)
            else:
                out.tally("test progress line")
        elif section in ("failures", "errors"):
            j = i + 1
            while j < n and not (_BLOCK_RE.match(lines[j]) or _SECTION_RE.match(lines[j])):
                j += 1
            failures += 1
            if failures <= MAX_FAILURES:
                _failure_block(lines[i:j], out, seen_errors)
            else:
                out.drop("more failure|more failures")
            i = j
            continue
        elif section == "warnings summary":
            w = _WARNING_RE.match(line)
            if w and w.group(1) not in warn_categories:
                warn_categories.add(w.group(1))
                out.keep(line.strip())
            else:
                out.drop("warning summary line")
        elif section == "short test summary info":
            if line.startswith(("FAILED", "ERROR")):
                summary_lines += 1
                if summary_lines <= MAX_SUMMARY_LINES:
                    out.keep(line)
                else:
                    out.drop("failing test|failing tests")
            else:
                out.drop("summary line")
        elif not line.strip():
            pass
        elif section == "passes":
            out.tally("line of passing test output|lines of passing test output")
        elif _COUNTS_RE.search(line) or ERROR_RE.search(line):
            out.keep(line)
        else:
            out.drop("line")
        i += 1
    return out.result()


def _failure_block(block: list[str], out: Out, seen: set[str]) -> None:
    """One ``____ test_name ____`` block of the FAILURES (or ERRORS) section."""
    header = block[0]
    m = _BLOCK_RE.match(header)
    if m:
        out.keep(f"___ {m.group(1)} ___")
        body = block[1:]
    else:
        body = block
    e_lines = [ln for ln in body if ln.startswith("E ")]
    locations = [ln for ln in body if _LOCATION_RE.match(ln)]
    signature = "\n".join(e_lines[:1] + locations[-1:])
    duplicate = signature in seen and bool(signature)
    seen.add(signature)
    source = [ln for ln in body if ln.startswith(">")]
    captured = 0
    in_captured = False
    dropped: list[str] = []
    for line in body:
        sub = _SUBSECTION_RE.match(line)
        if sub:
            in_captured = True
            captured = 0
            out.keep(f"--- {sub.group(1)} ---")
            continue
        if in_captured:
            if line.strip() and (captured < MAX_CAPTURED or ERROR_RE.search(line)) and captured < 8:
                out.keep(line)
                captured += 1
            elif line.strip():
                dropped.append(line)
            continue
        is_message = line.startswith("E ") and line in e_lines[: 1 if duplicate else MAX_E_LINES]
        is_location = bool(locations) and (line is locations[-1] or line is locations[0])
        is_source = not duplicate and bool(source) and line is source[-1]
        if is_message or is_location or is_source:
            out.keep(line)
        elif line.strip():
            dropped.append(line)
    if len(dropped) == 1 and len(dropped[0]) <= SHORT_LINE:
        out.keep(dropped[0])
    elif dropped:
        n = plural(len(dropped), "line")
        out.keep(f"[... {n} of source, traceback and output omitted ...]")


_UT_OK_RE = re.compile(r" \.\.\. ok$|^ok$")
_UT_SKIP_RE = re.compile(r" \.\.\. (?:skipped|expected failure)")
_UT_PROGRESS_RE = re.compile(r"[.EFsxu]+")
_UT_RULE_RE = re.compile(r"[=\-]{20,}")
_UT_RAN_RE = re.compile(r"^Ran \d+ tests?")
_UT_OUTCOME_RE = re.compile(r"^(OK|FAILED)\b")


def compress_unittest(lines: list[str], hints: Hints) -> list[str]:
    """Each line's patterns compiled once and asked only when the line holds what every
    match starts with or contains (``re.search`` with a string looked its pattern up in
    ``re``'s cache, ~0.5 µs a call, six a line): the same branches are taken."""
    out = Out()
    i = 0
    n = len(lines)
    block_extra = 0
    while i < n:
        line = lines[i]
        if "ok" in line and _UT_OK_RE.search(line):
            out.drop("passing test")
        elif " ... " in line and _UT_SKIP_RE.search(line):
            out.drop("skipped test")
        elif _UT_PROGRESS_RE.fullmatch(line):
            out.drop("progress line")
        elif line.startswith(("=", "-")) and _UT_RULE_RE.fullmatch(line):
            pass
        elif line.startswith(("ERROR: ", "FAIL: ", "UNEXPECTED SUCCESS: ")):
            out.keep(line)
            block_extra = 0
        elif is_traceback_start(line):
            end = traceback_end(lines, i)
            compress_traceback(lines[i:end], out)
            i = end
            continue
        elif (line.startswith("Ran ") and _UT_RAN_RE.match(line)) or (
            line.startswith(("OK", "FAILED")) and _UT_OUTCOME_RE.match(line)
        ):
            out.keep(line)
        elif line.strip():
            block_extra += 1
            if block_extra <= 6 or ERROR_RE.search(line):
                out.keep(line)
            else:
                out.drop("line")
        i += 1
    return out.result()


_GO_RUN_RE = re.compile(r"^\s*=== (?:RUN|PAUSE|CONT|NAME)\s")
_GO_RESULT_RE = re.compile(r"^\s*--- (PASS|FAIL|SKIP): ")
_GO_PKG_RE = re.compile(r"^(ok|FAIL|\?)\s+\S+\s")


def compress_gotest(lines: list[str], hints: Hints) -> list[str]:
    out = Out()
    pending: list[str] = []
    ok_packages = sum(1 for ln in lines if ln.startswith("ok "))
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        r = _GO_RESULT_RE.match(line)
        if _GO_RUN_RE.match(line):
            pending.clear()
            out.drop("test run line")
        elif r:
            if r.group(1) == "FAIL":
                out.keep(line)
                out.extend(pending[:10])
                out.drop("line of test output|lines of test output", len(pending) - 10)
                j = i + 1
                while j < n and lines[j].startswith("    ") and not _GO_RESULT_RE.match(lines[j]):
                    j += 1
                out.extend(lines[i + 1 : min(j, i + 11)])
                out.drop("line of test output|lines of test output", j - i - 11)
                i = j
                pending.clear()
                continue
            out.drop("passing test" if r.group(1) == "PASS" else "skipped test")
            out.drop("line of test output|lines of test output", len(pending))
            pending.clear()
        elif line.startswith("panic:") or line.startswith("goroutine "):
            out.extend(compress_generic(lines[i : i + 40])[:12])
            i += 40
            continue
        elif _GO_PKG_RE.match(line):
            if line.startswith("ok") and ok_packages > 10:
                out.drop("passing package")
            elif line.startswith("?"):
                out.drop("package without tests|packages without tests")
            else:
                out.keep(line)
        elif line in ("PASS", "FAIL") or line.startswith(("FAIL", "# ")):
            out.keep(line)
        elif line.startswith((" ", "\t")):
            pending.append(line)
        elif line.strip():
            out.keep(line)
        i += 1
    if pending:
        out.extend(pending[:10])
    return out.result()
