"""The fallback for output of unknown commands, also used for the unknown parts of known ones.

Repeated lines and runs of lines of one template (numbers, hashes, quoted names aside) are
folded; tracebacks and JavaScript stacks are shortened; a long output keeps its head, its tail
and the lines that look like errors in between.
"""

from __future__ import annotations

import re

from aitui.core.compress.scan import KeywordScan
from aitui.core.compress.text import Out, collapse_blank_runs, templates
from aitui.core.compress.traceback import (
    JS_FRAME_RE,
    compress_js_frames,
    compress_traceback,
    is_traceback_start,
    traceback_end,
)

IMPORTANT_RE = re.compile(
    r"(?i)\b(?:error|errors|err!|failed|failure|fatal|exception|panic(?:ked)?|denied|refused|"
    r"not found|no such file|cannot|can't|could not|couldn't|unable to|undefined|"
    r"segmentation fault|core dumped|aborted|killed|timed out|timeout|traceback|"
    r"assert(?:ion)?|invalid|missing|conflict|unsatisfied|deprecated|warning|warn)\b"
    r"|\S+\.\w{1,5}:\d+|✖|✗|×"
)
ERROR_RE = re.compile(
    r"(?i)\b(?:error|failed|failure|fatal|exception|panic|denied|not found|no such file|"
    r"cannot|could not|unable to|undefined reference|segmentation fault|aborted)\b"
)
_ERROR_SCAN = KeywordScan(
    [
        "error",
        "failed",
        "failure",
        "fatal",
        "exception",
        "panic",
        "denied",
        "not found",
        "no such file",
        "cannot",
        "could not",
        "unable to",
        "undefined reference",
        "segmentation fault",
        "aborted",
    ],
    ERROR_RE,
)
_IMPORTANT_SCAN = KeywordScan(
    [
        "err",
        "fail",
        "fatal",
        "exception",
        "panic",
        "denied",
        "refused",
        "not found",
        "no such file",
        "can",
        "could",
        "unable to",
        "undefined",
        "segmentation fault",
        "core dumped",
        "abort",
        "killed",
        "time",
        "traceback",
        "assert",
        "invalid",
        "missing",
        "conflict",
        "unsatisfied",
        "deprecated",
        "warn",
        "✖",
        "✗",
        "×",
    ],
    IMPORTANT_RE,
    extra=[rb"\.\w{1,5}:\d"],
)


def error_lines(lines: list[str]) -> set[int]:
    """Indices of the lines that look like errors (``error``, ``failed``, ``E: ...``)."""
    found = _ERROR_SCAN.lines(lines)
    found.update(i for i, line in enumerate(lines) if line.startswith("E:"))
    return found


def important_lines(lines: list[str]) -> set[int]:
    """Errors plus warnings, ``file:line`` locations and other lines worth a look."""
    found = _IMPORTANT_SCAN.lines(lines)
    found.update(i for i, line in enumerate(lines) if line.startswith(("E:", "W:")))
    return found


HEAD = 12
TAIL = 20
MAX_IMPORTANT = 40
SMALL = 40  # lines: below this, only repeats are folded


def fold_repeats(lines: list[str], out: Out, *, min_run: int = 3) -> None:
    """Copy ``lines`` into ``out``, folding runs of identical or same-template lines."""
    n = len(lines)
    keys: list[str] | None = None
    i = 0
    while i < n:
        line = lines[i]
        j = i + 1
        while j < n and lines[j] == line:
            j += 1
        if j - i >= min_run:
            out.keep(line)
            out.drop("identical line", j - i - 1)
            i = j
            continue
        if line.strip() and i + 3 < n:
            if keys is None:
                keys = templates(lines)
            key = keys[i]
            k = i + 1
            while k < n and keys[k] == key and lines[k].strip():
                k += 1
            if k - i >= max(min_run, 4):
                out.keep(line)
                out.drop("similar line", k - i - 2)
                out.keep(lines[k - 1])
                i = k
                continue
        out.keep(line)
        i += 1


#: Where a line of ``_structured``'s loop may need more than copying: a traceback's header
#: (``is_traceback_start``) or an indented ``at`` frame (``JS_FRAME_RE``), on one line of the
#: joined text (no match crosses a newline). Every such line is then checked as before.
_SPECIAL_RE = re.compile(r"^[^\S\n]*Traceback \(most recent call last\):|^[^\S\n]+at \S", re.M)


def _special_lines(lines: list[str]) -> list[int]:
    text = "\n".join(lines)
    if text.count("\n") != len(lines) - 1:  # a line holding a newline: every line is looked at
        return list(range(len(lines)))
    if "Traceback (most recent call last):" not in text and "at " not in text:
        return []
    found: list[int] = []
    index = prev = 0
    for m in _SPECIAL_RE.finditer(text):
        index += text.count("\n", prev, m.start())
        prev = m.start()
        found.append(index)
    return found


def _structured(lines: list[str]) -> Out:
    """Tracebacks and JS stacks shortened, repeats folded; other lines untouched."""
    out = Out()
    plain: list[str] = []
    i = 0

    def flush_plain() -> None:
        if plain:
            fold_repeats(plain, out)
            plain.clear()

    # only the lines that may open a stack are looked at; the runs between are copied whole
    for special in _special_lines(lines):
        if special < i:
            continue
        plain.extend(lines[i:special])
        i = special
        line = lines[i]
        if is_traceback_start(line):
            flush_plain()
            end = traceback_end(lines, i)
            compress_traceback(lines[i:end], out)
            i = end
        elif JS_FRAME_RE.match(line) and i > 0:
            flush_plain()
            i = compress_js_frames(lines, i, out)
        else:
            plain.append(line)
            i += 1
    plain.extend(lines[i:])
    flush_plain()
    return out


def fold_generic(lines: list[str]) -> list[str]:
    """Repeats and same-template runs folded, stacks shortened; nothing else dropped."""
    return _structured(list(collapse_blank_runs(lines))).result()


def compress_generic(lines: list[str]) -> list[str]:
    """Compress lines of unknown output (see the module docstring)."""
    folded = fold_generic(lines)
    if len(folded) <= SMALL + HEAD + TAIL:
        return folded
    return head_tail(folded)


def head_tail(lines: list[str], head: int = HEAD, tail: int = TAIL) -> list[str]:
    """First ``head`` and last ``tail`` lines, and the error-looking lines in between."""
    n = len(lines)
    middle = lines[head : n - tail]
    third = MAX_IMPORTANT * 3 // 4
    picked = _ERROR_SCAN.pick(middle, third, MAX_IMPORTANT - third, set())
    picked.update(i for i, line in enumerate(middle) if line.startswith("E:"))
    room = MAX_IMPORTANT - len(picked)
    if room > 0:
        first = room * 3 // 4
        picked |= _IMPORTANT_SCAN.pick(middle, first, room - first, picked)
    chosen = {i + head for i in picked}
    out = Out()
    for i, line in enumerate(lines):
        if i < head or i >= n - tail or i in chosen:
            out.keep(line)
        else:
            out.drop("line")
    return out.result()
