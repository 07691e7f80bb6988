"""A line's signal tier in one automaton pass: ``signals.line_score``, faster.

``line_score`` asks up to ten tiers in turn; three of them first test whether the line holds
one of their words (``Words``, one automaton pass each) and six look for the words their
pattern's alternatives start with (``AnchoredSearch``, one more pass each): up to nine passes
over the same lower-cased line, ~13 µs a candidate line of a CI log, most of which score
nothing. Here one automaton holds every word of every tier's word test and every start word;
one overlapping pass gives all their occurrences, from which each tier's test and start
positions are read. The tiers are then asked in the same order with the same patterns, so the
answer is ``line_score``'s (``tests/compress/test_score_fast.py`` compares them on every
corpus line and on generated ones).

The start positions are read in ``line.lower()``, so they must be the line's: true of ASCII,
and of any line whose ``lower()`` keeps its length and that holds neither ``ı`` nor ``ſ``
(which ``re``'s IGNORECASE matches as ``i`` and ``s`` while ``lower()`` keeps them: a
``(?i)fail`` match in ``faıl`` would be missed). Such lines are ``aligned``; the others
(``İ`` lowers to two characters) keep the plain way. Non-ASCII lines were 14% of a pnpm CI
log's distinct candidates, each searched the plain way in ~50 µs.
"""

from __future__ import annotations

from ahocorasick_rs import AhoCorasick

from aitui.core.compress.ascii_twin import AsciiTwin
from aitui.core.compress.signal_patterns import (
    _BUILD_STEP_RE,
    _CRITICAL,
    _CRITICAL_WORDS,
    _DEBUG,
    _JOB_RE,
    _LOCATION,
    _PATH_LINE_RE,
    _SECTION_RE,
    _STRONG,
    _STRONG_WORDS,
    _SUMMARY,
    _SUMMARY_WORDS,
    _WARNING,
    FAILED_TEST_RE,
)

#: The tiers ``tier`` returns, in ``line_score``'s order (0: none).
NONE, SUMMARY, FAILED_TEST, DEBUG, CRITICAL, SECTION, STRONG, LOCATION, STRUCTURE = range(9)
WARNING, PATH_LINE = 9, 10

# bits of a word's roles: holding it passes a tier's word test, or it starts an alternative
_G_SUMMARY, _G_CRITICAL, _G_STRONG = 1, 2, 4
_S_SUMMARY, _S_CRITICAL, _S_STRONG, _S_LOCATION, _S_DEBUG, _S_WARNING = 8, 16, 32, 64, 128, 256


def _roles() -> dict[str, int]:
    roles: dict[str, int] = {}
    for bit, words in (
        (_G_SUMMARY, _SUMMARY_WORDS),
        (_G_CRITICAL, _CRITICAL_WORDS),
        (_G_STRONG, _STRONG_WORDS),
        (_S_SUMMARY, _SUMMARY.starts),
        (_S_CRITICAL, _CRITICAL.starts),
        (_S_STRONG, _STRONG.starts),
        (_S_LOCATION, _LOCATION.starts),
        (_S_DEBUG, _DEBUG.starts),
        (_S_WARNING, _WARNING.starts),
        # ``CRITICAL_RE``'s signs start alternatives too; ``AnchoredSearch`` leaves them to its
        # plain search of non-ASCII lines, this pass finds them (no other tier has such)
        (_S_CRITICAL, ("●", "✕", "✗", "✖")),
    ):
        for word in words:
            roles[word] = roles.get(word, 0) | bit
    return roles


_ROLES = _roles()
_WORDS = list(_ROLES)
_BITS = [_ROLES[w] for w in _WORDS]
_AUTOMATON = AhoCorasick(_WORDS)
_COLON_DIGIT = AsciiTwin(r":\d")


def aligned(line: str, low: str) -> bool:
    """Whether the positions of ``low`` (``line.lower()``) are those of ``line`` for the
    start words, under ``re``'s case-insensitive matching too."""
    return line.isascii() or (len(low) == len(line) and "ı" not in line and "ſ" not in line)


def tier(line: str, low: str) -> int:
    """The tier of an ``aligned`` line (already cut to its probe by the caller); ``low`` is
    ``line.lower()``."""
    hits = _AUTOMATON.find_matches_as_indexes(low, overlapping=True)
    bits = _BITS
    held = 0
    for word, _, _ in hits:
        held |= bits[word]

    def starts(bit: int) -> list[int]:
        return [pos for word, pos, _ in hits if bits[word] & bit] if held & bit else []

    if held & _G_SUMMARY and _SUMMARY.at(line, starts(_S_SUMMARY)):
        return SUMMARY
    if ("fail" in low or "error" in low or "●" in line or "✕" in line) and FAILED_TEST_RE.match(
        line
    ):
        return FAILED_TEST
    if ("debug" in low or "level=" in low or "trace" in low) and _DEBUG.at(line, starts(_S_DEBUG)):
        return DEBUG
    if (held & _G_CRITICAL or line.lstrip().startswith("E ")) and _CRITICAL.at(
        line, starts(_S_CRITICAL)
    ):
        return CRITICAL
    if ("===" in line or "---" in line or "fail" in low) and _SECTION_RE.match(line):
        return SECTION
    if held & _G_STRONG and _STRONG.at(line, starts(_S_STRONG)):
        return STRONG
    # every alternative of ``LOCATION_RE`` holds ``:`` and a digit, ``File "`` or ``(index``
    if (
        "(index" in line or (":" in line and ('File "' in line or _COLON_DIGIT.search(line)))
    ) and _LOCATION.at(line, starts(_S_LOCATION)):
        return LOCATION
    # both patterns are ``^``-led: a job line starts with C, # or R, a step holds ``Step ``
    if (line.startswith(("C", "#", "R")) or "Step " in line) and (
        _JOB_RE.match(line) or _BUILD_STEP_RE.match(line)
    ):
        return STRUCTURE
    if ("warn" in low or "deprecat" in low) and _WARNING.at(line, starts(_S_WARNING)):
        return WARNING
    # a path line holds no blank between its first and last characters
    if "/" in line and " " not in line.strip() and _PATH_LINE_RE.match(line):
        return PATH_LINE
    return NONE
