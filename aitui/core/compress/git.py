"""git: log (one line per commit), diff/show (files, hunks, changed lines), status.

``git log``: every commit as ``hash subject`` (graph art, authors, dates and bodies folded).
``git diff``: each file with its added/removed counts, hunk headers and the first changed lines
of each hunk. ``git status``: the entries, without the ``(use "git ...")`` hints.
"""

from __future__ import annotations

import re

from aitui.core.compress.hints import Hints
from aitui.core.compress.text import Out

_GRAPH_CHARS = "*|\\/ _.-"
_ONELINE_RE = re.compile(r"^([0-9a-f]{7,40}) (.*)$")
_COMMIT_RE = re.compile(r"^commit ([0-9a-f]{7,64})(.*)$")
_GRAPH_ONLY_RE = re.compile(r"^[*|\\/ _.-]+$")

MAX_COMMITS = 2000
MAX_HUNK_LINES = 6
MAX_FILE_LINES = 18
MAX_DIFF_LINES = 600
MAX_FILES = 300


def _strip_graph(line: str) -> str:
    i = 0
    while i < len(line) and line[i] in _GRAPH_CHARS:
        i += 1
    return line[i:]


def compress_log(lines: list[str], hints: Hints) -> list[str]:
    out = Out()
    graph = any(ln.startswith(("* ", "| ", "*   ")) for ln in lines[:50])
    commits = 0
    i = 0
    n = len(lines)
    while i < n:
        raw = lines[i]
        line = _strip_graph(raw) if graph else raw
        i += 1
        if not line.strip():
            continue
        if graph and _GRAPH_ONLY_RE.match(raw):
            continue
        c = _COMMIT_RE.match(line)
        if c:
            subject = ""
            j = i
            while j < n:
                nxt = _strip_graph(lines[j]) if graph else lines[j]
                if _COMMIT_RE.match(nxt) or nxt.startswith("diff --git "):
                    break
                if not subject and nxt.startswith("    ") and nxt.strip():
                    subject = nxt.strip()
                j += 1
            body = j - i
            commits += 1
            if commits <= MAX_COMMITS:
                out.keep(f"{c.group(1)[:12]}{c.group(2)} {subject}".rstrip())
                out.drop("line of commit details|lines of commit details", body - 1)
            else:
                out.drop("commit")
            i = j
            continue
        o = _ONELINE_RE.match(line)
        if o:
            commits += 1
            if commits <= MAX_COMMITS:
                out.keep(line)
            else:
                out.drop("commit")
        elif line.startswith("diff --git "):
            out.drop("diff line")
        else:
            out.keep(line)
    return out.result()


_DIFF_FILE_RE = re.compile(r"^diff --git (?:a/)?(.+?) (?:b/)?(.+)$")
_HUNK_RE = re.compile(r"^@@ .* @@")
_FILE_META_RE = re.compile(r"^(new file mode|deleted file mode|rename from|rename to|Binary files)")


def compress_diff(lines: list[str], hints: Hints) -> list[str]:
    out = Out()
    i = 0
    n = len(lines)
    total_kept = 0
    files = 0
    # git show: the commit header before the first diff
    while i < n and not lines[i].startswith("diff --git "):
        line = lines[i]
        header = line.startswith(("Author:", "Date:", "Merge:", "Commit:"))
        if _COMMIT_RE.match(line) or (line.strip() and not header):
            out.keep(line)
        i += 1
    while i < n:
        m = _DIFF_FILE_RE.match(lines[i])
        j = i + 1
        while j < n and not lines[j].startswith("diff --git "):
            j += 1
        if not m:
            out.keep(lines[i])
            i = j
            continue
        body = lines[i + 1 : j]
        adds = sum(1 for ln in body if ln.startswith("+") and not ln.startswith("+++"))
        dels = sum(1 for ln in body if ln.startswith("-") and not ln.startswith("---"))
        meta = [ln for ln in body if _FILE_META_RE.match(ln)]
        path = m.group(2) if m.group(1) == m.group(2) else f"{m.group(1)} -> {m.group(2)}"
        files += 1
        if files > MAX_FILES:
            out.drop("more changed file")
            i = j
            continue
        out.keep(f"{path} | +{adds} -{dels}" + (f" ({'; '.join(meta)})" if meta else ""))
        file_kept = 0
        hunk_kept = 0
        for line in body:
            if _HUNK_RE.match(line):
                if total_kept < MAX_DIFF_LINES:
                    out.keep(line)
                else:
                    out.tally("hunk header")
                hunk_kept = 0
            elif line.startswith(("+", "-")) and not line.startswith(("+++", "---")):
                if (
                    hunk_kept < MAX_HUNK_LINES
                    and file_kept < MAX_FILE_LINES
                    and total_kept < MAX_DIFF_LINES
                ):
                    out.keep(line)
                    hunk_kept += 1
                    file_kept += 1
                    total_kept += 1
                else:
                    out.drop("changed line")
        i = j
    return out.result()


_HINT_RE = re.compile(r'^\s*\((?:use "git |commit or discard|fix conflicts|all conflicts)')
_STAT_RE = re.compile(r"^ \S.* \| +(?:\d+|Bin)")
MAX_STATUS_ENTRIES = 100


def compress_status(lines: list[str], hints: Hints) -> list[str]:
    out = Out()
    entries = 0
    stats = 0
    for line in lines:
        if not line.strip():
            entries = 0
            continue
        if _HINT_RE.match(line):
            out.tally("hint line")
        elif _STAT_RE.match(line):
            stats += 1
            if stats <= 30:
                out.keep(line)
            else:
                out.drop("diffstat line")
        elif line.startswith(("\t", "  ")):
            entries += 1
            if entries <= MAX_STATUS_ENTRIES:
                out.keep(line)
            else:
                out.drop("entry|entries")
        else:
            out.keep(line)
    return out.result()
