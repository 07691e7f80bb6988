"""``compress()``: terminal output in, the part an agent needs out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from operator import methodcaller
from typing import Any

from aitui.core.compress import ci
from aitui.core.compress.budget import KEEP_WHOLE_TOKENS, cut_long
from aitui.core.compress.detect import detect_kind
from aitui.core.compress.generic import compress_generic, fold_generic
from aitui.core.compress.hints import Hints
from aitui.core.compress.limits import MIN_BUDGET
from aitui.core.compress.text import clean_lines, collapse_blank_runs, decode

log = logging.getLogger(__name__)

Compressor = Callable[[list[str], Hints], list[str]]

#: A line kept longer than this (characters) keeps its head and tail only.
HUGE_LINE = 8000
#: Generic output up to this many lines keeps the fallback's folding only (no budget).
GENERIC_WHOLE_LINES = 72
#: Kinds whose compressor already fits the budget.
SIGNAL_FIRST = frozenset({"generic", "github-actions"})
#: Kinds whose output is content (a diff, a listing), not a failure: their parsers choose what
#: to show (an even spread, every changed path), so only an explicit budget cuts them.
CONTENT_KINDS = frozenset({"git-log", "git-diff", "git-status", "ls", "find", "json"})


_is_summary = methodcaller("startswith", "[... ")


@dataclass(frozen=True)
class CompressionResult:
    """Compressed output and what is known about it.

    ``raw_tokens`` / ``compressed_tokens`` are filled only when asked for (``count=True``):
    counting costs more than compressing.
    """

    text: str
    kind: str
    raw_chars: int
    compressed_chars: int
    raw_lines: int
    compressed_lines: int
    command: str | None = None
    exit_code: int | None = None
    raw_tokens: int | None = None
    compressed_tokens: int | None = None
    #: The token budget asked for (``None``: the default one).
    budget: int | None = None

    @property
    def ratio(self) -> float:
        """Compressed size over raw size, in tokens when counted, else in characters."""
        if self.raw_tokens is not None and self.compressed_tokens is not None:
            return self.compressed_tokens / self.raw_tokens if self.raw_tokens else 1.0
        return self.compressed_chars / self.raw_chars if self.raw_chars else 1.0

    @property
    def savings_percent(self) -> float:
        return (1.0 - self.ratio) * 100.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["savings_percent"] = round(self.savings_percent, 2)
        return data


def _registry() -> dict[str, Compressor]:
    from aitui.core.compress import (
        build,
        git,
        installers,
        jsonfmt,
        listing,
        packages,
        pytests,
        rust,
        shell,
        signalfirst,
        typecheck,
    )

    def generic(lines: list[str], hints: Hints) -> list[str]:
        # Folding repeats and stacks first; the signal-first selection (with line numbers)
        # only when the folded output is still long for its budget.
        folded = fold_generic(lines)
        if len(folded) <= GENERIC_WHOLE_LINES and hints.budget is None:
            return folded
        if not signalfirst.over_budget(folded, lines, hints):
            return folded
        return signalfirst.compress_signal_first(lines, hints)

    return {
        "generic": generic,
        "traceback": generic,
        "node": generic,
        "gcc": build.compress_build,
        "make": build.compress_build,
        "cmake": build.compress_build,
        "cargo": rust.compress_cargo,
        "cargo-test": rust.compress_cargo,
        "rustc": rust.compress_cargo,
        "pytest": pytests.compress_pytest,
        "unittest": pytests.compress_unittest,
        "gotest": pytests.compress_gotest,
        "mypy": typecheck.compress_linter,
        "ruff": typecheck.compress_linter,
        "tsc": typecheck.compress_tsc,
        "eslint": typecheck.compress_eslint,
        "npm": packages.compress_npm,
        "pip": packages.compress_pip,
        "apt": packages.compress_apt,
        "git-log": git.compress_log,
        "git-diff": git.compress_diff,
        "git-status": git.compress_status,
        "ls": listing.compress_ls,
        "find": listing.compress_find,
        "json": jsonfmt.compress_json,
        "shell": shell.compress_session,
        "github-actions": signalfirst.compress_actions,
        **{kind: installers.folder(kind) for kind in installers.FOLDERS},
    }


_COMPRESSORS: dict[str, Compressor] | None = None


def compressors() -> dict[str, Compressor]:
    global _COMPRESSORS
    if _COMPRESSORS is None:
        _COMPRESSORS = _registry()
    return _COMPRESSORS


def compress_lines(
    lines: list[str], hints: Hints, kind: str | None = None
) -> tuple[str, list[str]]:
    """Compress cleaned lines; returns the kind used and the output lines.

    A compressor that fails (a bug, or output it did not expect) falls back to the generic
    one: compression must never lose output because of a parser.
    """
    kind = kind or detect_kind(hints, lines)
    func = compressors().get(kind, compressors()["generic"])
    try:
        out = func(lines, hints)
    except Exception:  # pragma: no cover - defensive: a parser bug must not lose output
        log.exception("compressor %s failed; using the generic one", kind)
        kind, out = "generic", compress_generic(lines)
    return kind, out


def compress(
    data: str | bytes,
    command: str | None = None,
    exit_code: int | None = None,
    *,
    kind: str | None = None,
    count: bool = False,
    encoding: str = "o200k_base",
    budget: int | None = None,
    source: str | None = None,
) -> CompressionResult:
    """Compress terminal output (raw bytes or text, ANSI codes and all).

    ``command`` and ``exit_code`` are hints: the command line picks the parser (content decides
    when it says little) and the exit status is kept in the output when it is not 0. ``kind``
    forces a parser. ``count`` also counts tokens with ``encoding``.

    ``budget`` caps the result in real tokens of ``encoding`` (at least ``MIN_BUDGET``);
    without it the budget grows with the input and the failure's spread, and short outputs
    are kept whole. ``source`` says where the raw output can be read (an archive id and its
    route): it closes every result that left something out.
    """
    if budget is not None and budget < MIN_BUDGET:
        raise ValueError(f"budget must be at least {MIN_BUDGET} tokens, got {budget}")
    text = decode(data)
    cleaned = text
    actions = kind in (None, "github-actions") and ci.is_actions_log(text)
    if actions:
        cleaned = ci.strip_timestamps(cleaned)
        kind = "github-actions"
    cleaned = ci.strip_caret_escapes(cleaned)
    status = [f"[exit status {exit_code}]"] if exit_code not in (None, 0) else []
    footer = [f"[raw output: {source}]"] if source else []
    inner = budget
    if budget is not None:  # the budget covers the closing lines too
        from aitui.core.tokens import count_tokens

        reserved = count_tokens("\n".join(status + footer), encoding) + 2
        if reserved > budget // 2:
            footer = []
            reserved = count_tokens("\n".join(status), encoding) + 2
        inner = max(MIN_BUDGET // 2, budget - reserved)
    hints = Hints.of(command, exit_code, inner)
    lines = clean_lines(cleaned)
    used, out_lines = compress_lines(lines, hints, kind)
    out_lines = collapse_blank_runs(out_lines)
    if out_lines and max(map(len, out_lines)) > HUGE_LINE:
        out_lines = [cut_long(ln, HUGE_LINE) for ln in out_lines]
    while out_lines and not out_lines[-1]:
        out_lines.pop()
    if used not in SIGNAL_FIRST:
        out_lines = _fit(out_lines, lines, hints, used, encoding)
    cleaned_len = sum(map(len, lines)) + len(lines)
    if sum(map(len, out_lines)) + len(out_lines) > cleaned_len:  # never more than the cleaned
        out_lines = lines
    # the raw output is named when lines were left out (not for blank lines folded); the
    # cleaned lines are right-stripped, so their blank ones are the empty ones
    # (counted in C: a 20 MB ls -lR keeps 65k lines; a blank line never opens a summary)
    blank = out_lines.count("") + sum(map(str.isspace, out_lines))
    kept = len(out_lines) - blank - sum(map(_is_summary, out_lines))
    left_out = kept < len(lines) - lines.count("")
    closing = status + (footer if left_out else [])
    compressed = "\n".join(out_lines + closing)
    if budget is not None:
        compressed = _hard_cap(compressed, budget, encoding)
    compressed = _never_more(text, compressed, encoding, budget)
    raw_tokens = compressed_tokens = None
    if count:
        from aitui.core.tokens import count_tokens

        raw_tokens = count_tokens(text, encoding)
        compressed_tokens = count_tokens(compressed, encoding)
    return CompressionResult(
        text=compressed,
        kind=used,
        raw_chars=len(text),
        compressed_chars=len(compressed),
        raw_lines=len(lines),
        compressed_lines=len(out_lines),
        command=command,
        exit_code=exit_code,
        raw_tokens=raw_tokens,
        compressed_tokens=compressed_tokens,
        budget=budget,
    )


def _fit(
    out_lines: list[str], lines: list[str], hints: Hints, kind: str, encoding: str
) -> list[str]:
    """A parser's output cut to the budget (the given one, else the default for the input)."""
    from aitui.core.compress.budget import default_budget, failure_sites, select
    from aitui.core.compress.signalfirst import estimate_tokens, scored
    from aitui.core.compress.token_floor import token_floor
    from aitui.core.tokens import count_tokens

    estimate = estimate_tokens(out_lines)
    limit = hints.budget
    if limit is None:
        if estimate < KEEP_WHOLE_TOKENS or kind in CONTENT_KINDS:
            return out_lines
        limit = default_budget(estimate_tokens(lines), failure_sites(scored(out_lines)))
        if limit is None:
            return out_lines
    if estimate * 2 < limit:
        return out_lines

    def counter(text: str) -> int:
        return count_tokens(text, encoding)

    def floor(text: str, enough: int) -> int:
        return token_floor(text, encoding, enough)

    if counter("\n".join(out_lines)) <= limit:
        return out_lines
    return select(out_lines, scored(out_lines), limit, counter, numbered=False, floor=floor)


def _never_more(raw: str, compressed: str, encoding: str, budget: int | None) -> str:
    """``compressed`` unless it has more tokens than ``raw`` (checked when it could): then
    ``raw`` itself, if it fits the budget. ``raw`` is counted only when the result's count is
    above a floor of ``raw``'s (``token_floor``: a listing's result is often under it)."""
    if len(compressed) * 3 < len(raw) or compressed == raw:
        return compressed
    from aitui.core.compress.token_floor import token_floor
    from aitui.core.tokens import count_tokens

    compressed_tokens = count_tokens(compressed, encoding)
    if compressed_tokens <= token_floor(raw, encoding, enough=compressed_tokens):
        return compressed
    raw_tokens = count_tokens(raw, encoding)
    if compressed_tokens > raw_tokens and (budget is None or raw_tokens <= budget):
        return raw
    return compressed


def _hard_cap(text: str, budget: int, encoding: str) -> str:
    """The last guarantee of ``budget``: a result still over it is cut at a token boundary
    (the selection counts real tokens, so this only happens on pathological input)."""
    from aitui.core.tokens import encode, get_encoding

    tokens = encode(text, encoding)
    if len(tokens) <= budget:
        return text
    mark = "\n[... cut to the token budget ...]"
    room = budget - len(encode(mark, encoding)) - 2
    cut = get_encoding(encoding).decode(tokens[: max(0, room)])
    while cut and len(encode(cut + mark, encoding)) > budget:
        cut = cut[: len(cut) * 9 // 10]
    return cut + mark
