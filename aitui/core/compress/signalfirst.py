"""Signal-first compression: for long outputs of unknown tools and for CI job logs.

The lines that carry a failure are found first (``signals.py``) wherever they are, the middle
of the log too, with the context around them; then the budget (``budget.py``) decides how many
more lines fit, and every run of dropped lines is summarised with its line numbers in the
original. Short outputs keep the generic fallback's behaviour (repeats and stacks folded,
nothing else dropped).
"""

from __future__ import annotations

from aitui.core.compress import ci
from aitui.core.compress.budget import default_budget, failure_sites, select
from aitui.core.compress.hints import Hints
from aitui.core.compress.signals import add_context, add_head, add_tail, score_lines

#: Characters per token assumed to estimate an output's size without counting it.
CHARS_PER_TOKEN = 3.2


def estimate_tokens(lines: list[str]) -> int:
    return int(sum(map(len, lines)) / CHARS_PER_TOKEN) + len(lines) // 2


def scored(lines: list[str], *, actions: bool = False) -> dict[int, int]:
    """The signal scores of ``lines`` with context, the tail and (CI logs) the failing step."""
    scores = score_lines(lines)
    ci.score_buildkit(lines, scores)
    if actions:
        ci.score_steps(lines, scores)
    add_context(lines, scores)
    add_tail(lines, scores)
    if not actions:
        add_head(lines, scores)
    if actions:
        ci.demote_after_failure(lines, scores)
    return scores


def budget_for(lines: list[str], scores: dict[int, int], hints: Hints) -> int | None:
    if hints.budget is not None:
        return hints.budget
    return default_budget(estimate_tokens(lines), failure_sites(scores))


def over_budget(folded: list[str], lines: list[str], hints: Hints) -> bool:
    """Whether ``folded`` (a compressor's output for ``lines``) may exceed its budget."""
    estimate = estimate_tokens(folded)
    if hints.budget is not None:
        return estimate * 2 > hints.budget
    budget = default_budget(estimate_tokens(lines), 0)
    return budget is not None and estimate > budget


def compress_signal_first(lines: list[str], hints: Hints, *, actions: bool = False) -> list[str]:
    """Signal lines and as much else as the budget allows; ``[...]`` summaries for the rest."""
    from aitui.core.compress.generic import compress_generic
    from aitui.core.compress.token_floor import token_floor
    from aitui.core.tokens import DEFAULT_ENCODING, count_tokens

    scores = scored(lines, actions=actions)
    budget = budget_for(lines, scores, hints)
    if budget is None:
        return compress_generic(lines)

    def floor(text: str, enough: int) -> int:
        return token_floor(text, DEFAULT_ENCODING, enough)

    return select(lines, scores, budget, count_tokens, numbered=True, floor=floor)


def compress_actions(lines: list[str], hints: Hints) -> list[str]:
    """A GitHub Actions job log (timestamps already stripped by ``compress``)."""
    return compress_signal_first(lines, hints, actions=True)
