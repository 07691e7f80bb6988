"""C and C++ builds: gcc, clang, make, cmake, ninja (and anything printing gcc-style lines).

Diagnostics ``file:line:col: error: ...`` follow the shared policy (``diagnostics``): errors in
full with their source line and a few notes, the first warning of each ``-W`` flag, the rest
counted. Progress lines, compiler command lines, cmake's configure chatter and make's
directory lines are folded; ``Built target``, ``make: ***`` failures, linker errors and
``CMake Error`` blocks are kept.
"""

from __future__ import annotations

import re

from aitui.core.compress.diagnostics import Diag, Show, folded_summary, select
from aitui.core.compress.generic import ERROR_RE
from aitui.core.compress.hints import Hints
from aitui.core.compress.text import Out, shape

DIAG_RE = re.compile(
    r"^(?P<loc>(?:[A-Za-z]:)?[^\s:][^:]*:\d+(?::\d+)?):\s*"
    r"(?P<sev>fatal error|error|warning|note|remark|internal compiler error):\s*(?P<msg>.*)$"
)
_FLAG_RE = re.compile(r"\[(-W[^\]\s]+|-f[^\]\s]+|-pedantic[^\]\s]*)\]\s*$")
_SNIPPET_RE = re.compile(r"^\s*\d*\s*\|")
_CONTEXT_RE = re.compile(
    r"^In file included from |^\s+from \S|: In (?:function|member function|constructor|"
    r"destructor|static member function|instantiation of|substitution of|lambda function)|"
    r": At (?:top level|global scope):|: required from |^\s*required from |"
    r"In (?:instantiation|substitution) of|: In lambda"
)
_PROGRESS_RE = re.compile(r"^\[\s*\d+%\]|^\[\d+/\d+\]\s")
_BUILT_RE = re.compile(r"Built target |^\[\d+/\d+\] Linking |^\s*Linking .* (?:executable|library)")
_MAKE_FAIL_RE = re.compile(r"^g?make(?:\[\d+\])?: \*\*\*|^ninja: build stopped|^FAILED: ")
_MAKE_DIR_RE = re.compile(r"^g?make(?:\[\d+\])?: (?:Entering|Leaving) directory|Nothing to be done")
_CMAKE_MSG_RE = re.compile(r"^CMake (?:Error|Warning|Deprecation Warning)")
_COMMAND_RE = re.compile(
    r"^\s*(?:\S*/)?(?:cc|gcc|g\+\+|c\+\+|clang|clang\+\+|cpp|ld|ar|ranlib|as|nasm|libtool|"
    r"install|mkdir|rm|cp|mv|ln|sed|echo|touch|strip|objcopy|/usr/bin/\S+|\S*-gcc|\S*-g\+\+|"
    r"rustc|javac|go|python\d?|perl|sh|bash|cmake|make|ninja)(?:\s|$)"
)
_LINKER_RE = re.compile(r"undefined reference|multiple definition|\bld(?:\.\w+)?: |collect2: ")

MAX_NOTES = 2
MAX_SNIPPET = 3


def parse_gcc(lines: list[str]) -> tuple[list[Diag], list[bool]]:
    """Diagnostics (with the context lines before them and snippets/notes after them).

    Returns the diagnostics and a mask of the lines that belong to one.
    """
    diags: list[Diag] = []
    owned = [False] * len(lines)
    context_start: int | None = None
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        m = DIAG_RE.match(line) if ":" in line else None
        if m and m.group("sev") not in ("note", "remark"):
            start = context_start if context_start is not None else i
            j = i + 1
            while j < n:
                nxt = lines[j]
                nm = DIAG_RE.match(nxt) if ":" in nxt else None
                is_note = nm is not None and nm.group("sev") in ("note", "remark")
                is_detail = nm is None and bool(_SNIPPET_RE.match(nxt) or diags_cont(nxt))
                if is_note or is_detail:
                    j += 1
                elif _maybe_context(nxt) and _CONTEXT_RE.search(nxt):
                    k = j + 1
                    while k < n and _maybe_context(lines[k]) and _CONTEXT_RE.search(lines[k]):
                        k += 1
                    km = DIAG_RE.match(lines[k]) if k < n else None
                    if km and km.group("sev") in ("note", "remark"):
                        j = k
                    else:
                        break
                else:
                    break
            sev = m.group("sev")
            msg = m.group("msg")
            flag = _FLAG_RE.search(msg)
            code = flag.group(1) if flag else shape(msg)[:60]
            diags.append(Diag(start, j, sev, code, key=line, header=i))
            for k in range(start, j):
                owned[k] = True
            context_start = None
            i = j
            continue
        if _maybe_context(line) and _CONTEXT_RE.search(line):
            if context_start is None:
                context_start = i
        elif m is None:
            context_start = None
        i += 1
    return diags, owned


def _maybe_context(line: str) -> bool:
    """Cheap test before ``_CONTEXT_RE``: every context line holds one of these."""
    return "In " in line or "from " in line or "At " in line or "required" in line


def diags_cont(line: str) -> bool:
    """Indented continuation lines of a diagnostic (gcc's ``  |`` gutters, labels)."""
    if not line.startswith(" "):
        return False
    stripped = line.strip()
    return bool(stripped) and (stripped[0] in "|^~+" or stripped.startswith("= "))


def render_gcc_diag(lines: list[str], d: Diag, out: Out) -> None:
    if d.show is Show.FOLD:
        return  # counted in the closing summary
    for k in range(d.start, d.header):  # "In function ..." context
        if d.show is Show.FULL and ": In " in lines[k]:
            out.keep(lines[k])
    out.keep(lines[d.header])
    if d.show is not Show.FULL:
        return
    snippet = notes = dropped = 0
    in_note = False
    for k in range(d.header + 1, d.end):
        line = lines[k]
        nm = DIAG_RE.match(line) if ":" in line else None
        if nm:
            in_note = True
            if notes < MAX_NOTES:
                out.keep(line)
                notes += 1
                continue
        elif not in_note and snippet < MAX_SNIPPET and _SNIPPET_RE.match(line):
            out.keep(line)
            snippet += 1
            continue
        dropped += 1
    out.drop("line of notes and source|lines of notes and source", dropped)


def compress_build(lines: list[str], hints: Hints) -> list[str]:
    diags, owned = parse_gcc(lines)
    select(diags)
    by_start = {d.start: d for d in diags}
    out = Out()
    i = 0
    n = len(lines)
    while i < n:
        d = by_start.get(i)
        if d is not None:
            render_gcc_diag(lines, d, out)
            i = d.end
            continue
        line = lines[i]
        if owned[i]:
            i += 1
            continue
        if _CMAKE_MSG_RE.match(line):
            j = i + 1
            while j < n and (lines[j].startswith(" ") or not lines[j]) and j - i < 12:
                j += 1
            out.extend(ln for ln in lines[i:j] if ln)
            i = j
            continue
        _build_line(line, out)
        i += 1
    summary = folded_summary(diags)
    if summary:
        out.keep(summary)
    return out.result()


def _build_line(line: str, out: Out) -> None:
    if not line.strip():
        return
    built = _BUILT_RE.search(line) and "Linking" not in line
    if built or _MAKE_FAIL_RE.search(line) or _LINKER_RE.search(line):
        out.keep(line)
    elif _PROGRESS_RE.match(line) or "Linking" in line or line.startswith("Scanning dep"):
        out.tally("build step")
    elif line.startswith("-- "):
        if "NOTFOUND" in line or "Could NOT" in line or ERROR_RE.search(line):
            out.keep(line)
        else:
            out.tally("configure line")
    elif _MAKE_DIR_RE.search(line):
        out.tally("make directory line")
    elif _COMMAND_RE.match(line) or line.endswith("\\"):
        out.tally("command line")
    elif (
        line.startswith(("make", "gmake", "ninja"))
        or ERROR_RE.search(line)
        or "warning" in line.lower()
    ):
        out.keep(line)
    else:
        out.tally("other line")
