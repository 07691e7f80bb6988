"""cargo and rustc: build diagnostics and ``cargo test`` runs.

A diagnostic is a block from ``error[E0308]: ...`` / ``warning: ...`` to the blank line after
it. Errors (first 20, then one per code) keep their header, the ``-->`` location, the labelled
source lines and the first ``help:``; the first warning of each kind keeps header and
location. ``Compiling``/``Downloaded`` chatter, passing ``test ... ok`` lines and the
``For more information`` trailer are folded; test failures, panics and ``test result:``
lines are kept.
"""

from __future__ import annotations

import re

from aitui.core.compress.diagnostics import Diag, Show, folded_summary, select
from aitui.core.compress.generic import ERROR_RE, fold_repeats
from aitui.core.compress.hints import Hints
from aitui.core.compress.text import Out, shape

HEADER_RE = re.compile(r"^(error|warning)(\[(E\d{4}|[\w:-]+)\])?: (.*)$")
_SUMMARY_RE = re.compile(
    r"^(?:error: could not compile|error: aborting due to|warning: .* generated \d+ warnings?|"
    r"error: build failed|error: test failed|error: \d+ targets? failed|warning: build failed)"
)
_LOCATION_RE = re.compile(r"^\s*--> ")
_LABEL_RE = re.compile(r"^\s*\d*\s*\|.*[\^]")
_SOURCE_RE = re.compile(r"^\s*\d+\s*\|")
_HELP_RE = re.compile(r"^\s*(?:= )?help: |^help: ")
_CHATTER_RE = re.compile(
    r"^\s+(?:Compiling|Checking|Downloaded|Downloading|Updating|Locking|Adding|Fresh|"
    r"Blocking|Documenting|Packaging|Verifying|Installing|Installed|Replacing|Unpacking|"
    r"Building|Fetching|Removed|Updated|Archiving)\b"
)
_TEST_LINE_RE = re.compile(r"^test (.+?) \.\.\. (ok|FAILED|ignored|bench:.*)(?:, .*)?$")
_EXPLAIN_RE = re.compile(r"^(?:Some errors have detailed explanations|For more information about)")


def parse_rust(lines: list[str]) -> list[Diag]:
    diags: list[Diag] = []
    i = 0
    n = len(lines)
    while i < n:
        m = HEADER_RE.match(lines[i])
        if m and not _SUMMARY_RE.match(lines[i]):
            j = i + 1
            while j < n and lines[j].strip() and not HEADER_RE.match(lines[j]):
                j += 1
            code = m.group(3) or shape(m.group(4))[:60]
            loc = next((ln.strip() for ln in lines[i + 1 : j] if _LOCATION_RE.match(ln)), "")
            diags.append(Diag(i, j, m.group(1), code, key=lines[i] + loc))
            i = j
        else:
            i += 1
    return diags


def _render(lines: list[str], d: Diag, out: Out) -> None:
    if d.show is Show.FOLD:
        return  # counted in the closing summary
    out.keep(lines[d.start])
    body = lines[d.start + 1 : d.end]
    loc = next((ln for ln in body if _LOCATION_RE.match(ln)), None)
    if loc:
        out.keep(loc)
    if d.show is Show.BRIEF:
        return
    helped = False
    kept = 0
    first_loc_seen = False
    for k, line in enumerate(body):
        if line is loc and not first_loc_seen:
            first_loc_seen = True
            continue
        if _LABEL_RE.match(line) and kept < 4:
            if k > 0 and _SOURCE_RE.match(body[k - 1]) and not _LABEL_RE.match(body[k - 1]):
                out.keep(body[k - 1])
            out.keep(line)
            kept += 1
        elif _HELP_RE.match(line) and not helped:
            out.keep(line)
            helped = True


def compress_cargo(lines: list[str], hints: Hints) -> list[str]:
    diags = parse_rust(lines)
    select(diags)
    by_start = {d.start: d for d in diags}
    out = Out()
    i = 0
    n = len(lines)
    while i < n:
        d = by_start.get(i)
        if d is not None:
            _render(lines, d, out)
            i = d.end
            continue
        line = lines[i]
        i += 1
        t = _TEST_LINE_RE.match(line)
        if t:
            if t.group(2) == "ok":
                out.drop("passing test")
            elif t.group(2) == "ignored":
                out.drop("ignored test")
            elif t.group(2).startswith("bench"):
                out.keep(line)
            else:
                out.keep(line)
            continue
        if line.startswith("---- ") and line.endswith(" ----"):
            # a failing test's captured output, up to the next blank line pair / section
            out.keep(line)
            j = i
            while j < n and not lines[j].startswith(("---- ", "failures:", "test result:")):
                j += 1
            block = [ln for ln in lines[i:j] if ln.strip()]
            keep = [ln for ln in block if "panicked at" in ln or ERROR_RE.search(ln)]
            for ln in block[:12]:
                out.keep(ln)
            extra = [ln for ln in block[12:] if ln in keep]
            out.extend(extra[:8])
            out.drop("line of test output|lines of test output", len(block) - 12 - len(extra[:8]))
            i = j
            continue
        if _CHATTER_RE.match(line):
            out.tally("build step")
        elif _EXPLAIN_RE.match(line) or line.startswith("note: run with `RUST_BACKTRACE"):
            out.tally("hint line")
        elif line.strip():
            out.keep(line)
    summary = folded_summary(diags)
    if summary:
        out.keep(summary)
    lines_out = out.result()
    result = Out()
    fold_repeats(lines_out, result, min_run=4)
    return result.result()
