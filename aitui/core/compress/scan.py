"""Finding candidate lines in a whole output at C speed: keywords and line patterns.

``KeywordScan`` picks the lines worth matching against a slow regular expression: those that
hold one of its keywords (case-insensitive) or where one of a few keyword-less patterns
(``file.py:12``, an indented ``at ...`` frame) starts. The keywords are found in one pass of
an Aho-Corasick automaton (``ahocorasick_rs``, a compiled multi-pattern matcher) instead of
one ``bytes.find`` pass per keyword (56 passes for the signal scan: 26 ms of a 1 MB log, now
1.5 ms). The keyword-less patterns are one alternation whose matches ``finditer`` would find;
``AlternationScan`` finds the same matches without trying every alternative at every byte.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import cache, partial
from itertools import accumulate, chain, repeat
from operator import add, itemgetter, methodcaller
from typing import Any

from ahocorasick_rs import AhoCorasick, BytesAhoCorasick, MatchKind

from aitui.core.compress.re2_twin import twin
from aitui.core.compress.regex_walk import structure


class AlternationScan:
    """The start positions of ``re.compile("|".join(alternatives), re.M).finditer(data)``.

    Python's ``re`` tries each alternative at every position; here each alternative is
    searched on its own where ``re`` can skip ahead (a literal first character; a ``^``
    alternative becomes ``\\n`` followed by the rest, found with ``memchr``), the leftmost
    start of any is where the alternation's next match starts, and the alternation itself
    is matched there, so its priorities and lengths (which decide what the next match may
    overlap) are exactly ``finditer``'s.
    """

    def __init__(self, alternatives: Sequence[bytes]) -> None:
        self.alternatives = tuple(alternatives)
        self.combined = re.compile(b"|".join(alternatives), re.M)
        try:  # the same matches from RE2 when every construct carries over (``re2_twin``)
            source = self.combined.pattern.decode("latin-1")
            self._twin: bytes | None = b"(?m)" + twin(source, lines=False).encode("latin-1")
        except ValueError:
            self._twin = None
        carets = [a[1:] for a in alternatives if a.startswith(b"^")]
        others = [a for a in alternatives if not a.startswith(b"^")]
        self._parts = [re.compile(a, re.M) for a in others]
        self._lines = re.compile(b"\\n(?:" + b"|".join(carets) + b")", re.M) if carets else None
        self._first = re.compile(b"|".join(carets), re.M) if carets else None

    def starts(self, data: bytes) -> list[int]:
        """The start of each match, in order. RE2 runs the alternation in one pass of its
        automaton (the 8 CI logs' 3 MB: 10.7 ms against 32 ms for the way below); the Latin-1
        encoding reads each byte as one character, as a ``bytes`` pattern does."""
        if self._twin is not None:
            spans = [m.span() for m in _re2_of(self._twin).finditer(data)]
            # an empty match: RE2's wrapper steps past it, ``finditer`` may then match at the
            # same position (none of the scans' alternatives matches empty)
            if all(start != end for start, end in spans):
                return [start for start, _ in spans]
        return self.starts_plain(data)

    def starts_plain(self, data: bytes) -> list[int]:
        """``starts`` with ``re`` alone."""
        out: list[int] = []
        parts = self._parts
        #: next start of each part at or after ``cur`` (-1: none left); refreshed when passed
        nexts = [-2] * (len(parts) + 1)
        cur = 0
        while True:
            best = -1
            for k, part in enumerate(parts):
                pos = nexts[k]
                if pos == -2 or (pos != -1 and pos < cur):
                    m = part.search(data, cur)
                    pos = nexts[k] = m.start() if m else -1
                if pos != -1 and (best == -1 or pos < best):
                    best = pos
            if self._lines is not None:
                pos = nexts[-1]
                if pos == -2 or (pos != -1 and pos < cur):
                    if cur == 0 and self._first is not None and self._first.match(data):
                        pos = 0
                    else:
                        m = self._lines.search(data, max(0, cur - 1))
                        pos = m.start() + 1 if m else -1
                    nexts[-1] = pos
                if pos != -1 and (best == -1 or pos < best):
                    best = pos
            if best == -1:
                return out
            m = self.combined.match(data, best)
            assert m is not None  # one alternative matches there on its own
            out.append(best)
            cur = max(m.end(), best + 1)


@cache
def _re2_of(pattern: bytes) -> Any:
    """``pattern`` compiled by RE2 for ``bytes`` (Latin-1: one byte, one character)."""
    import re2

    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    return re2.compile(pattern, options)


_UTF8 = methodcaller("encode", "utf-8", "replace")


class KeywordScan:
    """Finds the lines matching ``verify`` fast: a case-insensitive substring scan of the whole
    text for ``words`` (each match of ``verify`` must contain one of them, ASCII) picks the
    candidate lines, and only those are checked with the regular expression."""

    def __init__(
        self,
        words: Iterable[str],
        verify: re.Pattern[str],
        extra: Sequence[bytes] = (),
    ) -> None:
        self.words = tuple(w.lower().encode() for w in words)
        assert all(w and b"\n" not in w for w in self.words)
        # leftmost-first, non-overlapping: fewest hits to place on lines (a pnpm CI log: 4,079
        # against 15,313 overlapping) and the fastest pass on sparse text (pip -vv 1.35 ms
        # against 2.5 overlapping and 4.6 standard)
        self._automaton = BytesAhoCorasick(list(self.words), matchkind=MatchKind.LeftmostFirst)
        self.verify = verify
        # patterns without a keyword (``file.py:12``), searched in the lower-cased bytes
        self.extra = AlternationScan(extra) if extra else None

    def candidates(self, lines: list[str]) -> list[int]:
        """Sorted indices of the lines holding one of the words (not verified)."""
        if not lines:
            return []
        data = "\n".join(lines).encode("utf-8", "replace").lower()
        # a line holding a word has at least one reported match (a match hiding an
        # occurrence overlaps it, so lies on the same line: no word holds a newline), so the
        # lines are those of one ``find`` pass per word
        found = self._automaton.find_matches_as_indexes(data)
        positions = list(map(itemgetter(1), found))
        if self.extra is not None:
            positions.extend(self.extra.starts(data))
        # each position's line is the number of newlines before it: counted between one
        # position and the next (sorted), all in C. The hits are far fewer than the lines
        # (14,077 hits, 36,797 lines over the 8 CI logs), so this beats the newlines' offsets
        # of every line and a bisection per hit (which encoded each non-ASCII line again)
        if data.count(b"\n") != len(lines) - 1:  # a line holding a newline: by their sizes
            sizes = map(len, map(_UTF8, lines))
            ends = list(map(add, accumulate(sizes), range(len(lines))))
            return sorted(set(map(partial(bisect_left, ends), positions)))
        positions.sort()
        gaps = map(data.count, repeat(b"\n"), chain((0,), positions), positions)
        return sorted(set(accumulate(gaps)))

    def lines(self, lines: list[str]) -> set[int]:
        """Indices of the lines matching ``verify``."""
        return {i for i in self.candidates(lines) if self.verify.search(lines[i])}

    def pick(self, lines: list[str], first: int, last: int, exclude: set[int]) -> set[int]:
        """The first ``first`` and last ``last`` matching lines, verifying only as needed."""
        cands = [i for i in self.candidates(lines) if i not in exclude]
        chosen: list[int] = []
        for i in cands:
            if len(chosen) >= first:
                break
            if self.verify.search(lines[i]):
                chosen.append(i)
        tail: list[int] = []
        stop = chosen[-1] if chosen else -1
        for i in reversed(cands):
            if len(tail) >= last or i <= stop:
                break
            if self.verify.search(lines[i]):
                tail.append(i)
        return set(chosen) | set(tail)


class Words:
    """Whether a text holds one of ``words``: ``any(w in text for w in words)`` in one pass."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(words)
        self._automaton = AhoCorasick(list(self.words))

    def __call__(self, text: str) -> bool:
        # a standard (non-overlapping) scan reports a match whenever any word occurs
        return bool(self._automaton.find_matches_as_indexes(text))


def matching_lines(lines: list[str], pattern: re.Pattern[str]) -> list[tuple[int, re.Match[str]]]:
    """``(i, m)`` for each line ``i`` where ``pattern`` (``re.M``, ``^``-anchored, never
    matching a newline) matches: one ``finditer`` over the joined lines instead of one
    ``match`` per line."""
    text = "\n".join(lines)
    if text.count("\n") != len(lines) - 1:  # a line holding a newline: one line at a time
        found = ((i, pattern.match(line)) for i, line in enumerate(lines))
        return [(i, m) for i, m in found if m is not None]
    out: list[tuple[int, re.Match[str]]] = []
    index = prev = 0
    for m in _finditer(pattern, text):
        index += text.count("\n", prev, m.start())
        prev = m.start()
        out.append((index, m))
    return out


@cache
def _line_start_of(pattern: re.Pattern[str]) -> LineStartSearch | None:
    alternatives = top_level_alternatives(pattern.pattern)
    if pattern.flags & re.M and all(a.startswith("^") for a in alternatives):
        return LineStartSearch(pattern)
    return None


def _finditer(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))``; for a ``^``-led pattern found through
    ``LineStartSearch`` (a CI log's ``^##[error]`` lines: ~4 ms a MB less)."""
    fast = _line_start_of(pattern)
    if fast is None:
        return list(pattern.finditer(text))
    found: list[re.Match[str]] = []
    pos = 0
    while (m := fast.search(text, pos)) is not None:
        if m.re is not pattern:  # found after a newline: the match itself starts after it
            m = pattern.match(text, m.start() + 1)
            assert m is not None
        if m.end() == m.start():  # finditer's rules for empty matches: let it apply them
            return list(pattern.finditer(text))
        found.append(m)
        pos = m.end()
    return found


def top_level_alternatives(pattern: str) -> list[str]:
    """``pattern`` split at its top-level ``|`` (not inside a group, a class or an escape)."""
    parts: list[str] = []
    depth = start = 0
    for i, c in structure(pattern):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


class LineStartSearch:
    """``pattern.search(text, pos)`` for a ``re.M`` pattern whose every top-level alternative
    starts with ``^``: ``re`` tries such a pattern at every position (~6 ns a character, 21
    content sniffers: ~40% of a small file's time); a match can only start at ``pos`` or
    after a newline, so the pattern is matched at ``pos`` and the rest is one search of
    ``\\n`` followed by the alternatives without their ``^`` (``re`` skips to each ``\\n``
    with ``memchr``). The match found after a newline includes that newline."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        assert pattern.flags & re.M
        alternatives = top_level_alternatives(pattern.pattern)
        assert all(a.startswith("^") for a in alternatives), pattern.pattern
        self.pattern = pattern
        rest = "|".join(a[1:] for a in alternatives)
        self._after_newline = re.compile(f"\n(?:{rest})", pattern.flags)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """A match starting at ``pos`` or later (the earliest), else ``None``."""
        return self.pattern.match(text, pos) or self._after_newline.search(text, pos)
