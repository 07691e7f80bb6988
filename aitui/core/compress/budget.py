"""Fitting an output into a token budget: the highest-value lines win, the rest is summarised.

``select`` takes lines and their signal scores (``signals.py``) and keeps lines in order of
value until the budget, counted in real tokens (tiktoken), is spent. Each run of dropped lines
becomes one summary line saying how many lines went, which lines of the original they were
(when known), what they were mostly (``pip download progress``, ``passing tests``...) and how
many of them looked like errors, so a reader knows what to fetch from the raw output and
whether it is worth it: ``[... 3,412 lines (L120-3531) of pip download progress, 0 errors ...]``.

``default_budget`` is what ``compress()`` uses when no budget is given: it grows with the
input's size (a square root: a log ten times longer does not need ten times the room) and with
the failure's spread (how many separate places of the log hold a failure signal). Outputs
below ``KEEP_WHOLE_TOKENS`` have no budget at all.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import chain

from aitui.core.compress.signals import STRONG, Scores
from aitui.core.compress.text import even_spread

#: Outputs estimated below this many tokens are kept whole (after cleaning and folding).
KEEP_WHOLE_TOKENS = 2000
BUDGET_FLOOR = 1200
BUDGET_CEILING = 12000
#: Tokens the budget grows by for each separate failure site (up to ``MAX_SITES``).
SITE_TOKENS = 60
MAX_SITES = 40
#: Tokens reserved per summary line while choosing (the real cost is checked afterwards).
GAP_COST = 18
#: A single dropped line up to this long is shown rather than summarised.
SHORT_GAP = 40
#: A kept line longer than this many characters is cut in its middle.
LONG_LINE = 480

Counter_ = Callable[[str], int]
#: A floor of ``Counter_``'s count of a text, allowed to stop once it reaches ``enough``.
Floor = Callable[[str, int], int]


class _PassingTests:
    """``_PASSING_RE.search``, skipped (in C) on the lines that hold none of its words."""

    def search(self, line: str) -> bool:
        if line.isascii() and "... ok" not in line and not line.startswith("ok "):
            low = line.lower()
            if "pass" not in low:
                return False
        return _PASSING_RE.search(line) is not None


_PASSING_RE = re.compile(r"(?i)\bPASS(?:ED)?\b|\.\.\. ok$|^ok \d|✓|√")
_CI_SETUP = re.compile(r"^##\[|^\[command\]|^(?:shell|env):|^  [A-Z_]+: ")
_CATEGORIES: list[tuple[str, re.Pattern[str] | _PassingTests]] = [
    (
        "pip download progress",
        re.compile(
            r"^\s*(?:Collecting|Downloading|Using cached|Requirement already|Obtaining|"
            r"Looking in|Processing|Downloaded|Getting page|Fetched page|Found link|Skipping link|"
            r"Starting new HTTPS|https?://\S+ \"GET|Given no hashes|Created temporary|"
            r"Removed build tracker|Created build tracker|Entered build tracker|"
            r"Link requires|Added \S+ from|Found index url|[━─█]+ )"
        ),
    ),
    (
        "npm/yarn/pnpm progress",
        re.compile(
            r"^(?:npm (?:http|sill|verb|timing|info)|\[\d+/\d+\] |"
            r"Progress: resolved|yarn |pnpm |Packages: )"
        ),
    ),
    (
        "apt progress",
        re.compile(
            r"^(?:Get:|Hit:|Ign:|Unpacking|Setting up|Selecting|Preparing "
            r"to unpack|Processing triggers|\(Reading database)"
        ),
    ),
    (
        "compile steps",
        re.compile(
            r"^\s*(?:Compiling|Checking|Building|Fresh|Downloaded|"
            r"\[\s*\d+%\]|CC |CXX |LD |\[\d+/\d+\] )"
        ),
    ),
    ("build steps", re.compile(r"^#\d+ |^\s*Step \d+/\d+|^ ---> |^> Task |^\[INFO\]")),
    ("passing tests", _PassingTests()),
    ("CI setup", _CI_SETUP),
]


#: The categories before "passing tests" are all ``^``-led (``search`` is ``match``): one
#: alternation of them, each its own group, matched once answers which comes first, instead
#: of up to five searches of each sampled line. ``category_of`` gives ``_category_plain``'s.
_LEADING = re.compile(
    "|".join(
        f"(?P<c{k}>{pattern.pattern})"
        for k, (_, pattern) in enumerate(_CATEGORIES[:5])
        if isinstance(pattern, re.Pattern)
    )
)
_LEADING_NAMES = {f"c{k}": name for k, (name, _) in enumerate(_CATEGORIES[:5])}
_PASSING = _PassingTests()


def category_of(line: str) -> str | None:
    """The first category whose pattern ``line`` matches (``None``: none)."""
    m = _LEADING.match(line)
    if m is not None:
        return _LEADING_NAMES[str(m.lastgroup)]
    if _PASSING.search(line):
        return "passing tests"
    # every alternative is ``^``-led (no ``re.M``): ``match`` is ``search`` without trying
    # each position of the line, which ``re`` does for an alternation of them
    return "CI setup" if _CI_SETUP.match(line) else None


def _category_plain(line: str) -> str | None:
    for name, pattern in _CATEGORIES:
        if pattern.search(line):
            return name
    return None


def category(lines: Sequence[str], start: int, end: int) -> str:
    """What a run of lines mostly is (a sample of at most 40 lines decides)."""
    votes: Counter[str] = Counter()
    for k in even_spread(end - start, 40):
        name = category_of(lines[start + k])
        if name is not None:
            votes[name] += 1
    if votes:
        name, n = votes.most_common(1)[0]
        if n * 2 >= min(end - start, 40):
            return name
    return "output"


def default_budget(estimated_tokens: int, sites: int) -> int | None:
    """The budget of an output of about ``estimated_tokens`` with ``sites`` failure sites;
    ``None`` (no budget) for a short output."""
    if estimated_tokens <= KEEP_WHOLE_TOKENS:
        return None
    base = 800 + 8 * math.sqrt(estimated_tokens)
    grown = base + SITE_TOKENS * min(sites, MAX_SITES)
    return int(min(BUDGET_CEILING, max(BUDGET_FLOOR, grown)))


def failure_sites(scores: dict[int, int], gap: int = 30) -> int:
    """How many separate places hold a strong signal (signals closer than ``gap`` lines form
    one place)."""
    sites = 0
    last = -(10**9)
    for i in sorted(i for i, s in scores.items() if s >= STRONG):
        if i - last > gap:
            sites += 1
        last = i
    return sites


def gap_line(
    lines: Sequence[str], start: int, end: int, scores: dict[int, int], numbered: bool
) -> str:
    """The summary of dropped lines ``start..end`` (exclusive)."""
    n = end - start
    if isinstance(scores, Scores):
        errors = scores.errors_between(start, end)
    else:
        errors = sum(1 for i in range(start, end) if scores.get(i, 0) >= STRONG)
    where = f" (L{start + 1}-{end})" if numbered else ""
    what = category(lines, start, end)
    err = "0 errors" if not errors else f"{errors:,} error-like line{'s' if errors > 1 else ''}"
    label = "line" if n == 1 else "lines"
    return f"[... {n:,} {label}{where} of {what}, {err} ...]"


def cut_long(line: str, keep: int = LONG_LINE) -> str:
    """A very long line's head (two thirds) and tail with the count of characters between."""
    if len(line) <= keep:
        return line
    head = keep * 2 // 3
    tail = keep - head
    return f"{line[:head]} [... {len(line) - keep:,} chars ...] {line[-tail:]}"


def render(
    lines: Sequence[str], kept: set[int], scores: dict[int, int], numbered: bool
) -> list[str]:
    """Kept lines in order, each run of dropped non-blank lines as one summary line."""
    out: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        if i in kept:
            out.append(cut_long(lines[i]))
            i += 1
            continue
        j = i
        while j < n and j not in kept:
            j += 1
        if j - i == 1 and len(lines[i]) <= SHORT_GAP:
            out.append(lines[i])  # cheaper than its summary
        elif any(lines[k].strip() for k in range(i, min(j, i + 200))) or j - i > 200:
            out.append(gap_line(lines, i, j, scores, numbered))
        i = j
    return out


def select(
    lines: Sequence[str],
    scores: dict[int, int],
    budget: int,
    count: Counter_,
    *,
    numbered: bool = True,
    floor: Floor | None = None,
) -> list[str]:
    """The lines that fit ``budget`` tokens, best scores first, in their original order.

    Lines without a score are candidates too (after every scored line): a short output with
    room to spare keeps more than its signals. Ties go to the later line, where tools report
    how they ended.

    ``floor(text, enough)`` (at most ``count(text)``, ``token_floor``) spares the count of a
    line that cannot fit: once the budget is nearly spent most lines tried do not (the 8 CI
    logs: 1,407 of 2,183 counted lines, two thirds of the characters counted line by line),
    and a floor above the room left says so without tokenizing. It is asked only when the
    room left is under half the line's characters, where such misses are.
    """
    scored = sorted(scores, key=lambda i: (-scores[i], i))
    rest = (i for i in range(len(lines) - 1, -1, -1) if i not in scores and lines[i].strip())
    kept: set[int] = set()
    used = 0
    misses = 0
    texts: set[str] = set()
    for i in chain(scored, rest):
        if used >= budget - 4 or misses > 200:
            break
        line = lines[i]
        if i not in scores:
            if line in texts:
                continue
            texts.add(line)
        cut = cut_long(line)
        opens_gap = (i - 1 not in kept) or (i + 1 not in kept)
        extra = GAP_COST if opens_gap else 0
        room = budget - used - extra - 1
        if floor is not None and room * 2 < len(cut) and floor(cut, room + 1) > room:
            misses += 1  # count(cut) >= the floor > room: the test below would fail
            continue
        cost = count(cut) + 1
        if used + cost + extra > budget:
            misses += 1
            continue
        kept.add(i)
        used += cost + extra
    out = render(lines, kept, scores, numbered)
    # The estimate above reserves room for summary lines; check the real count and give back
    # the lowest-value lines until it fits.
    ranked = sorted(kept, key=lambda i: (scores.get(i, 0), i))
    while ranked and count("\n".join(out)) > budget:
        drop = max(1, len(ranked) // 20)
        for i in ranked[:drop]:
            kept.discard(i)
        ranked = ranked[drop:]
        out = render(lines, kept, scores, numbered)
    return out
