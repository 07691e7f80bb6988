"""``compress()``: terminal output in, the part an agent needs out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from aitui.core.compress.detect import detect_kind
from aitui.core.compress.generic import compress_generic
from aitui.core.compress.hints import Hints
from aitui.core.compress.text import clean_lines, collapse_blank_runs, decode

log = logging.getLogger(__name__)

Compressor = Callable[[list[str], Hints], list[str]]


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
        jsonfmt,
        listing,
        packages,
        pytests,
        rust,
        shell,
        typecheck,
    )

    def generic(lines: list[str], hints: Hints) -> list[str]:
        return compress_generic(lines)

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
) -> CompressionResult:
    """Compress terminal output (raw bytes or text, ANSI codes and all).

    ``command`` and ``exit_code`` are hints: the command line picks the parser (content decides
    when it says little) and the exit status is kept in the output when it is not 0. ``kind``
    forces a parser. ``count`` also counts tokens with ``encoding``.
    """
    text = decode(data)
    hints = Hints.of(command, exit_code)
    lines = clean_lines(text)
    used, out_lines = compress_lines(lines, hints, kind)
    out_lines = list(collapse_blank_runs(out_lines))
    while out_lines and not out_lines[-1]:
        out_lines.pop()
    compressed = "\n".join(out_lines)
    cleaned_len = sum(len(ln) + 1 for ln in lines)
    if len(compressed) > cleaned_len:  # never return more than the cleaned text
        compressed = "\n".join(lines)
        out_lines = lines
    if exit_code not in (None, 0):
        compressed += f"\n[exit status {exit_code}]"
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
    )
