"""File listings: ``ls`` (``-l``, ``-R``) and ``find``.

``ls``: every directory header, each directory's entries as a compact list of names (the
permission/owner/size/date columns folded), errors kept. ``find``: error lines, and the paths
themselves when there are few, else an even spread of them with a count per directory.
"""

from __future__ import annotations

import re

from aitui.core.compress.hints import Hints
from aitui.core.compress.text import Out, even_spread, fmt_count

_LONG_RE = re.compile(
    r"^([-dlcbpsD])[rwxsStT-]{9}[.+@]?\s+\d+\s+\S+\s+(?:\S+\s+)?[\d.,]+[KMGTPkB]?\s+"
    r"(?:\w{3}\s+\d{1,2}\s+(?:\d{4}|\d\d:\d\d)|\d{4}-\d\d-\d\d(?: [\d:.]+)?(?: [+-]\d{4})?)\s+(.*)$"
)
_ERROR_RE = re.compile(r"^\S+: (?:cannot|can't|.*(?:denied|No such file|not permitted))", re.I)
_TOTAL_RE = re.compile(r"^total \d")
MAX_NAMES = 40
FIND_SAMPLE = 25
NAMES_PER_LINE = 10


def compress_ls(lines: list[str], hints: Hints) -> list[str]:
    """Each directory's first ``MAX_NAMES`` entries as names, the rest counted.

    Entry lines are most of a listing, so they are tried first (a blank line never is one)
    and, past a directory's first ``MAX_NAMES``, only counted: a 20 MB ``ls -lR`` spent a
    third of its time on the names and checks of lines it only counts.
    """
    out = Out()
    names: list[str] = []
    more = 0  # entries past the first MAX_NAMES
    plain: list[str] = []

    def flush() -> None:
        nonlocal more
        if names:
            for k in range(0, len(names), NAMES_PER_LINE):
                out.keep("  " + "  ".join(names[k : k + NAMES_PER_LINE]))
            out.drop("entry|entries", more)
            names.clear()
            more = 0
        if plain:
            out.extend(plain[:MAX_NAMES])
            out.drop("line", len(plain) - MAX_NAMES)
            plain.clear()

    long_match = _LONG_RE.match
    for line in lines:
        m = long_match(line)
        if m:
            if len(names) < MAX_NAMES:
                # group 1 is the line's first character (the entry's type)
                names.append(m.group(2) + ("/" if line[0] == "d" else ""))
            else:
                more += 1
        elif not line.strip():
            flush()
        elif _TOTAL_RE.match(line):
            continue
        elif (line.endswith(":") and not line.startswith(" ")) or _ERROR_RE.match(line):
            flush()
            out.keep(line)
        else:
            plain.append(line)
    flush()
    return out.result()


def compress_find(lines: list[str], hints: Hints) -> list[str]:
    out = Out()
    errors = [ln for ln in lines if _ERROR_RE.match(ln) or ln.startswith("find: ")]
    error_set = set(errors)
    paths = [ln for ln in lines if ln.strip() and ln not in error_set]
    out.extend(errors)
    if len(paths) <= FIND_SAMPLE:
        out.extend(paths)
        return out.result()
    chosen = set(even_spread(len(paths), FIND_SAMPLE))
    per_dir: dict[str, int] = {}
    for k, path in enumerate(paths):
        if k in chosen:
            out.keep(path)
        else:
            parent = "/".join(path.strip().split("/")[:2]) if "/" in path else "."
            per_dir[parent] = per_dir.get(parent, 0) + 1
    omitted = len(paths) - len(chosen)
    top = sorted(per_dir.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
    where = ", ".join(f"{d} ({fmt_count(c)})" for d, c in top)
    more = ", ..." if len(per_dir) > len(top) else ""
    out.keep(
        f"[... {fmt_count(omitted)} more paths omitted (an even sample of {len(chosen)} of "
        f"{fmt_count(len(paths))} is shown); most in: {where}{more} ...]"
    )
    return out.result()
