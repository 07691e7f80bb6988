"""A pattern's twin for ASCII text: the same matches there, without Unicode lookups.

On a ``str`` pattern ``re`` reads ``\\d``, ``\\w``, ``\\s`` and ``\\b`` by Unicode rules: each
character tested costs a lookup of its Unicode category. On ASCII text they are ASCII classes,
written out here as ranges (``[0-9]``, ``[0-9A-Za-z_]``, in a class or alone: ``re`` turns a
class of ranges into a bitmap, while a category is tested apart; ``PATHS_LINEAR_RE`` over 36k
CI log lines: 88 ms by Unicode, 63 ms under ``re.ASCII`` alone, 55 ms written out), and the
pattern is compiled with ``re.ASCII`` (``\\b`` then tests a table). Unicode's ``\\s`` also
holds ``\\x1c``-``\\x1f`` (``str.isspace``) and ASCII's does not, so ``\\s`` becomes
``[\\t-\\r\\x1c- ]``: ``re.ASCII`` alone would not be exact.

Case-insensitive patterns must be ASCII (by Unicode rules the Kelvin sign matches ``k``, by
ASCII ones it does not); ``\\W``, ``\\D`` and ``\\S`` inside a class are refused.
``tests/compress/test_ascii_twin.py`` compares twins with their patterns (spans and groups) on
every ASCII corpus line and on generated ASCII text holding every control character.
"""

from __future__ import annotations

import re

#: What Unicode's ``\s`` matches among ASCII characters (``\t``..``\r``, ``\x1c``..`` ``),
#: and the ASCII ranges of ``\w`` and ``\d``: written out, in a class or alone.
_SPACES = r"\t-\r\x1c- "
_INSIDE = {"s": _SPACES, "w": "0-9A-Za-z_", "d": "0-9"}
_OUTSIDE = {e: f"[{r}]" for e, r in _INSIDE.items()}
_OUTSIDE |= {e.upper(): f"[^{r}]" for e, r in _INSIDE.items()}


def ascii_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` for ASCII text: ``twin.search(s, pos)`` is ``pattern.search(s, pos)``
    (spans and groups) for every ``s`` with ``s.isascii()``, and the same for ``match``,
    ``sub``, ``finditer``..."""
    source = pattern.pattern
    flags = pattern.flags & ~re.UNICODE
    if flags & re.IGNORECASE and not source.isascii():
        raise ValueError(f"a case-insensitive pattern must be ASCII: {source!r}")
    if "(?u" in source:
        raise ValueError(f"inline Unicode flag: {source!r}")
    return re.compile(_rewrite(source), flags | re.ASCII)


def _rewrite(source: str) -> str:
    out: list[str] = []
    in_class = False
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\" and i + 1 < n:
            e = source[i + 1]
            if in_class and e in "WDS":
                raise ValueError(f"\\{e} in a character class: {source!r}")
            table = _INSIDE if in_class else _OUTSIDE
            out.append(table.get(e, c + e))
            i += 2
            continue
        if not in_class and c == "[":
            in_class = True
            out.append(c)
            i += 1
            if i < n and source[i] == "^":
                out.append("^")
                i += 1
            if i < n and source[i] == "]":  # a leading ``]`` is a member
                out.append("]")
                i += 1
            continue
        if in_class and c == "]":
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


class AsciiTwin:
    """``pattern.search``, by its ``ascii_twin`` on an ASCII line (the same answer)."""

    def __init__(self, pattern: str | re.Pattern[str]) -> None:
        self.unicode = re.compile(pattern)
        self.ascii = ascii_twin(self.unicode)

    def search(self, line: str) -> bool:
        return (self.ascii if line.isascii() else self.unicode).search(line) is not None
