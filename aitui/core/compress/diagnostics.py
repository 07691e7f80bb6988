"""Which diagnostics of a compiler, type checker or linter to show.

The policy, shared by every such tool: every error up to the first ``FIRST_ERRORS`` in full,
then one example of each further error code (or rule, or message template); of warnings the
first of each category; exact duplicates (a file compiled twice) once. Whatever is folded is
counted, per code, in a closing summary line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from aitui.core.compress.text import fmt_count

FIRST_ERRORS = 20
SUMMARY_CODES = 8


class Show(Enum):
    FULL = "full"  # the header and its most useful detail lines
    BRIEF = "brief"  # the header (and location) only
    FOLD = "fold"  # counted in a placeholder


@dataclass
class Diag:
    """One diagnostic: lines ``start`` .. ``end`` (exclusive) of the cleaned output."""

    start: int
    end: int
    severity: str  # "error", "warning" or anything else (treated as a warning)
    code: str  # error code, rule, warning flag or message template
    key: str  # identity for de-duplication (usually the header line)
    header: int = -1  # index of the header line (defaults to start)
    show: Show = Show.FOLD
    extra: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.header < 0:
            self.header = self.start

    @property
    def is_error(self) -> bool:
        return self.severity in ("error", "fatal error", "fatal")


def select(diags: list[Diag], *, uniform: bool = False, first: int = FIRST_ERRORS) -> None:
    """Set ``show`` on every diagnostic.

    ``uniform``: the tool's problems are all alike (linters): the first ``first`` of any
    severity in full, then one per rule. Otherwise errors and warnings are treated apart.
    """
    seen: set[str] = set()
    codes_shown: set[tuple[bool, str]] = set()
    shown_full = 0
    for d in diags:
        if d.key in seen:
            d.show = Show.FOLD
            continue
        seen.add(d.key)
        group = d.is_error or uniform
        if group and shown_full < first:
            d.show = Show.FULL
            shown_full += 1
            codes_shown.add((True, d.code))
        elif (group, d.code) not in codes_shown:
            d.show = Show.BRIEF
            codes_shown.add((group, d.code))
        else:
            d.show = Show.FOLD


def folded_summary(diags: list[Diag], noun: str = "diagnostic") -> str | None:
    """``[... 137 more errors not shown: import-not-found x60, misc x31 ...]`` or None."""
    counts: dict[str, int] = {}
    errors = warnings = 0
    for d in diags:
        if d.show is Show.FOLD:
            counts[d.code] = counts.get(d.code, 0) + 1
            if d.is_error:
                errors += 1
            else:
                warnings += 1
    total = errors + warnings
    if total < 2:
        return None
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:SUMMARY_CODES]
    parts = ", ".join(f"{code} x{fmt_count(n)}" for code, n in top if code)
    if len(counts) > SUMMARY_CODES:
        parts += ", ..."
    kinds = []
    if errors:
        kinds.append(f"{fmt_count(errors)} error{'s' if errors != 1 else ''}")
    if warnings:
        kinds.append(f"{fmt_count(warnings)} warning{'s' if warnings != 1 else ''}")
    what = " and ".join(kinds) if noun == "diagnostic" else f"{fmt_count(total)} {noun}s"
    return f"[... not shown: {what}" + (f" ({parts})" if parts else "") + " ...]"
