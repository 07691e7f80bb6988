"""GitHub Actions job logs: timestamps stripped, the failing step found, its command kept.

A job log is every step's output one after the other, each line behind a timestamp
(``2026-04-23T04:09:30.1158343Z``, about 15 tokens of nothing a reader needs). Steps open with
``##[group]Run <command>``, the command's script follows up to ``##[endgroup]``, and a failed
step ends with ``##[error]Process completed with exit code N.``. The step that holds an
``##[error]`` is the one to explain: its header and command lines score as signals, and so do
the last lines it printed before failing (where most tools say why), whatever they say.
"""

from __future__ import annotations

import re

from aitui.core.compress.scan import matching_lines
from aitui.core.compress.signals import CRITICAL, STRONG

_STAMP = r"\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?"
_STAMP_RE = re.compile(rf"^{_STAMP}", re.M)
_STAMP_PROBE = re.compile(rf"^{_STAMP}")
#: Literal caret notation of escape sequences (``^[[31m``), as some tools log them.
CARET_ESCAPE_RE = re.compile(r"\^\[\[[0-?]*[ -/]*[@-~]")
_RUN_RE = re.compile(r"^##\[group\]Run ")
#: Lines of the failing step kept before its error annotation, whatever they say.
STEP_TAIL = 15
COMMAND_LINES = 6


def is_actions_log(text: str) -> bool:
    """Whether the first lines carry GitHub Actions timestamps."""
    head = text[:4000].split("\n")[:8]
    return sum(1 for line in head if _STAMP_PROBE.match(line)) >= min(2, len(head))


#: A stamp after a newline: ``_STAMP_RE``'s matches but the first, found with ``memchr`` on
#: each ``\n`` (``re`` tried the ``^``-led pattern at every character: 35.7 -> 23.2 ms over
#: the 8 CI logs).
_STAMP_AFTER_NEWLINE = re.compile("\n" + _STAMP)


def strip_timestamps(text: str) -> str:
    """``_STAMP_RE.sub("", text)``: a stamp holds no newline, so each one removed is the
    start of the text or follows a newline."""
    first = _STAMP_PROBE.match(text)
    if first is not None:
        text = text[first.end() :]
    return _STAMP_AFTER_NEWLINE.sub("\n", text)


def strip_caret_escapes(text: str) -> str:
    return CARET_ESCAPE_RE.sub("", text) if "^[[" in text else text


_RUN_LINE_RE = re.compile(r"^##\[group\]Run ", re.M)
_ERROR_LINE_RE = re.compile(r"^##\[error\]", re.M)


def step_starts(lines: list[str]) -> list[int]:
    return [i for i, _ in matching_lines(lines, _RUN_LINE_RE)]


def score_steps(lines: list[str], scores: dict[int, int]) -> None:
    """Raise the scores of the failing steps' headers, commands and last lines."""
    starts = step_starts(lines)
    errors = [i for i, _ in matching_lines(lines, _ERROR_LINE_RE)]
    for err in errors:
        start = max((s for s in starts if s < err), default=None)
        if start is not None:
            scores[start] = CRITICAL
            for k in range(start + 1, min(start + 1 + COMMAND_LINES, len(lines))):
                line = lines[k]
                if line.startswith(("shell:", "env:", "##[endgroup]")):
                    break
                scores[k] = max(scores.get(k, 0), STRONG + 5)
        seen = 0
        floor = start if start is not None else -1
        for k in range(err - 1, floor, -1):
            if seen >= STEP_TAIL:
                break
            line = lines[k]
            if not line.strip() or line.startswith("##["):
                continue
            seen += 1
            value = STRONG - 2 * seen
            if scores.get(k, 0) < value:
                scores[k] = value


#: Score cap of the lines after a job's last error annotation (post-job cleanup).
AFTER_FAILURE = 40
_BUILDKIT_ERROR_RE = re.compile(r"^#(\d+) ERROR\b", re.M)
BUILDKIT_STEP_LINES = 6


def demote_after_failure(lines: list[str], scores: dict[int, int]) -> None:
    """Cleanup steps after the job failed rarely explain the failure: their scores are capped."""
    last = next(
        (i for i in range(len(lines) - 1, -1, -1) if lines[i].startswith("##[error]")), None
    )
    if last is None:
        return
    for i in [k for k in scores if k > last]:
        if scores[i] > AFTER_FAILURE and not lines[i].startswith("##[error]"):
            scores[i] = AFTER_FAILURE


def score_buildkit(lines: list[str], scores: dict[int, int]) -> None:
    """A failed BuildKit step (``#72 ERROR: ...``): its header (``#72 [stage 1/2] RUN ...``)
    and its last lines before the error are signals, whatever they say."""
    failed: dict[str, int] = {}
    for i, m in matching_lines(lines, _BUILDKIT_ERROR_RE):
        failed.setdefault(m.group(1), i)
    for step, err in failed.items():
        prefix = f"#{step} "
        header = next((i for i, line in enumerate(lines) if line.startswith(prefix)), None)
        if header is not None:
            scores[header] = CRITICAL
        seen = 0
        for k in range(err - 1, -1, -1):
            if seen >= BUILDKIT_STEP_LINES:
                break
            if lines[k].startswith(prefix):
                seen += 1
                scores[k] = max(scores.get(k, 0), STRONG + 5)
