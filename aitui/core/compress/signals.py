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

import re
from bisect import bisect_left

from aitui.core.compress.anchored import AnchoredSearch
from aitui.core.compress.scan import KeywordScan, Words
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

CRITICAL_RE = re.compile(
    r"##\[error\]|\bpanicked at\b|Traceback \(most recent call last\)|^\s*E\s{2,}\S|^E\s|"
    r"^\s*(?:error|ERROR|Error|FATAL|fatal|Fatal)(?:\[[A-Z]*\d+\])?\b\s*[:!\s]|"
    r"\b(?:fatal|FATAL)\b:|^\s*(?:FAIL|FAILED|FAILURE|ERROR)\b|\bFAILED\b|\bFailed\b\S*$|"
    r"\b[A-Z]\w*(?:Error|Exception|Failure)\b:?|\bassert(?:ion)?\b|●|✕|✗|✖|"
    r"\bexit(?:ed)?(?: with)?(?: exit)? (?:code|status)\b|\bexit code:? \d|"
    r"\breturned (?:non-zero|code|exit)|\btimed out\b|Segmentation fault|core dumped|"
    r"\bSIG(?:SEGV|ABRT|KILL|TERM|BUS|ILL|FPE|INT)\b|\bKilled\b|[Oo]ut of memory|"
    r"\bOOM\b|\bAborted\b|stack overflow|No tests found|did not complete successfully|"
    r"failed to solve|Command failed|ELIFECYCLE|npm ERR!|^npm error|^E: |error TS\d+|"
    r"\berror\[|: error:|: fatal error:|\bundefined reference\b"
)
SUMMARY_RE = re.compile(
    r"\b\d+ (?:failed|errors?|failures?|passed|tests? (?:run|failed|passed)|"
    r"of \d+ tests? failed)\b|\bFound \d+ errors?\b|^\s*Tests?:\s+\d|^\s*Test Suites:|"
    r"\btest result:|\bRan \d+ tests?\b|^\s*Summary\b|\d+ (?:problems?|warnings?) \(|"
    r"^=+ .*\b(?:passed|failed|errors?)\b.* in [\d.]+s"
)
_STRONG_RE = re.compile(
    r"(?i)\bfail(?:ed|ure|s)?\b|\berrors?\b|\bcould not\b|\bcannot\b|\bcan't\b|\bunable to\b|"
    r"\bnot found\b|\bno such file\b|\bpermission denied\b|\bdenied\b|\brefused\b|"
    r"\btimeout\b|\bexception\b|\bpanic\b|\bunexpected\b|\bexpected\b|\breceived\b|"
    r"\bdubious\b|\bcrash(?:ed)?\b|\bmismatch(?:ed)?\b|\bconflict\b|(?<![./])\binvalid\b"
)
LOCATION_RE = re.compile(
    r"(?<![\w./\\-])[\w./\\-]+\.[A-Za-z]{1,6}:\d+|^\s+at \S.*:\d+(?::\d+)?\)?$|"
    r"-->\s*\S+:\d+|File \".*\", line \d+|\bDockerfile(?:\.\S+)?:\d+|\(index \d+\)"
)
_SECTION_RE = re.compile(
    r"^=+ (?:ERRORS|FAILURES|short test summary info|warnings summary) =+$|"
    r"^-{3,} (?:Captured|stdout|stderr)|^Summary of all failing tests|^Failures:$|^failures:$"
)
#: A failed test's name: ``FAILED a.py::test_b``, jest's ``●``, go's ``--- FAIL:``...
FAILED_TEST_RE = re.compile(
    r"^\s*(?:FAILED|ERROR)\s+\S+::|^\s*● \S|^\s*--- FAIL: |^test \S+ \.\.\. FAILED|"
    r"^\s*FAIL\s+(?:\[[^\]]*\]\s+)?\S|^\s*✕ \S|^FAIL: test"
)
#: Debug and info lines of structured loggers: their own words ("error=...") say little.
_DEBUG_RE = re.compile(
    r"\blevel=(?:debug|info|trace)\b|^\s*(?:DEBUG|TRACE)\b|^\[?(?:debug|DEBUG)\]?[: ]"
)
_PATHS_RE = re.compile(r"[\w.@~-]*[/\\:][\w./\\:\[\]@~-]*")
WARNING_RE = re.compile(r"(?i)\bwarn(?:ing)?s?\b|\bdeprecat")
_PATH_LINE_RE = re.compile(r"^\s*(?:[\w@.-]+/)+[\w.@-]+\.\w{1,6}\s*$")
_BUILD_STEP_RE = re.compile(r"^#\d+ \[[^\]]+\] (?:RUN|COPY|ADD|FROM|WORKDIR)\b|^\s*Step \d+/\d+ :")
_JOB_RE = re.compile(r"^Complete job name:|^##\[group\]Run |^Run [\w./-]")

_SCAN = KeywordScan(
    [
        "err",
        "fatal",
        "fail",
        "panic",
        "traceback",
        "exception",
        "assert",
        "●",
        "✕",
        "✗",
        "✖",
        "exit",
        "returned",
        "timed out",
        "timeout",
        "segmentation",
        "core dumped",
        "sig",
        "killed",
        "out of memory",
        "oom",
        "abort",
        "stack overflow",
        "no tests",
        "did not",
        "lifecycle",
        "could not",
        "cannot",
        "can't",
        "unable",
        "not found",
        "no such",
        "denied",
        "refused",
        "summary",
        "passed",
        "test result",
        "test suites",
        "ran ",
        "expected",
        "received",
        "unexpected",
        "dubious",
        "crash",
        "mismatch",
        "conflict",
        "invalid",
        "undefined",
        "warn",
        "deprecat",
        "problem",
        "dockerfile",
        "job name",
        "##[group]run",
        "=====",
        "-----",
    ],
    CRITICAL_RE,
    extra=[
        rb"found \d",
        rb"step \d",
        rb"^\s*tests?:\s+\d",
        rb"\.[a-z]{1,6}:\d",
        rb"-->",
        rb"^\s*e\s",
        rb"^\s+at \S",
        rb"line \d",
        rb"\(index \d",
        rb"^#\d+ \[",
        rb"^\s*(?:[\w@.-]+/)+[\w.@-]+\.\w{1,6}\s*$",
    ],
)


#: Characters of a long line the patterns look at: its head and its tail.
PROBE_HEAD = 400
PROBE_TAIL = 200


#: Words (lower case) one of which every match of a tier's pattern holds: a line without any
#: is not matched against the (slow, many-alternative) pattern at all.
_SUMMARY_WORDS = (
    "fail",
    "error",
    "passed",
    "test",
    "found ",
    "summary",
    "problem",
    "warning",
    "ran ",
)
_CRITICAL_WORDS = (
    "error",
    "fatal",
    "fail",
    "panicked",
    "traceback",
    "exception",
    "assert",
    "●",
    "✕",
    "✗",
    "✖",
    "exit",
    "returned",
    "timed out",
    "segmentation",
    "core dumped",
    "sig",
    "killed",
    "out of memory",
    "oom",
    "abort",
    "stack overflow",
    "no tests found",
    "did not complete",
    "lifecycle",
    "e: ",
    "err!",
    "undefined reference",
)
_STRONG_WORDS = (
    "fail",
    "error",
    "could not",
    "cannot",
    "can't",
    "unable to",
    "not found",
    "no such file",
    "denied",
    "refused",
    "timeout",
    "exception",
    "panic",
    "expected",
    "received",
    "dubious",
    "crash",
    "mismatch",
    "conflict",
    "invalid",
)


#: The same answers as ``CRITICAL_RE`` / ``_STRONG_RE`` / ``SUMMARY_RE`` ``.search``, faster:
#: the words each alternative of the pattern starts with (``^`` ones start at 0), and the
#: alternatives that start anywhere, with the words they hold.
_CRITICAL = AnchoredSearch(
    CRITICAL_RE,
    [
        "##[error]",
        "panicked at",
        "traceback",
        "fatal",
        "failed",
        "assert",
        "exit",
        "returned",
        "timed out",
        "segmentation",
        "core dumped",
        "sig",
        "killed",
        "out of memory",
        "oom",
        "aborted",
        "stack overflow",
        "no tests found",
        "did not complete",
        "command failed",
        "elifecycle",
        "npm err!",
        "error",
        ": error:",
        ": fatal error:",
        "undefined reference",
    ],
    [
        (
            ("Error", "Exception", "Failure"),
            re.compile(r"\b[A-Z]\w*(?:Error|Exception|Failure)\b:?"),
        )
    ],
)
_STRONG = AnchoredSearch(
    _STRONG_RE,
    [
        "fail",
        "error",
        "could not",
        "can",
        "unable to",
        "not found",
        "no such file",
        "permission denied",
        "denied",
        "refused",
        "timeout",
        "exception",
        "panic",
        "unexpected",
        "expected",
        "received",
        "dubious",
        "crash",
        "mismatch",
        "conflict",
        "invalid",
    ],
)
_SUMMARY = AnchoredSearch(
    SUMMARY_RE,
    ["found ", "test result:", "ran "],
    [
        (
            re.compile(r"\d (?:failed|error|failure|passed|test|of \d)"),
            re.compile(
                r"\b\d+ (?:failed|errors?|failures?|passed|tests? (?:run|failed|passed)|"
                r"of \d+ tests? failed)\b"
            ),
        ),
        (re.compile(r"\d (?:problem|warning)"), re.compile(r"\d+ (?:problems?|warnings?) \(")),
    ],
)

_LOCATION = AnchoredSearch(
    LOCATION_RE,
    ["-->", 'file "', "dockerfile", "(index"],
    [
        (
            re.compile(r"\.[A-Za-z]{1,6}:\d"),
            re.compile(r"(?<![\w./\\-])[\w./\\-]+\.[A-Za-z]{1,6}:\d+"),
        )
    ],
)
_DEBUG = AnchoredSearch(_DEBUG_RE, ["level="])
_WARNING = AnchoredSearch(WARNING_RE, ["warn", "deprecat"])
#: Whether a line holds one of a tier's words: one pass of an automaton, not one ``in`` each.
_SUMMARY_ANY = Words(_SUMMARY_WORDS)
_CRITICAL_ANY = Words(_CRITICAL_WORDS)
_STRONG_ANY = Words(_STRONG_WORDS)


def line_score(line: str) -> int:
    """The signal score of one line alone (0 for an ordinary line). Of a very long line only
    the head and tail are looked at: the cost of a line stays bounded."""
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
    for i in _SCAN.candidates(lines):
        stripped = lines[i].strip()
        if stripped in own:
            if own[stripped] >= STRONG:
                scores.errors.add(i)
            continue
        score = own[stripped] = line_score(lines[i])
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
    return template(_PATHS_RE.sub("/", line))


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
