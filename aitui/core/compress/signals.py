"""Which lines carry a failure: the signal scores behind signal-first compression.

A person diagnosing a failed run looks for the same things whatever the tool: error and fatal
lines, assertions and their expected/received values, the failed tests' names, exit codes,
timeouts, signals and crashes, the summary counts (``Found 279 errors``, ``3 failed, 12
passed``) and the stack locations that say where. Each such line gets a score; the budget
(``budget.py``) keeps the highest-scored lines and summarises the rest. Lines near a signal
get a smaller score of their own (the context a reader needs), repeats of one template lose
theirs after the first few (a 279-error run shows its first errors, then its variety).

Scanning must be fast on huge logs: a case-insensitive substring scan of the whole text picks
candidate lines (``KeywordScan``), and only those are matched against the regular expressions.
"""

from __future__ import annotations

from bisect import bisect_left

from aitui.core.compress.prefilter import may_score
from aitui.core.compress.score_fast import aligned, tier
from aitui.core.compress.signal_patterns import (
    _BUILD_STEP_RE,
    _CRITICAL,
    _CRITICAL_ANY,
    _DEBUG,
    _JOB_RE,
    _LOCATION,
    _PATH_LINE_RE,
    _SCAN,
    _SECTION_RE,
    _STRONG,
    _STRONG_ANY,
    _SUMMARY,
    _SUMMARY_ANY,
    _WARNING,
    FAILED_TEST_RE,
    PATHS_ASCII_RE,
    PATHS_LINEAR_RE,
    PROBE_HEAD,
    PROBE_TAIL,
)
from aitui.core.compress.text import template

SUMMARY = 110
FAILED_TEST = 105
SECTION = 90
CRITICAL = 100
STRONG = 85
LOCATION = 60
STRUCTURE = 50
WARNING = 30
TAIL = 30
#: Score of a repeat (same template) once ``KEEP_REPEATS`` lines of it scored fully.
REPEAT = 20
KEEP_REPEATS = 3


#: Each tier of ``score_fast.tier`` as a score (its order is ``line_score_plain``'s).
_TIER_SCORES: tuple[int, ...] = (0, SUMMARY, FAILED_TEST, REPEAT, CRITICAL, SECTION, STRONG)
_TIER_SCORES += (LOCATION, STRUCTURE, WARNING, WARNING)


def line_score(line: str) -> int:
    """The signal score of one line alone (0 for an ordinary line). Of a very long line only
    the head and tail are looked at: the cost of a line stays bounded. A line whose lower case
    keeps its positions is scored in one automaton pass (``score_fast``), with
    ``line_score_plain``'s answer."""
    if len(line) > PROBE_HEAD + PROBE_TAIL:
        line = f"{line[:PROBE_HEAD]} {line[-PROBE_TAIL:]}"
    low = line.lower()
    if aligned(line, low):
        return _TIER_SCORES[tier(line, low)]
    return line_score_plain(line)


def line_score_plain(line: str) -> int:
    """``line_score`` the plain way: each tier's word test, then its pattern, in turn."""
    if len(line) > PROBE_HEAD + PROBE_TAIL:
        line = f"{line[:PROBE_HEAD]} {line[-PROBE_TAIL:]}"
    low = line.lower()
    if _SUMMARY_ANY(low) and _SUMMARY(line, low):
        return SUMMARY
    if ("fail" in low or "error" in low or "●" in line or "✕" in line) and FAILED_TEST_RE.match(
        line
    ):
        return FAILED_TEST
    if ("debug" in low or "level=" in low or "trace" in low) and _DEBUG(line, low):
        return REPEAT
    if (_CRITICAL_ANY(low) or line.lstrip().startswith("E ")) and _CRITICAL(line, low):
        return CRITICAL
    if ("===" in line or "---" in line or "fail" in low) and _SECTION_RE.match(line):
        return SECTION
    if _STRONG_ANY(low) and _STRONG(line, low):
        return STRONG
    if (":" in line or "(index" in line) and _LOCATION(line, low):
        return LOCATION
    if _JOB_RE.match(line) or _BUILD_STEP_RE.match(line):  # every alternative is ^-led
        return STRUCTURE
    if ("warn" in low or "deprecat" in low) and _WARNING(line, low):
        return WARNING
    if "/" in line and _PATH_LINE_RE.match(line):
        return WARNING
    return 0


class Scores(dict[int, int]):
    """Signal scores by line index (sparse: most lines have none), and ``errors``: every line
    that looks like an error, repeats included (what a summary of dropped lines counts)."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: set[int] = set()
        self._sorted: list[int] | None = None

    def errors_between(self, start: int, end: int) -> int:
        """How many error-looking lines lie in ``start..end`` (exclusive)."""
        if self._sorted is None or len(self._sorted) != len(self.errors):
            self._sorted = sorted(self.errors)
        return bisect_left(self._sorted, end) - bisect_left(self._sorted, start)


def score_lines(lines: list[str]) -> Scores:
    """Signal scores of the lines that have one, by index.

    Repeats of one template (numbers, hashes, paths and quoted names masked) keep their full
    score for the first ``KEEP_REPEATS`` occurrences only; exact duplicates of a line already
    scored get nothing: the first one says it.
    """
    scores = Scores()
    own: dict[str, int] = {}
    seen_template: dict[str, int] = {}
    candidates = _SCAN.candidates(lines)
    # the lines that cannot score, found in one compiled pass, are not scored one by one
    maybe = may_score(map(lines.__getitem__, candidates))
    for i in candidates:
        line = lines[i]
        stripped = line.strip()
        if stripped in own:
            if own[stripped] >= STRONG:
                scores.errors.add(i)
            continue
        score = own[stripped] = line_score(line) if line in maybe else 0
        if not score:
            continue
        if score >= STRONG:
            scores.errors.add(i)
        key = shape_key(stripped)
        count = seen_template.get(key, 0)
        seen_template[key] = count + 1
        if count >= KEEP_REPEATS:
            score = min(score, REPEAT)
        scores[i] = score
    return scores


def shape_key(line: str) -> str:
    """What repeats of one message share: paths, ids, numbers and quoted names masked."""
    if line.isascii():
        return template(PATHS_ASCII_RE.sub("/", line))
    return template(PATHS_LINEAR_RE.sub("/", line))


def add_context(lines: list[str], scores: dict[int, int], before: int = 2, after: int = 3) -> None:
    """Give the non-blank lines around each strong signal a decaying score of their own."""
    strong = [(i, s) for i, s in scores.items() if s >= STRONG]
    n = len(lines)
    for i, s in strong:
        for d in range(1, before + 1):
            j = i - d
            if j < 0:
                break
            if lines[j].strip():
                value = s - 25 - 10 * d
                if scores.get(j, 0) < value:
                    scores[j] = value
        for d in range(1, after + 1):
            j = i + d
            if j >= n:
                break
            if lines[j].strip():
                value = s - 20 - 10 * d
                if scores.get(j, 0) < value:
                    scores[j] = value


def add_head(lines: list[str], scores: dict[int, int], count: int = 5) -> None:
    """The first non-blank lines of an output: what ran, for an unknown tool."""
    seen = 0
    for j, line in enumerate(lines):
        if seen >= count:
            break
        if line.strip():
            seen += 1
            if scores.get(j, 0) < TAIL:
                scores[j] = TAIL


def add_tail(lines: list[str], scores: dict[int, int], count: int = 12) -> None:
    """The last non-blank lines of an output: where most tools say how it ended."""
    seen = 0
    for j in range(len(lines) - 1, -1, -1):
        if seen >= count:
            break
        if lines[j].strip():
            seen += 1
            if scores.get(j, 0) < TAIL:
                scores[j] = TAIL
