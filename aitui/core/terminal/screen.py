"""``TerminalScreen``: the virtual terminal every session's output goes through.

It takes raw PTY bytes in chunks of any size (UTF-8 and escape sequences may be cut anywhere),
keeps the visible grid, the modes and a compact scrollback, answers the program's queries through
``on_reply`` and reports titles, bells and prompt marks through ``on_event``. ``feed`` never
raises: a program's output must never kill the session's reader, so an internal error is logged
and the screen repaired (cursor clamped, rows re-sized) before going on.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from aitui.core.terminal import style_gc
from aitui.core.terminal.events import ScreenEvent
from aitui.core.terminal.fastpath import can_stream, stream_lines
from aitui.core.terminal.grid import Grid, entry_cells, row_to_entry
from aitui.core.terminal.parser import SEQUENCE, HeldSequence, segment_end, split_tail
from aitui.core.terminal.reflow import Line, join_rows, reflow, split_line
from aitui.core.terminal.repaint import NEXT_ROW, can_paint, paint_rows
from aitui.core.terminal.scrollback import DEFAULT_LIMIT, entry_ansi
from aitui.core.terminal.sequences import PLANS, SGR_PENS, SequenceScreen
from aitui.core.terminal.size import check_size
from aitui.core.terminal.state import log
from aitui.core.terminal.style import CellStyle, style_of


class TerminalScreen(SequenceScreen):
    """A ``rows`` x ``cols`` xterm-compatible screen with scrollback.

    Public state: ``rows``, ``cols``, ``cursor`` (row, col), ``cursor_visible``, ``title``,
    ``modes`` and ``scrollback``. Views: :meth:`display`, :meth:`text`, :meth:`row_runs`,
    :meth:`take_dirty`.
    """

    def __init__(
        self,
        rows: int,
        cols: int,
        *,
        scrollback: int = DEFAULT_LIMIT,
        on_reply: Callable[[bytes], None] | None = None,
        on_event: Callable[[ScreenEvent], None] | None = None,
    ) -> None:
        super().__init__(rows, cols, scrollback=scrollback, on_reply=on_reply, on_event=on_event)
        # Invalid UTF-8 is dropped, as tmux does, rather than shown as U+FFFD.
        self._decoder = codecs.getincrementaldecoder("utf-8")("ignore")
        self._held = HeldSequence()
        self._errors = 0
        #: Whether streamed lines may take the fast path (tests turn it off to compare).
        self.fast_path = True
        style_gc.register(self)

    # ------------------------------------------------------------------------- input
    def feed(self, data: bytes) -> None:
        """Digest program output. Any bytes, split anywhere; never raises."""
        try:
            text = self._decoder.decode(data)
        except Exception:  # pragma: no cover - the "replace" decoder does not raise
            text = bytes(data).decode("utf-8", "ignore")
        self.feed_text(text)

    def feed_text(self, text: str) -> None:
        """Digest already-decoded output (the replay tool and tests use this)."""
        style_gc.compact_if_due()
        text = self._held.resume(text)
        if not text:
            return
        text, pending = split_tail(text)
        if pending:
            self._held.hold(pending)
        if text:
            self._process(text)

    def _process(self, text: str) -> None:
        """Alternate between the fast path (whole lines scrolling past) and the general one.

        The general path gets one line at a time, so streaming output switches to the fast
        path as soon as it reaches the bottom of the screen, and stops before the next cursor
        positioning, where a full-screen repaint's rows can take theirs (``repaint``): an ESC
        ``[`` always begins a sequence, so cutting there splits the text as the whole would
        be split. The line's end is found once for all its cuts: a megabyte of rows without
        a newline, each cut for the general path, would scan to the end once per row."""
        pos, n = 0, len(text)
        line_end = 0  # where the line ``pos`` is in ends (found once per line, not per cut)
        resume = self.paint_open  # the last piece ended inside a painted row
        self.paint_open = False
        while pos < n:
            if self.fast_path:
                if can_stream(self):
                    end = stream_lines(self, text, pos)
                    if end > pos:
                        pos = end
                        continue
                if can_paint(self):
                    end = paint_rows(self, text, pos, resume and not pos)
                    if end > pos:
                        pos = end
                        continue
                if pos >= line_end:
                    line_end = segment_end(text, pos)
                end = line_end
                cup = NEXT_ROW.search(text, pos + 1, end)
                if cup is not None:
                    end = cup.start()
            else:
                end = n
            self._process_general(text[pos:end] if pos or end < n else text)
            pos = end

    def _process_general(self, text: str) -> None:
        """Every text run and sequence in order. The commonest cases (ASCII text that fits
        in the row, a known SGR, a known CSI) are handled inline: this loop is the cost of
        a full-screen redraw."""
        parts = SEQUENCE.split(text)
        draw = self.draw
        control = self.control
        sgr_pens = SGR_PENS
        plans = PLANS
        cols = self._cols
        n = len(parts)
        for i in range(0, n, 2):
            try:
                chunk = parts[i]
                if chunk:
                    x = self.x
                    end = x + len(chunk)
                    if (
                        end < cols
                        and self.charset_table is None
                        and not self.joining
                        and not self.modes.insert
                        and chunk.isascii()
                    ):
                        y = self.y
                        row = self.grid.chars[y]
                        if x and row[x] == "":
                            row[x - 1] = " "
                        if row[end] == "":
                            row[end] = " "
                        row[x:end] = chunk
                        self.grid.styles[y][x:end] = [self.pen] * len(chunk)
                        self.dirty.add(y)
                        self.x = end
                        self.last_char = chunk[-1]
                    else:
                        draw(chunk)
                if i + 1 == n:
                    break
                seq = parts[i + 1]
                if seq[0] != "\x1b":
                    control(seq)
                elif len(seq) > 1:
                    kind = seq[1]
                    if kind == "[":
                        if seq[-1] == "m":
                            pen = sgr_pens.get((self.pen, seq))
                            if pen is not None:
                                self.pen = pen
                                self.last_char = ""
                                continue
                        else:
                            plan = plans.get(seq)
                            if plan is not None:
                                plan[0](self, plan[1])
                                self.last_char = ""
                                continue
                        self.csi(seq)
                    elif kind == "]":
                        if seq[-1] == "\x07" or seq.endswith("\x1b\\"):
                            self.osc(seq)
                    elif kind not in "P_^X":
                        self.esc(seq)
            except Exception:
                self._recover()

    def _recover(self) -> None:
        """After an internal error: log it (rate-limited) and make the state consistent."""
        self._errors += 1
        if self._errors <= 10 or self._errors % 1000 == 0:
            log.exception("terminal emulation error #%d (screen repaired)", self._errors)
        for grid in (self.main_grid, self.grid):
            for y in range(grid.rows):
                for lst, fill in ((grid.chars[y], " "), (grid.styles[y], 0)):
                    del lst[grid.cols :]
                    lst.extend([fill] * (grid.cols - len(lst)))  # type: ignore[list-item]
        self.move_to(self.y, self.x)
        if not 0 <= self.top < self.bottom < self._rows:
            self.top, self.bottom = 0, self._rows - 1
        self.all_dirty = True

    # ------------------------------------------------------------------------ resize
    def resize(self, rows: int, cols: int) -> None:
        """Change the size, as tmux does: the height first (rows leaving the top go to the
        scrollback and come back when the screen grows again), then the width: the main
        screen's lines are re-wrapped with the cursor kept in its line (``reflow``), the
        alternate screen is cut. A size past the bound of ``size.check_size`` is refused
        (``TerminalSizeError``) and changes nothing."""
        rows, cols = max(1, int(rows)), max(2, int(cols))
        if (rows, cols) == (self._rows, self._cols):
            return
        check_size(rows, cols)
        try:
            grids = [self.main_grid] + ([self.grid] if self.grid is not self.main_grid else [])
            for grid in grids:
                on_screen = grid is self.grid
                saved = self.alt_saved if not on_screen else None
                cy = self.y if on_screen else (saved.y if saved else 0)
                cx = self.x if on_screen else (saved.x if saved else 0)
                # Height first, then width, as tmux does (the order decides which rows end
                # up in the scrollback).
                cy = self._resize_rows(grid, rows, cy, history=grid is self.main_grid)
                if cols != grid.cols and grid is self.main_grid:
                    cy, cx = self._reflow(grid, cols, cy, cx)
                elif cols != grid.cols:
                    grid.resize_cols(cols)
                    cx = min(cx, cols - 1)
                if on_screen:
                    self.y, self.x = cy, cx
                elif saved is not None:
                    saved.y, saved.x = cy, min(cx, cols - 1)
            self._rows, self._cols = rows, cols
            old = self.tabstops
            self.tabstops = old[:cols] + [x % 8 == 0 for x in range(len(old), cols)]
            self.top, self.bottom = 0, rows - 1
            pending = self.x >= cols
            self.move_to(self.y, self.x)
            if pending:
                self.x = cols  # the next character still starts a new line
            self.all_dirty = True
        except Exception:
            self._recover()

    def _reflow(self, grid: Grid, cols: int, cy: int, cx: int) -> tuple[int, int]:
        """Re-wrap the main grid (with the scrollback lines that wrapped onto its top row) and
        show its last rows, as tmux does: rows that no longer fit go to the scrollback, rows
        freed by wider lines bring lines back from it. A cursor pushed off the top goes home.
        The height stays as it is (``_resize_rows`` has fitted it already)."""
        height = grid.rows
        head = self._wrapped_head()
        ny, nx = reflow(grid, cols, cy, cx, head)
        while grid.rows < height:
            added = self._bring_back(grid)
            if not added:
                break
            ny += added
        if grid.rows > height:
            ny -= grid.rows - height
            self._push_top_rows(grid, grid.rows - height)
        while grid.rows < height:
            grid.chars.append([" "] * cols)
            grid.styles.append([0] * cols)
            grid.wrapped.append(False)
            grid.rows += 1
        return (ny, nx) if ny >= 0 else (0, 0)

    def _wrapped_head(self) -> Line | None:
        """The scrollback lines that wrapped onto the top row, taken back (whole, whatever
        width they were stored at), to be re-joined with it."""
        parts = self._take_wrapped_tail()
        if not parts:
            return None
        return join_rows(parts, self.main_grid.chars[0])

    def _take_wrapped_tail(self) -> list[tuple[list[str], list[int]]]:
        """Take back the newest scrollback lines that wrapped onto whatever follows them
        (oldest first, as cells)."""
        parts: list[tuple[list[str], list[int]]] = []
        while self.scrollback.newest_wrapped():
            line = self.scrollback.pop_newest_line()
            assert line is not None
            parts.append(entry_cells(line[0]))
        parts.reverse()
        return parts

    def _bring_back(self, grid: Grid) -> int:
        """Move the newest scrollback line back above the top row, whole and re-wrapped at
        the grid's width (with the lines that wrapped onto it); returns the rows added."""
        newest = self.scrollback.pop_newest_line()
        if newest is None:
            return 0
        entry, continues = newest
        parts = [*self._take_wrapped_tail(), entry_cells(entry)]
        chars: list[list[str]] = []
        styles: list[list[int]] = []
        wrapped: list[bool] = []
        split_line(join_rows(parts, grid.chars[0]), grid.cols, chars, styles, wrapped)
        wrapped[-1] = continues
        grid.chars[0:0], grid.styles[0:0], grid.wrapped[0:0] = chars, styles, wrapped
        grid.rows += len(chars)
        return len(chars)

    def _push_top_rows(self, grid: Grid, count: int, scrolled: bool = False) -> None:
        """Move the top ``count`` rows to the scrollback at once (a re-wrap at 2 columns can
        make hundreds of thousands); only the newest the scrollback can hold are built.
        ``scrolled``: see ``Scrollback.scrolled``."""
        gone = max(0, count - self.scrollback.limit)  # would fall off the scrollback at once
        self.scrollback.skip(gone)
        entries = [
            row_to_entry(grid.chars[y], grid.styles[y], grid.wrapped[y]) for y in range(gone, count)
        ]
        self.scrollback.extend(entries, grid.wrapped[gone:count], scrolled)
        del grid.chars[:count], grid.styles[:count], grid.wrapped[:count]
        grid.rows -= count

    def _resize_rows(self, grid: Grid, rows: int, cy: int, history: bool) -> int:
        while grid.rows > rows:  # shrink: drop blank rows below the cursor, then push the top
            last = grid.rows - 1
            if last > cy and grid.is_blank(last):
                del grid.chars[last], grid.styles[last], grid.wrapped[last]
            else:
                cy -= 1
                if history:
                    self._push_top_rows(grid, 1, scrolled=True)
                    continue
                del grid.chars[0], grid.styles[0], grid.wrapped[0]
            grid.rows -= 1
        while grid.rows < rows:  # grow: bring lines back from scrollback, else add blanks
            added = self._bring_back(grid) if history and self.scrollback.scrolled else 0
            if added:
                cy += added
                if grid.rows > rows:  # a whole line came back: its oldest rows go again
                    cy -= grid.rows - rows
                    self._push_top_rows(grid, grid.rows - rows)
                continue
            grid.chars.append([" "] * grid.cols)
            grid.styles.append([0] * grid.cols)
            grid.wrapped.append(False)
            grid.rows += 1
        return max(0, min(cy, rows - 1))

    # ------------------------------------------------------------------------- views
    @property
    def cursor(self) -> tuple[int, int]:
        """``(row, col)``, always inside the screen (a pending wrap shows the last column)."""
        return (self.y, min(self.x, self._cols - 1))

    @property
    def pending_wrap(self) -> bool:
        """Whether the last column was just written: the next character starts a new line."""
        return self.x >= self._cols

    def display(self) -> list[str]:
        """Each row's text, ``cols`` cells wide (a wide character is followed by ``""``)."""
        return ["".join(row) for row in self.grid.chars]

    def ansi(self) -> str:
        """Text that redraws this screen on a blank terminal of its size (how a recording
        started mid-session begins): the main screen's rows with their colours; if a
        full-screen program is on the alternate screen, a switch to it (1049, so the program's
        exit returns to the main screen) and its rows; the scroll region, the cursor and its
        visibility. Not carried: the other modes (keypad, mouse, bracketed paste) and what the
        program saved with DECSC."""

        def rows(grid: Grid) -> str:
            return "\r\n".join(
                entry_ansi(row_to_entry(chars, styles))
                for chars, styles in zip(grid.chars, grid.styles, strict=True)
            )

        parts = ["\x1b[0m\x1b[H\x1b[2J", rows(self.main_grid)]
        if self.grid is not self.main_grid:
            saved = self.alt_saved  # where the main screen's cursor goes back on exit
            if saved is not None:
                parts.append(f"\x1b[{saved.y + 1};{min(saved.x, self._cols - 1) + 1}H")
            parts += ["\x1b[?1049h\x1b[H\x1b[2J", rows(self.grid)]
        if (self.top, self.bottom) != (0, self._rows - 1):
            parts.append(f"\x1b[{self.top + 1};{self.bottom + 1}r")  # homes the cursor
        y, x = self.cursor
        parts.append(f"\x1b[{y + 1};{x + 1}H")
        if not self.cursor_visible:
            parts.append("\x1b[?25l")
        return "".join(parts)

    def text(self) -> str:
        """The visible rows joined by newlines, trailing spaces stripped."""
        return "\n".join("".join(row).rstrip(" ") for row in self.grid.chars)

    def take_dirty(self) -> set[int]:
        """The rows whose content (characters or styles) differs from what they held at the
        previous call: a row rewritten with what it showed is not reported (``shown``)."""
        if self.all_dirty:
            candidates: set[int] | range = range(self._rows)
        else:
            candidates = {y for y in self.dirty if y < self._rows}
        self.dirty = set()
        self.all_dirty = False
        return self.shown.changed(self.grid, candidates)

    def row_runs(self, y: int) -> list[tuple[str, CellStyle]]:
        """Row ``y`` as ``(text, style)`` runs, for drawing."""
        chars, styles = self.grid.chars[y], self.grid.styles[y]
        runs: list[tuple[str, CellStyle]] = []
        start = 0
        sid = styles[0]
        for x in range(1, len(styles)):
            if styles[x] != sid:
                runs.append(("".join(chars[start:x]), style_of(sid)))
                start, sid = x, styles[x]
        runs.append(("".join(chars[start:]), style_of(sid)))
        return runs

    def cell(self, y: int, x: int) -> tuple[str, CellStyle]:
        """One cell: its text (``""`` for the right half of a wide char) and style."""
        return self.grid.chars[y][x], style_of(self.grid.styles[y][x])
