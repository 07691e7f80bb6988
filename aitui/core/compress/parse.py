"""``parse_output``: what a command's output says, as data rather than text.

``SessionConfig.parse_output`` puts one of these on every ``ExecResult``: the detected kind,
the error and warning lines, the summary lines (``3 failed, 12 passed``), the failed tests and
the ``file:line`` locations, found by the same signal rules as signal-first compression
(``signals.py``), each list capped so a flood of errors stays small.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from aitui.core.compress.ci import is_actions_log, strip_caret_escapes, strip_timestamps
from aitui.core.compress.detect import detect_kind
from aitui.core.compress.hints import Hints
from aitui.core.compress.signal_patterns import CRITICAL_RE, LOCATION_RE, SUMMARY_RE, WARNING_RE
from aitui.core.compress.signals import score_lines
from aitui.core.compress.text import clean_lines, decode

#: At most this many entries per list.
LIMIT = 50
_FAILED_TEST_RE = re.compile(
    r"^(?:FAILED|FAIL|ERROR)\s+(\S+(?:::\S+)+|\S+\.\w+(?: > .+)?)|^\s*● (.+)$|"
    r"^--- FAIL: (\S+)|^test (\S+) \.\.\. FAILED$|^\s*FAIL \[[^\]]*\] (?:\(\S+\) )?(.+)$"
)
_LOCATION_ONLY_RE = re.compile(r"(?:[\w.@~-]*/)*[\w.@~-]+\.[A-Za-z]{1,6}:\d+(?::\d+)?")


@dataclass(frozen=True)
class ParsedOutput:
    """The parsed result of one command's output (see the module docstring)."""

    kind: str
    exit_code: int | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    failed_tests: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    lines: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.failed_tests) or self.exit_code not in (None, 0)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["failed"] = self.failed
        return data


def _add(bucket: list[str], value: str) -> None:
    if len(bucket) < LIMIT and value not in bucket:
        bucket.append(value)


def parse_output(
    data: str | bytes, command: str | None = None, exit_code: int | None = None
) -> ParsedOutput:
    """Parse terminal output (raw bytes or text) into a ``ParsedOutput``."""
    text = decode(data)
    if is_actions_log(text):
        text = strip_timestamps(text)
    lines = clean_lines(strip_caret_escapes(text))
    kind = detect_kind(Hints.of(command, exit_code), lines)
    errors: list[str] = []
    warnings: list[str] = []
    summary: list[str] = []
    failed: list[str] = []
    locations: list[str] = []
    for i in sorted(score_lines(lines)):
        line = lines[i].strip()
        if SUMMARY_RE.search(line):
            _add(summary, line)
        elif CRITICAL_RE.search(line):
            _add(errors, line)
        elif WARNING_RE.search(line):
            _add(warnings, line)
        m = _FAILED_TEST_RE.match(line)
        if m:
            _add(failed, next(g for g in m.groups() if g).strip())
        if LOCATION_RE.search(line):
            loc = _LOCATION_ONLY_RE.search(line)
            if loc:
                _add(locations, loc.group(0))
    return ParsedOutput(
        kind=kind,
        exit_code=exit_code,
        errors=errors,
        warnings=warnings,
        summary=summary,
        failed_tests=failed,
        locations=locations,
        lines=len(lines),
    )
