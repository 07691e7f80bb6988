"""``re`` patterns carried over to RE2 (the ``google-re2`` package), for ASCII text.

RE2 is Google's compiled matcher: linear in the text, its automaton does not try each
alternative at each position as ``re`` does (a 101-way alternation over 656 KB of CI log
lines: 1.4 s with ``re.finditer``, 3.8 ms with RE2). For the constructs kept here its
leftmost-first matches are ``re``'s: ``\\b``, ``\\d`` and ``\\w`` are the same ASCII classes
(``re``'s on ASCII text or bytes patterns), ``^``/``$`` in multi-line mode the same line
ends. The whitespace classes differ (RE2's ``\\s`` lacks ``\\x0b``; ``re``'s ``str`` one also
holds ``\\x1c``-``\\x1f``), so they are spelled out. Anything else that could differ (other
escapes, lookarounds, inline flags, atomic groups, possessive quantifiers, back references)
is refused with ``ValueError``, except that ``lines=True`` drops lookbehinds (the pattern then
matches more, which a pre-filter may do).
"""

from __future__ import annotations

import string

from aitui.core.compress.regex_walk import structure

#: ``re``'s ``\\s`` for ``str`` on ASCII (what ``str.isspace`` holds) less the newline.
STR_SPACE = r"\t\x0b\x0c\r \x1c-\x1f"
#: ``re``'s ``\\s`` for ``bytes`` patterns, the newline included.
BYTES_SPACE = r" \t\n\r\x0b\x0c"
#: Escapes kept as they are: RE2 reads them as ``re`` does on ASCII text.
_KEPT_ESCAPES = set("bdwntrfvx") | set(string.punctuation)


def twin(pattern: str, *, lines: bool) -> str:
    """``pattern`` (``re`` syntax, no inline flags) for RE2.

    ``lines=False``: the same matches on ASCII ``bytes`` (``re``'s bytes classes).
    ``lines=True``: for a text of ``str`` lines joined by newlines, in multi-line mode: it
    matches inside a line wherever ``pattern`` matches that ASCII line alone (and perhaps
    elsewhere too), and never across a newline (negated classes and ``\\S`` exclude it).
    """
    space = STR_SPACE if lines else BYTES_SPACE
    out: list[str] = []
    i = 0
    in_class = False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            e = pattern[i + 1]
            if e == "s":
                out.append(space if in_class else f"[{space}]")
            elif e == "S" and not in_class:
                out.append(f"[^\\n{space}]" if lines else f"[^{space}]")
            elif e in _KEPT_ESCAPES:
                out.append(pattern[i : i + 2])
            else:  # \W \D (and \S in a class) would match a newline; \A \Z \B \1... differ
                raise ValueError(f"unsupported escape \\{e} in {pattern!r}")
            i += 2
            continue
        if in_class:
            in_class = c != "]"
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            negated = pattern[i + 1 : i + 2] == "^"
            out.append("[^\\n" if negated and lines else "[^" if negated else "[")
            i += 2 if negated else 1
            if pattern[i : i + 1] == "]":  # a leading ] is a member
                out.append("]")
                i += 1
            continue
        if lines and pattern.startswith(("(?<!", "(?<="), i):
            i = group_end(pattern, i)  # dropped: without it the pattern matches more
            continue
        if pattern.startswith("(?", i) and not pattern.startswith("(?:", i):
            raise ValueError(f"unsupported group at {i} in {pattern!r}")
        if c in "*+?}" and pattern[i + 1 : i + 2] == "+":
            raise ValueError(f"possessive quantifier at {i} in {pattern!r}")
        out.append(c)
        i += 1
    return "".join(out)


def group_end(pattern: str, start: int) -> int:
    """The index after the group that opens at ``start``."""
    depth = 0
    for i, c in structure(pattern, start):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError(f"unbalanced group at {start} in {pattern!r}")
