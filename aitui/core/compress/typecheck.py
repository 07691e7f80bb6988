"""Type checkers and linters: mypy, ruff, flake8, pylint, pyright, tsc, eslint.

Every problem up to the first 20 is kept verbatim (header and location), then one example per
error code or rule; the rest is counted per code in a closing line. Source snippets and fix
suggestions are folded; summary lines (``Found 165 errors in 14 files``, ``✖ 189 problems``)
are kept.
"""

from __future__ import annotations

import re

from aitui.core.compress.diagnostics import Diag, Show, folded_summary, select
from aitui.core.compress.hints import Hints
from aitui.core.compress.text import Out, shape

# path:line[:col]: [severity:] message   (mypy, flake8, ruff concise, pylint, pyright -)
_LINE_RE = re.compile(
    r"^\s*(?P<loc>[^\s:][^:]*?:\d+(?::\d+)?)(?::| -) "
    r"(?:(?P<sev>error|warning|note|info|information|fatal|convention|refactor)\s*:?\s+)?"
    r"(?P<msg>\S.*)$"
)
_MYPY_CODE_RE = re.compile(r"\s\s\[([\w-]+)\]$")
_LEADING_CODE_RE = re.compile(r"^([A-Z]{1,4}\d{2,5}|[A-Z]\d{4})\b:?")
_TRAILING_RULE_RE = re.compile(r"\(([\w-]+)\)$")
# ruff's full format: "E501 Line too long" then " --> path:line:col" and a snippet
_RUFF_HEADER_RE = re.compile(r"^(?P<code>[A-Z]{1,4}\d{2,5}) (?:\[\*\] )?(?P<msg>\S.*)$")
_ARROW_RE = re.compile(r"^\s*--> ")
_TSC_RE = re.compile(
    r"^(?P<loc>\S.*?(?:\(\d+,\d+\)|:\d+:\d+)):? (?:- )?(?P<sev>error|warning) (?P<code>TS\d+): "
)
_ESLINT_RE = re.compile(
    r"^\s+\d+:\d+\s+(?P<sev>error|warning)\s+(?P<msg>.*?)(?:\s{2,}(?P<rule>\S+))?$"
)
_NPX_NOISE_RE = re.compile(r"^npm (?:warn|WARN|notice) ")
_ESLINT_HEAD_RE = re.compile(r"^\s+\d+:\d+\s+(?P<sev>error|warning)\s+")


def eslint_fields(line: str) -> tuple[str, str, str | None] | None:
    """``(sev, msg, rule)`` of ``_ESLINT_RE.match(line)``, or ``None`` when it does not match.

    ``re`` extends the lazy message one character at a time and tries the rule group at
    each (~3 µs a 100-character line). On a line without a newline the head's greedy runs
    are the first to let the rest match (the message may then take it all), and the message
    is the shortest head of the rest after which only a run of two or more blanks and one
    of non-blanks remain: the rest up to its last blank run when that run is long enough
    (``str.rsplit`` splits at the same blanks as ``\\s``)."""
    if "\n" in line:
        m = _ESLINT_RE.match(line)
        return None if m is None else (m.group("sev"), m.group("msg"), m.group("rule"))
    head = _ESLINT_HEAD_RE.match(line)
    if head is None:
        return None
    rest = line[head.end() :]
    if rest and not rest[-1].isspace():
        parts = rest.rsplit(None, 1)
        if len(parts) == 2 and len(rest) - len(parts[0]) - len(parts[1]) >= 2:
            return head.group("sev"), parts[0], parts[1]
    return head.group("sev"), rest, None


def _code_of(msg: str) -> str:
    m = _MYPY_CODE_RE.search(msg) or _TRAILING_RULE_RE.search(msg)
    if m:
        return m.group(1)
    m = _LEADING_CODE_RE.match(msg)
    if m:
        return m.group(1)
    return shape(msg)[:60]


def parse_linter(lines: list[str]) -> list[Diag]:
    """Problems and their notes and indented lines. The line that ends a problem's block is
    the next one looked at: its match is kept rather than computed again."""
    diags: list[Diag] = []
    i = 0
    n = len(lines)
    known: tuple[int, re.Match[str] | None] = (-1, None)  # a line's ``_LINE_RE`` match
    while i < n:
        line = lines[i]
        h = _RUFF_HEADER_RE.match(line)
        if h and i + 1 < n and _ARROW_RE.match(lines[i + 1]):
            j = i + 2
            while j < n and lines[j].strip() and not _RUFF_HEADER_RE.match(lines[j]):
                j += 1
            diags.append(Diag(i, j, "error", h.group("code"), key=line + lines[i + 1]))
            i = j
            continue
        fresh = known[0] != i
        m = (_LINE_RE.match(line) if ":" in line else None) if fresh else known[1]
        if m and m.group("sev") != "note":
            sev = m.group("sev") or "error"
            sev = "warning" if sev in ("warning", "convention", "refactor", "info") else "error"
            j = i + 1
            while j < n:
                nm = _LINE_RE.match(lines[j]) if ":" in lines[j] else None
                same_note = nm is not None and nm.group("sev") == "note"
                same_note = same_note and nm is not None and nm.group("loc") == m.group("loc")
                indented = lines[j].startswith(("    ", "\t")) and not nm
                if same_note or indented:
                    j += 1
                else:
                    known = (j, nm)
                    break
            diags.append(Diag(i, j, sev, _code_of(m.group("msg")), key=line))
            i = j
            continue
        i += 1
    return diags


def _render(
    lines: list[str], diags: list[Diag], out: Out, *, noise: re.Pattern[str] | None
) -> None:
    by_start = {d.start: d for d in diags}
    i = 0
    n = len(lines)
    while i < n:
        d = by_start.get(i)
        if d is not None:
            if d.show is not Show.FOLD:  # folded ones: counted in the closing summary
                out.keep(lines[d.start])
                detail = d.end - d.start - 1
                if detail and _ARROW_RE.match(lines[d.start + 1]):
                    out.keep(lines[d.start + 1])
                    detail -= 1
                out.tally("line of source and notes|lines of source and notes", detail)
            i = d.end
            continue
        line = lines[i]
        if not line.strip():
            pass
        elif noise is not None and noise.match(line):
            out.tally("npm warning")
        else:
            out.keep(line)
        i += 1
    summary = folded_summary(diags)
    if summary:
        out.keep(summary)


def compress_linter(lines: list[str], hints: Hints) -> list[str]:
    diags = parse_linter(lines)
    select(diags)
    out = Out()
    _render(lines, diags, out, noise=_NPX_NOISE_RE)
    return out.result()


def compress_tsc(lines: list[str], hints: Hints) -> list[str]:
    """Each line is matched once: the line that ends a diagnostic's block (a match, or a
    line that does not continue it) starts the next step with its match already known (a
    line of diagnostics was matched twice, ~1 µs each)."""
    diags: list[Diag] = []
    i = 0
    n = len(lines)
    m = _TSC_RE.match(lines[0]) if lines else None
    while i < n:
        if m:
            j = i + 1
            nm = None
            while j < n:
                nm = _TSC_RE.match(lines[j])
                if nm:
                    break
                nxt = lines[j]
                if not (nxt.startswith((" ", "\t")) or nxt[:1].isdigit() or not nxt.strip()):
                    break
                j += 1
            diags.append(Diag(i, j, m.group("sev"), m.group("code"), key=lines[i]))
            i = j
            m = nm  # lines[j]'s match (None when it did not match); unused once j == n
        else:
            i += 1
            m = _TSC_RE.match(lines[i]) if i < n else None
    select(diags)
    out = Out()
    _render(lines, diags, out, noise=_NPX_NOISE_RE)
    return _fold_error_table(out.result())


def _fold_error_table(lines: list[str]) -> list[str]:
    """tsc's ``Errors  Files`` table after the summary: long ones are folded."""
    out = Out()
    in_table = False
    rows = 0
    for line in lines:
        if line.strip().startswith("Errors") and "Files" in line:
            in_table = True
            out.keep(line)
            continue
        if in_table and re.match(r"^\s+\d+\s+\S", line):
            rows += 1
            if rows <= 5:
                out.keep(line)
            else:
                out.drop("table row")
            continue
        in_table = False
        out.keep(line)
    return out.result()


def compress_eslint(lines: list[str], hints: Hints) -> list[str]:
    diags: list[Diag] = []
    file_of: dict[int, int] = {}
    current_file = -1
    for i, line in enumerate(lines):
        fields = eslint_fields(line)
        if fields is not None:
            sev, msg, rule = fields
            code = rule or shape(msg)[:60]
            diags.append(Diag(i, i + 1, sev, code, key=f"{current_file}:{line}"))
            file_of[i] = current_file
        elif (
            line
            and not line[0].isspace()
            and ("/" in line or "\\" in line or "." in line)
            and not line.startswith(("✖", "npm "))
        ):
            current_file = i
    if not diags:
        return compress_linter(lines, hints)
    select(diags, uniform=True)
    shown_files = {file_of[d.start] for d in diags if d.show is not Show.FOLD}
    headers = set(file_of.values())
    out = Out()
    by_start = {d.start: d for d in diags}
    for i, line in enumerate(lines):
        d = by_start.get(i)
        if d is not None:
            if d.show is not Show.FOLD:
                out.keep(line)
        elif i in headers:
            if i in shown_files:
                out.keep(line)
        elif not line.strip():
            continue
        elif _NPX_NOISE_RE.match(line):
            out.tally("npm warning")
        else:
            out.keep(line)
    summary = folded_summary(diags)
    if summary:
        out.keep(summary)
    return out.result()
