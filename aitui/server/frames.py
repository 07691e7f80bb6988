"""Turning a screen's changed rows into ``Frame`` messages for one attached client.

Each client has its own ``FrameBuilder``: the style numbers it has been told, the size, modes
and history position it last saw of each session, and the rows it was sent. Rows are read from
the screen only when a frame is built, so rows a program rewrote ten times between two frames
are read and sent once, and a row rewritten with what it already showed is not sent at all: an
agent UI that repaints its whole frame for a spinner tick costs the client the rows that
changed, not the forty it repainted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aitui.core.hosting import ScreenView
from aitui.core.terminal import CellStyle, TerminalModes
from aitui.core.wire import Frame, History, Runs

#: History lines one ``history`` call returns at most (a client asks for what it shows).
MAX_HISTORY_LINES = 2_000
#: Style numbers a connection holds at most. A program cycling through truecolor colours
#: would otherwise grow both tables for good (as the screen's own would; see ``style_gc``):
#: past this the numbering starts again and every shown session gets a full frame.
MAX_STYLES = 65_536


@dataclass
class _Seen:
    """What a client was last sent of one session."""

    size: tuple[int, int] = (0, 0)
    modes: TerminalModes | None = None
    generation: int = -1
    rows: list[list[tuple[str, CellStyle]] | None] = field(default_factory=list)


class FrameBuilder:
    def __init__(self) -> None:
        self._styles: dict[CellStyle, int] = {}
        self._seen: dict[str, _Seen] = {}

    def forget(self, key: str) -> None:
        """The client stopped showing ``key``: its next frame of it is a full one."""
        self._seen.pop(key, None)

    def frame(self, key: str, screen: ScreenView, rows: set[int]) -> Frame:
        """A frame of ``rows`` of ``screen`` (every row if the client has not seen this size)."""
        reset = len(self._styles) > MAX_STYLES
        if reset:
            self._styles.clear()
            for other in self._seen.values():
                other.size = (0, 0)  # their next frames are full, in the new numbering
        seen = self._seen.setdefault(key, _Seen())
        size = (screen.rows, screen.cols)
        full = size != seen.size
        if full:
            rows = set(range(screen.rows))
            seen.rows = [None] * screen.rows
        seen.size = size
        new: dict[int, CellStyle] = {}
        lines: dict[int, Runs] = {}
        sent = seen.rows
        for y in rows:
            if 0 <= y < screen.rows:
                runs = screen.row_runs(y)
                if runs != sent[y]:
                    sent[y] = runs
                    lines[y] = self._runs(runs, new)
        modes = screen.modes
        send_modes = None
        if full or modes != seen.modes:
            send_modes = modes.copy()
            seen.modes = send_modes
        history = screen.scrollback
        generation = history.generation
        history_reset = generation != seen.generation and seen.generation != -1
        seen.generation = generation
        return Frame(
            key=key,
            rows=screen.rows,
            cols=screen.cols,
            lines=lines,
            cursor=screen.cursor,
            cursor_visible=screen.cursor_visible,
            title=screen.title,
            modes=send_modes,
            history_length=len(history),
            history_dropped=history.dropped,
            history_reset=history_reset,
            styles=new,
            styles_reset=reset,
            full=full,
        )

    def history(self, screen: ScreenView, first: int, count: int) -> History:
        """Up to ``count`` history lines from absolute number ``first`` (clamped to what is
        kept; ``History.first`` says where the answer starts)."""
        history = screen.scrollback
        dropped = history.dropped
        start = max(0, first - dropped)
        stop = min(len(history), start + max(0, min(count, MAX_HISTORY_LINES)))
        new: dict[int, CellStyle] = {}
        lines = [self._runs(history.runs(i), new) for i in range(start, stop)]
        return History(first=dropped + start, lines=lines, styles=new)

    def _runs(self, runs: list[tuple[str, CellStyle]], new: dict[int, CellStyle]) -> Runs:
        styles = self._styles
        out: Runs = []
        for text, style in runs:
            number = styles.get(style)
            if number is None:
                number = styles[style] = len(styles)
                new[number] = style
            out.append((text, number))
        return out
