"""``pattern.search(line)`` answered by trying the pattern only where a match can start.

The signal patterns (``signals.py``) are long alternations; Python's ``re`` tries every
alternative at every position of a line, so one search of a 600-character line costs ~100 µs.
Every alternative of those patterns starts either at the start of the line (``^``), or with a
known word (``\\bfail``, ``##[error]``, ``: error:``), or, for a few, somewhere the pattern
says nothing about (``\\b[A-Z]\\w*Error``). So on an ASCII line (where ``line.lower()`` keeps
the positions) a match exists exactly when the whole pattern matches at position 0, at an
occurrence of one of the start words (all found in one Aho-Corasick pass), or when one of the
"free" alternatives, compiled alone and tried only when their own words (or a cheap probe)
occur, is found.
A line that is not ASCII is searched the plain way. The answer is always the same as
``pattern.search(line) is not None`` (tests/compress/test_anchored.py checks it on both corpora
and on generated lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ahocorasick_rs import AhoCorasick

from aitui.core.compress.ascii_twin import AsciiTwin

#: What an alternative that may start anywhere needs before it is searched: one of some words
#: (case as in the pattern: looked for in the line itself), or a match of a cheap probe (a
#: part that every match of the alternative holds, such as ``\\.[A-Za-z]{1,6}:\\d``).
Gate = tuple[str, ...] | re.Pattern[str] | AsciiTwin


class AnchoredSearch:
    """Whether ``pattern`` matches somewhere in a line, trying only its possible starts."""

    def __init__(
        self,
        pattern: re.Pattern[str],
        starts: Iterable[str],
        free: Iterable[tuple[Gate, re.Pattern[str]]] = (),
    ) -> None:
        self.pattern = pattern
        self.starts = tuple(w.lower() for w in starts)
        assert all(w.isascii() and w for w in self.starts)
        self.free = tuple(free)
        # every occurrence of every start word in one pass (overlapping ones too)
        self._starts = AhoCorasick(list(self.starts))

    def __call__(self, line: str, low: str) -> bool:
        """``self.pattern.search(line) is not None``; ``low`` is ``line.lower()``."""
        if not line.isascii():
            return self.pattern.search(line) is not None
        found = self._starts.find_matches_as_indexes(low, overlapping=True)
        return self.at(line, [pos for _, pos, _ in found])

    def at(self, line: str, positions: Iterable[int]) -> bool:
        """The answer for an ASCII ``line`` given ``positions``: every occurrence of the start
        words in ``line.lower()`` (more positions are harmless, any order)."""
        match = self.pattern.match
        if match(line):
            return True
        for pos in positions:
            if pos and match(line, pos):
                return True
        for gate, alone in self.free:
            if isinstance(gate, tuple):
                for word in gate:  # a loop, not ``any()`` of a generator: 0.6 -> 0.1 µs
                    if word in line:
                        break
                else:
                    continue
            elif not gate.search(line):
                continue
            if alone.search(line):
                return True
        return False
