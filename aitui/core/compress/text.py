"""Text helpers shared by every compressor: cleaning terminal output, counted placeholders.

Cleaning follows what a terminal leaves on screen: escape sequences and stray control
characters removed, ``\\r\\n`` read as a line end, a line rewritten with bare ``\\r`` keeps only
the text after the last ``\\r`` (progress bars collapse to their final state), trailing blanks
dropped, braille spinner frames removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from aitui.core.compress.ascii_twin import ascii_twin
from aitui.core.compress.escapes import strip_escapes

_CTRL = r"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]"
CTRL_RE = re.compile(_CTRL)
_CTRL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
SPINNER_RE = re.compile("^[\u2800-\u28ff]+")
_SEPARATOR_RE = re.compile(r"([=_\-*!~#+.])\1{7,}")
_DIGITS_RE = re.compile(r"\d+")
_SHAPE_RE = re.compile(r"\d+(?:\.\d+)*|[0-9a-f]{7,}|'[^']*'|\"[^\"]*\"|`[^`]*`|‘[^’]*’")


def decode(data: str | bytes) -> str:
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return data


def strip_ansi(text: str) -> str:
    """Escape sequences and control characters removed (keeps ``\\t``, ``\\n``, ``\\r``)."""
    return _stripped(text)[0]


def _stripped(text: str) -> tuple[str, bytes]:
    """``strip_ansi(text)`` and its UTF-8 bytes (what the spinner check searches too)."""
    if "\x1b" in text or "\x9b" in text:
        text = strip_escapes(text)
    # Control characters found by bytes.translate on the UTF-8 bytes, at C speed (no byte
    # of a multi-byte character is below 0x80); the text is kept as is when it has none.
    data = text.encode("utf-8", "surrogatepass")
    kept = data.translate(None, _CTRL_BYTES)
    if len(kept) == len(data):
        return text, data
    return kept.decode("utf-8", "surrogatepass"), kept


#: U+2800..U+28FF (braille spinner frames) in UTF-8: E2 then A0..A3; E2 is a lead byte, so
#: this is never the middle of another character. ``re`` skips to each E2 with ``memchr``;
#: the same search of the text itself would test every character.
_SPINNER_UTF8 = re.compile(b"\xe2[\xa0-\xa3]")


def clean_lines(text: str) -> list[str]:
    """The lines a terminal would show, without colours, spinners or trailing blanks."""
    text, data = _stripped(text)
    spinners = not text.isascii() and _SPINNER_UTF8.search(data) is not None
    lines = text.split("\n")
    if "\r" in text:
        out = []
        for line in lines:
            if "\r" in line:
                line = line.rstrip("\r")
                if "\r" in line:
                    line = line.rsplit("\r", 1)[1]
            out.append(line)
        lines = out
    if spinners:
        lines = [SPINNER_RE.sub("", line) for line in lines]
    lines = list(map(str.rstrip, lines))
    while lines and not lines[-1]:
        lines.pop()
    return lines


def fmt_count(n: int) -> str:
    return f"{n:,}"


def plural(n: int, label: str) -> str:
    """``plural(3, "test")`` -> ``3 tests``; ``"entry|entries"`` gives both forms."""
    one, _, many = label.partition("|")
    return f"{fmt_count(n)} {one if n == 1 else (many or one + 's')}"


def shorten_separators(line: str) -> str:
    """``===== 3 failed =====`` -> ``=== 3 failed ===``: long rule runs cost tokens, say nothing."""
    if len(line) < 12:
        return line
    return _SEPARATOR_RE.sub(lambda m: m.group(1) * 3, line)


def shape(line: str) -> str:
    """A line with numbers, hashes and quoted names masked: lines of one template match."""
    return _SHAPE_RE.sub(_mask, line)


_TEMPLATE_RE = re.compile(r"\d+|[0-9a-f]{7,}|'[^']*'|\"[^\"]*\"|`[^`]*`")


def template(line: str) -> str:
    """A cheaper ``shape`` for grouping lines (everything masked to ``#``). An ASCII line
    takes the ``[0-9]`` twin (the same matches there, see ``_ASCII_TEMPLATES_RE``; its
    quotes stop at a newline, which such a line does not hold)."""
    if line.isascii() and "\n" not in line:
        return _ASCII_TEMPLATES_RE.sub("#", line)
    return _TEMPLATE_RE.sub("#", line)


#: ``_TEMPLATE_RE`` with quotes that stop at a line's end: over lines joined with ``\n`` it
#: masks each line exactly as ``template`` does (a line holds no ``\n``).
_TEMPLATES_RE = re.compile(r"\d+|[0-9a-f]{7,}|'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`")
#: The same on ASCII text, where ``\d`` is ``[0-9]``: ``re`` skips the positions no
#: alternative can start at by a table of first characters, and with ``\d`` in it each
#: character takes a Unicode lookup (1M short lines: 0.95 -> 0.80 s).
_ASCII_TEMPLATES_RE = ascii_twin(_TEMPLATES_RE)


def templates(lines: list[str]) -> list[str]:
    """``[template(line) for line in lines]`` in one substitution over the joined lines."""
    if not lines:
        return []
    text = "\n".join(lines)
    pattern = _ASCII_TEMPLATES_RE if text.isascii() else _TEMPLATES_RE
    masked = pattern.sub("#", text).split("\n")
    if len(masked) != len(lines):  # a line held a newline after all: one at a time
        return [template(line) for line in lines]
    return masked


def _mask(m: re.Match[str]) -> str:
    text = m.group(0)
    if text[0] in "'\"`‘":
        return text[0] + "…" + text[-1]
    return "#"


def even_spread(n: int, k: int) -> list[int]:
    """``k`` indices spread evenly over ``range(n)``, first and last included (all if n <= k)."""
    if n <= k:
        return list(range(n))
    if k <= 1:
        return [0]
    return sorted({round(i * (n - 1) / (k - 1)) for i in range(k)})


class Out:
    """Builds compressed output: kept lines, and counted placeholders for what was dropped.

    ``drop(label)`` accumulates counts per label; the next kept line (or the end) first emits
    one placeholder such as ``[... 1,204 passing tests omitted ...]``. ``tally(label)`` counts
    noise (progress lines, downloads) reported once, in a closing placeholder, so that it
    does not split the output into many small placeholders. A placeholder standing for one
    short line is replaced by the line itself when it was given: it costs no more.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._pending: dict[str, int] = {}
        self._pending_text: list[str] = []
        self._tallies: dict[str, int] = {}
        self.dropped = 0

    def keep(self, line: str) -> None:
        if self._pending:
            self.flush()
        self.lines.append(line)

    def extend(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.keep(line)

    def drop(self, label: str, n: int = 1, text: str | None = None) -> None:
        if n <= 0:
            return
        self._pending[label] = self._pending.get(label, 0) + n
        if text is not None and n == 1:
            self._pending_text.append(text)
        self.dropped += n

    def tally(self, label: str, n: int = 1) -> None:
        if n > 0:
            self._tallies[label] = self._tallies.get(label, 0) + n
            self.dropped += n

    def note(self, text: str) -> None:
        """A summary line of the compressor's own, in placeholder brackets."""
        self.keep(f"[... {text} ...]")

    def flush(self) -> None:
        if not self._pending:
            return
        pending, texts = self._pending, self._pending_text
        self._pending, self._pending_text = {}, []
        if sum(pending.values()) == 1 and len(texts) == 1 and len(texts[0]) <= SHORT_LINE:
            self.lines.append(texts[0])
            return
        self.lines.append(placeholder(pending))

    def result(self) -> list[str]:
        self.flush()
        if self._tallies:
            self.lines.append(placeholder(self._tallies))
            self._tallies = {}
        return self.lines


SHORT_LINE = 60


def placeholder(counts: dict[str, int]) -> str:
    parts = [plural(n, label) for label, n in counts.items()]
    return f"[... {', '.join(parts)} omitted ...]"


def collapse_blank_runs(lines: Iterable[str]) -> list[str]:
    """At most one blank line in a row, none at the start (the blanks are found with
    ``list.index``, in C: the runs of lines between them are copied whole)."""
    lines = lines if isinstance(lines, list) else list(lines)
    out: list[str] = []
    start = 0
    n = len(lines)
    while start < n:
        try:
            blank = lines.index("", start)
        except ValueError:
            blank = n
        if blank > start:
            out.extend(lines[start:blank])
            if blank < n:
                out.append("")
        start = blank + 1
    return out


def digits_masked(line: str) -> str:
    return _DIGITS_RE.sub("#", line)
