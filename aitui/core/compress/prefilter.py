"""Which candidate lines can score at all, found in one compiled pass over all of them.

Most of a CI log's distinct candidate lines (those holding a keyword, ``KeywordScan``) score
nothing: over the 8 logdx-dev logs 4,488 of 6,548 (``[gw1] [ 10%] PASSED tests/...::test_x``
holds ``passed`` and ``test``, often ``error`` in a test's name, and no signal), and
``line_score`` spends ~6 µs of Python on each (~27 ms of a ~234 ms round over the 8 logs).

Here every tier's pattern is rewritten (``re2_twin.twin``) into a twin for RE2 (the
``google-re2`` package: Google's compiled, linear-time matcher) that matches a line, among
lines joined by newlines, wherever ``re`` matches that ASCII line alone, and perhaps more
(lookbehinds dropped). One search of a line start, anything, then the twins' alternation,
over all the candidate lines joined, tells which lines may score (3.8 ms for the 8 logs'
6,411 such lines, 656 KB; it keeps exactly the 1,940 of them that score); only those are
scored. A line that is not ASCII, or longer than what ``line_score`` looks at whole, is always
scored. ``tests/compress/test_prefilter.py`` checks that no line that scores is left out, on
every corpus and test log line and on generated ones.

Measured and not used: the same alternation with ``re.finditer`` over the same text takes
1.4 s (its ``\\b``- and ``^``-led alternatives defeat ``re``'s first-character skip, so every
alternative is tried at every position; each alone costs 3-66 ms); Hyperscan (the ``hyperscan``
package) scans in 2.5 ms but compiles the patterns in ~180 ms in each process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import accumulate, count
from operator import add
from typing import Any

from aitui.core.compress.re2_twin import twin
from aitui.core.compress.signal_patterns import (
    _BUILD_STEP_RE,
    _DEBUG_RE,
    _JOB_RE,
    _PATH_LINE_RE,
    _SECTION_RE,
    _STRONG_RE,
    CRITICAL_RE,
    FAILED_TEST_RE,
    LOCATION_RE,
    PROBE_HEAD,
    PROBE_TAIL,
    SUMMARY_RE,
    WARNING_RE,
)

#: Every pattern a tier of ``line_score`` needs to match before it gives a score.
TIER_PATTERNS: tuple[re.Pattern[str], ...] = (
    SUMMARY_RE,
    FAILED_TEST_RE,
    _DEBUG_RE,
    CRITICAL_RE,
    _SECTION_RE,
    _STRONG_RE,
    LOCATION_RE,
    _JOB_RE,
    _BUILD_STEP_RE,
    WARNING_RE,
    _PATH_LINE_RE,
)

#: Lines longer than this are cut to a probe by ``line_score``: always scored.
LONGEST = PROBE_HEAD + PROBE_TAIL


def union_twin(patterns: Iterable[re.Pattern[str]]) -> bytes:
    """One RE2 pattern matching at the start of each line where one of ``patterns`` (their
    line twins, ``re2_twin.twin``) matches in that line: at most one match a line."""
    parts = []
    for p in patterns:
        source = p.pattern
        if p.flags & re.IGNORECASE:
            assert source.startswith("(?i)"), source  # the one way the patterns set it
            parts.append(f"(?i:{twin(source[4:], lines=True)})")
        else:
            assert not p.flags & (re.M | re.S | re.X), source
            parts.append(f"(?:{twin(source, lines=True)})")
    return ("(?m)^[^\\n]*?(?:" + "|".join(parts) + ")").encode()


@cache
def _finder() -> Any:
    """The compiled union of the tier patterns (RE2 loaded on first use: ~3 ms to import)."""
    import re2

    return re2.compile(union_twin(TIER_PATTERNS))


def may_score(texts: Iterable[str]) -> set[str]:
    """Of ``texts`` (lines), those ``signals.line_score`` may give a score: every one it
    scores, and perhaps a few it does not. A text that is not ASCII,
    is longer than ``LONGEST`` or holds a newline is always among them."""
    unique = set(texts)
    plain = [t for t in unique if t.isascii() and len(t) <= LONGEST]
    kept = unique.difference(plain)
    if not plain:
        return kept
    data = "\n".join(plain).encode()
    if data.count(b"\n") != len(plain) - 1:  # a text holds a newline: no filtering
        return unique
    # each line's offset in ``data``: the sizes before it and one newline after each
    offsets = map(add, accumulate(map(len, plain), initial=0), count())
    starts = dict(zip(offsets, plain, strict=False))  # one offset more than lines: the end
    kept.update(starts[m.start()] for m in _finder().finditer(data))
    return kept
