"""Lines that scrolled off the top of a screen, stored compactly.

A line is kept as its text (trailing default blanks stripped, a wide character once) and, only
when it has any styling, a flat tuple of run lengths and style ids: ``(len, sid, len, sid, ...)``
over the text's code points. An unstyled 120-column line is therefore one ``str`` of ~170 bytes,
instead of 120 cell objects (pyte's ``HistoryScreen`` spends ~8.6 KB a line). 50 sessions with
10,000 lines each stay in the tens of megabytes.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from itertools import compress

from aitui.core.terminal.style import CellStyle, sgr_codes, style_of

#: One stored line: plain text, or text plus flat (length, style id) runs.
Entry = str | tuple[str, tuple[int, ...]]

DEFAULT_LIMIT = 10_000


def entry_text(entry: Entry) -> str:
    """The text of a stored line."""
    return entry if isinstance(entry, str) else entry[0]


def entry_runs(entry: Entry) -> list[tuple[str, CellStyle]]:
    """A stored line as styled runs."""
    if isinstance(entry, str):
        return [(entry, style_of(0))] if entry else []
    text, flat = entry
    out: list[tuple[str, CellStyle]] = []
    pos = 0
    for i in range(0, len(flat), 2):
        n = flat[i]
        out.append((text[pos : pos + n], style_of(flat[i + 1])))
        pos += n
    if pos < len(text):
        out.append((text[pos:], style_of(0)))
    return out


def entry_ansi(entry: Entry) -> str:
    """A stored line with SGR sequences, ending in a reset when it set any."""
    if isinstance(entry, str):
        return entry
    parts: list[str] = []
    for text, style in entry_runs(entry):
        codes = sgr_codes(style)
        parts.append(f"\x1b[0;{codes}m{text}" if codes else f"\x1b[0m{text}")
    parts.append("\x1b[0m")
    return "".join(parts)


class Scrollback:
    """A bounded, searchable history of lines; index 0 is the oldest line still kept."""

    #: Lines fetched from elsewhere that arrived (a remote history's count; none here).
    fetched = 0

    __slots__ = ("_lines", "_scrolled", "_wrapped", "dropped", "generation")

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self._lines: deque[Entry] = deque(maxlen=max(0, limit))
        #: How many lines have been discarded off the old end (for absolute line numbers).
        self.dropped = 0
        #: Bumped whenever a line already numbered changes (taken back, cleared): whoever keeps
        #: copies of lines by absolute number (a remote client) must fetch them again.
        self.generation = 0
        #: Absolute numbers of the lines that wrapped onto the next one (a program wrote them
        #: as one line): a resize re-joins them with the screen's rows (``reflow``). Numbers
        #: of dropped lines linger until the next prune.
        self._wrapped: set[int] = set()
        #: How many of the newest lines left the screen by scrolling (output, or the screen
        #: getting shorter), not by re-wrapping: a taller screen brings only those back (tmux's
        #: ``hscrolled``).
        self._scrolled = 0

    @property
    def limit(self) -> int:
        """The most lines kept; older ones are dropped first."""
        return self._lines.maxlen or 0

    @limit.setter
    def limit(self, value: int) -> None:
        keep = max(0, value)
        self.generation += 1
        excess = max(0, len(self._lines) - keep)
        self.dropped += excess
        self._lines = deque(list(self._lines)[excess:], maxlen=keep)

    def append(self, entry: Entry, wrapped: bool = False, scrolled: bool = True) -> None:
        """Add a line at the new end (called by the screen as lines scroll off); ``wrapped``:
        it goes on in the next line; ``scrolled``: see :attr:`scrolled`."""
        lines = self._lines
        self._scrolled += scrolled
        if wrapped and lines.maxlen:
            self._wrapped.add(self.dropped + len(lines))
            self._prune()
        if len(lines) == lines.maxlen:
            if not lines.maxlen:
                self.dropped += 1
                return
            self.dropped += 1
        lines.append(entry)

    def extend(
        self, entries: list[Entry], wrapped: list[bool] | None = None, scrolled: bool = True
    ) -> None:
        """Add many lines at once (the screen's fast path for output scrolling past)."""
        lines = self._lines
        limit = lines.maxlen or 0
        if scrolled:
            self._scrolled += len(entries)
        if wrapped and limit and True in wrapped:
            first = self.dropped + len(lines)
            self._wrapped.update(compress(range(first, first + len(wrapped)), wrapped))
            self._prune()
        overflow = len(lines) + len(entries) - limit
        if overflow > 0:
            self.dropped += overflow
        if limit:
            lines.extend(entries[-limit:])

    def skip(self, count: int) -> None:
        """Count ``count`` lines as added and dropped at once (more than the limit holds)."""
        self.dropped += count

    def _prune(self) -> None:
        if len(self._wrapped) > 2 * len(self._lines) + 64:
            oldest = self.dropped
            self._wrapped = {number for number in self._wrapped if number >= oldest}

    @property
    def scrolled(self) -> int:
        """How many of the newest lines a taller screen may bring back."""
        return min(self._scrolled, len(self._lines))

    def forget_scrolled(self) -> None:
        """Lines saved by clearing the screen stay in the scrollback when it grows taller."""
        self._scrolled = 0

    def newest_wrapped(self) -> bool:
        """Whether the newest line goes on in the screen's top row."""
        return bool(self._lines) and self.dropped + len(self._lines) - 1 in self._wrapped

    def pop_newest_line(self) -> tuple[Entry, bool] | None:
        """Take back the newest line and whether it wrapped onto the next one."""
        if not self._lines:
            return None
        number = self.dropped + len(self._lines) - 1
        self.generation += 1
        wrapped = number in self._wrapped
        self._wrapped.discard(number)
        self._scrolled = max(0, min(self._scrolled, len(self._lines)) - 1)
        return self._lines.pop(), wrapped

    def clear(self) -> None:
        """Forget every line (``ESC [ 3 J``)."""
        self.dropped += len(self._lines)
        self.generation += 1
        self._lines.clear()
        self._wrapped.clear()
        self._scrolled = 0

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: int) -> str:
        return entry_text(self._lines[index])

    def __iter__(self) -> Iterator[str]:
        return (entry_text(e) for e in self._lines)

    def entry(self, index: int) -> Entry:
        """The stored form of line ``index``."""
        return self._lines[index]

    def lines(self, start: int = 0, stop: int | None = None) -> list[str]:
        """The text of lines ``start`` to ``stop`` (slice semantics)."""
        return [entry_text(e) for e in list(self._lines)[start:stop]]

    def runs(self, index: int) -> list[tuple[str, CellStyle]]:
        """Line ``index`` as styled runs, for drawing history."""
        return entry_runs(self._lines[index])

    def search(
        self, pattern: str, regex: bool = False, ignore_case: bool = False
    ) -> list[tuple[int, int]]:
        """Every match as ``(line index, column)``, oldest first. A bad regex raises re.error."""
        if not pattern:
            return []
        flags = re.IGNORECASE if ignore_case else 0
        compiled = re.compile(pattern if regex else re.escape(pattern), flags)
        hits: list[tuple[int, int]] = []
        for no, entry in enumerate(self._lines):
            text = entry if isinstance(entry, str) else entry[0]
            if regex or ignore_case:
                hits.extend((no, m.start()) for m in compiled.finditer(text))
                continue
            col = text.find(pattern)
            while col >= 0:
                hits.append((no, col))
                col = text.find(pattern, col + 1)
        return hits

    async def find(
        self, pattern: str, regex: bool = False, ignore_case: bool = False
    ) -> list[tuple[int, int, int]]:
        """``search``'s matches as ``(line index, column, length)``: what a pane highlights
        (``async`` so a remote history, which asks its server, has the same shape)."""
        hits = self.search(pattern, regex=regex, ignore_case=ignore_case)
        if not regex:
            return [(line, column, max(1, len(pattern))) for line, column in hits]
        compiled = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
        out = []
        for line, column in hits:
            found = compiled.match(self[line], column)
            out.append((line, column, max(1, len(found.group(0)) if found else 1)))
        return out

    def style_ids(self, used: set[int]) -> None:
        """Add the style ids of the styled lines to ``used`` (``style_gc``)."""
        for entry in self._lines:
            if not isinstance(entry, str):
                used.update(entry[1][1::2])

    def renumber_styles(self, renumber: dict[int, int]) -> None:
        """Rewrite every style id through ``renumber`` (``style_gc``)."""

        def renumbered(entry: Entry) -> Entry:
            if isinstance(entry, str):
                return entry
            runs = list(entry[1])
            runs[1::2] = [renumber[sid] for sid in runs[1::2]]
            return (entry[0], tuple(runs))

        self._lines = deque(map(renumbered, self._lines), maxlen=self._lines.maxlen)

    def export(self, ansi: bool = False) -> str:
        """All lines as text, one per line; with ``ansi`` each keeps its SGR attributes."""
        if ansi:
            return "".join(entry_ansi(e) + "\n" for e in self._lines)
        return "".join(entry_text(e) + "\n" for e in self._lines)
