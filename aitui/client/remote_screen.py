"""A server's screen as a client holds it: the rows its frames brought, history on demand.

``RemoteScreen`` is a ``ScreenView``: the pane draws it exactly as it draws a local screen.
Frames replace the rows they carry (already as runs, so drawing reads them as they are) and
mark them dirty; nothing else is copied. ``RemoteScrollback`` keeps the history lines it was
asked for, by absolute line number, and fetches missing ones in blocks around what is shown;
when they arrive its ``fetched`` count goes up and the screen says it changed, so a pane
scrolled back draws them.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aitui.core.terminal import CellStyle, TerminalModes
from aitui.core.wire import Frame, History, Runs

Row = list[tuple[str, CellStyle]]
#: History lines fetched per request: the block of them that holds the one asked for.
BLOCK = 200
#: History lines kept fetched at most; beyond, the cache starts again.
CACHE_LINES = 20_000


class Styles:
    """The connection's style table (numbers are the server's, per connection)."""

    def __init__(self) -> None:
        self._table: dict[int, CellStyle] = {}

    def learn(self, styles: dict[int, CellStyle], reset: bool = False) -> None:
        if reset:  # rows already held keep their styles: they are objects, not numbers
            self._table.clear()
        self._table.update(styles)

    def row(self, runs: Runs) -> Row:
        table = self._table
        default = CellStyle()
        return [(text, table.get(number, default)) for text, number in runs]


class RemoteScrollback:
    def __init__(
        self,
        fetch: Callable[[int, int], Awaitable[History]],
        changed: Callable[[], None],
        find: Callable[[str, bool, bool], Awaitable[list[tuple[int, int, int]]]],
    ) -> None:
        self.dropped = 0
        self.generation = 0
        self.length = 0
        #: Bumped whenever fetched lines arrive (a pane scrolled back redraws).
        self.fetched = 0
        self._fetch = fetch
        self._find = find
        self._changed = changed
        self._lines: dict[int, Row] = {}
        self._asked: set[int] = set()  # blocks in flight, by first line
        self._tasks: set[asyncio.Task[Any]] = set()
        self.styles: Styles | None = None

    def reset(self) -> None:
        self._lines.clear()
        self._asked.clear()
        self.generation += 1

    def __len__(self) -> int:
        return self.length

    def runs(self, index: int) -> Row:
        number = self.dropped + index
        row = self._lines.get(number)
        if row is None:
            self._ask(number)
            return []
        return row

    def __getitem__(self, index: int) -> str:
        return "".join(text for text, _ in self.runs(index))

    def search(
        self, pattern: str, regex: bool = False, ignore_case: bool = False
    ) -> list[tuple[int, int]]:
        """Matches among the lines fetched so far (``find`` asks the server for all)."""
        flags = re.IGNORECASE if ignore_case else 0
        compiled = re.compile(pattern if regex else re.escape(pattern), flags)
        hits: list[tuple[int, int]] = []
        for number in sorted(self._lines):
            index = number - self.dropped
            if 0 <= index < self.length:
                text = "".join(t for t, _ in self._lines[number])
                hits.extend((index, m.start()) for m in compiled.finditer(text))
        return hits

    async def find(
        self, pattern: str, regex: bool = False, ignore_case: bool = False
    ) -> list[tuple[int, int, int]]:
        """Matches in the server's whole history, as line indexes of this view."""
        hits = await self._find(pattern, regex, ignore_case)
        dropped, length = self.dropped, self.length
        return [(n - dropped, c, w) for n, c, w in hits if 0 <= n - dropped < length]

    def _ask(self, number: int) -> None:
        # The block that holds ``number`` (a block "around" it, floored to a block's start,
        # missed it when it lay in the first half of a block: lines 200-299 asked for 0-199,
        # and a pane scrolled back to them stayed blank).
        first = max(self.dropped, number // BLOCK * BLOCK)
        if first in self._asked:
            return
        self._asked.add(first)
        try:
            task = asyncio.get_running_loop().create_task(self._load(first, self.generation))
        except RuntimeError:
            return  # no loop (a test drawing outside one): nothing to fetch with
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _load(self, first: int, generation: int) -> None:
        try:
            history = await self._fetch(first, BLOCK)
        except Exception:
            self._asked.discard(first)
            return
        if generation != self.generation or self.styles is None:
            return  # history was rewritten meanwhile: these lines are stale
        if len(self._lines) > CACHE_LINES:
            self._lines.clear()
            self._asked = {first}  # the blocks dropped are asked for again when drawn
        self.styles.learn(history.styles)
        for offset, runs in enumerate(history.lines):
            self._lines[history.first + offset] = self.styles.row(runs)
        self.fetched += 1
        self._changed()


class RemoteScreen:
    """A ``ScreenView`` fed by ``Frame`` messages."""

    def __init__(self, styles: Styles, scrollback: RemoteScrollback) -> None:
        self._styles = styles
        self.scrollback = scrollback
        scrollback.styles = styles
        self.rows = 0
        self.cols = 0
        self.cursor: tuple[int, int] = (0, 0)
        self.cursor_visible = True
        self.title = ""
        self.modes = TerminalModes()
        self.complete = False  # a full frame has arrived
        self._lines: list[Row] = []
        self._dirty: set[int] = set()

    def apply(self, frame: Frame) -> None:
        self._styles.learn(frame.styles, frame.styles_reset)
        if frame.full or (frame.rows, frame.cols) != (self.rows, self.cols):
            self.rows, self.cols = frame.rows, frame.cols
            self._lines = [[] for _ in range(frame.rows)]
            self._dirty = set(range(frame.rows))
            self.complete = self.complete or frame.full
        row = self._styles.row
        for y, runs in frame.lines.items():
            if 0 <= y < self.rows:
                self._lines[y] = row(runs)
                self._dirty.add(y)
        self.cursor = frame.cursor
        self.cursor_visible = frame.cursor_visible
        self.title = frame.title
        if frame.modes is not None:
            self.modes = frame.modes
        history = self.scrollback
        if frame.history_reset:
            history.reset()
        history.length = frame.history_length
        history.dropped = frame.history_dropped

    def row_runs(self, y: int) -> Row:
        return self._lines[y] if 0 <= y < len(self._lines) else []

    def take_dirty(self) -> set[int]:
        dirty, self._dirty = self._dirty, set()
        return dirty

    def mark_all_dirty(self) -> None:
        self._dirty = set(range(self.rows))
