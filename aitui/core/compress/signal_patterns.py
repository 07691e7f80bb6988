"""The signal patterns of ``signals.py`` and the fast ways to ask them.

Each tier of a line's score has a regular expression (``CRITICAL_RE``, ``SUMMARY_RE``...);
``_SCAN`` finds the candidate lines of a whole output (keywords and keyword-less patterns,
``scan.py``); per line, a tier's words are tested in one automaton pass (``Words``) and its
pattern is tried only where a match can start (``AnchoredSearch``), with the same answers as
``pattern.search``.
"""

from __future__ import annotations

import re

from aitui.core.compress.anchored import AnchoredSearch
from aitui.core.compress.ascii_twin import AsciiTwin, ascii_twin
from aitui.core.compress.scan import KeywordScan, Words

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
#: ``_PATHS_RE`` with the same matches in linear time: ``re`` tries it at every position, and
#: from each one inside a long word the leading run is scanned to the word's end before
#: failing (quadratic in the word's length). A match can only start where that run starts:
#: the separator ends the run, and a match ends where no character of the run can follow, so
#: the next one cannot begin mid-run either. 2.7x faster on the CI logs' candidate lines.
PATHS_LINEAR_RE = re.compile(r"(?<![\w.@~-])[\w.@~-]*+[/\\:][\w./\\:\[\]@~-]*")
#: ``PATHS_LINEAR_RE`` for ASCII lines (``ascii_twin``: ``\w`` spelled out as the ASCII
#: characters it matches there, a table lookup instead of a Unicode one; the CI logs' 2,036
#: scored lines: 5.8 -> 3.2 ms).
PATHS_ASCII_RE = ascii_twin(PATHS_LINEAR_RE)
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
        # ``_PATH_LINE_RE``; RE2 runs these (``AlternationScan``), which has no possessive
        # runs: ``re`` was 9.7 -> 7.1 ms over the 8 logs with them, RE2 needs none
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
    # the two free alternatives behind one probe: a line has a match of ``A|B`` exactly when
    # it has one of ``A`` or of ``B``, and one probe costs half of two (most lines fail it)
    [
        (
            AsciiTwin(r"\d (?:failed|error|failure|passed|test|of \d|problem|warning)"),
            re.compile(
                r"\b\d+ (?:failed|errors?|failures?|passed|tests? (?:run|failed|passed)|"
                r"of \d+ tests? failed)\b|\d+ (?:problems?|warnings?) \("
            ),
        ),
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
