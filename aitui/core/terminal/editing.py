"""Drawing text and the editing operations every control sequence is built from.

Text is written a run at a time: a run of width-1 characters becomes one slice assignment into
the row, so ``ls`` output costs a few list operations per line, not a method call per character.
Wrap follows xterm's DECAWM rules, including the pending-wrap state: writing the last column
leaves the cursor there with a flag, and only the next printable character wraps.
"""

from __future__ import annotations

from aitui.core.terminal.charwidth import char_width
from aitui.core.terminal.grid import Grid, row_to_entry
from aitui.core.terminal.state import SavedCursor, ScreenState
from aitui.core.terminal.style import blank_style

#: The most UTF-8 bytes a cell holds, as tmux (``UTF8_SIZE``): a base character and its combining
#: marks, or an emoji joined by ZWJs. A mark that would not fit is dropped, as tmux drops it:
#: ``e`` takes ten acute accents (1 + 10 x 2 bytes), ``中`` nine. Without a bound a million marks
#: made one cell a megabyte, and appending each was quadratic (``GET /screen`` took 20 s).
MAX_CELL_BYTES = 21


class EditingScreen(ScreenState):
    """Text, cursor motion, scrolling, erasing and buffer switching."""

    # ----------------------------------------------------------------------------- text
    def draw(self, text: str) -> None:
        """Write printable text at the cursor (no control characters in ``text``)."""
        if self.charset_table is not None:
            text = text.translate(self.charset_table)
        if text.isascii() and not self.joining:
            self.draw_narrow(text)
            return
        start = 0
        for i, ch in enumerate(text):
            w = char_width(ch)
            if w == 1 and not self.joining:
                continue
            if start < i:
                self.draw_narrow(text[start:i])
            start = i + 1
            if ch == "\u200d" and not self.joining:
                # tmux joins after a ZWJ only when it follows a wide character (an emoji);
                # after anything else the ZWJ is dropped. The next character joins (or, with
                # no room left in the cell, is dropped) even if the ZWJ had no room itself.
                if self.after_wide():
                    self.joining = True
                    self.combine(ch)
            elif w == 0 or self.joining:
                self.joining = False
                self.combine(ch)
            else:
                self.draw_wide(ch)
        if start < len(text):
            self.draw_narrow(text[start:])

    def wrap_line(self) -> None:
        """Resolve a pending wrap: mark the row as continued and move to the next line's start.

        This is the only way a row becomes part of a longer line (as in tmux, where only
        printing past the last column sets ``GRID_LINE_WRAPPED``), and the mark lasts only
        while the text that wrapped does: writing the row's last column again (below), or
        erasing it (``Grid.erase``), ends it. tmux keeps its mark then, so the rows a
        full-screen program redraws after a narrowing (which split its lines into marked
        rows) came back joined when the pane widened again (``load aveTasks:`` in ``top``);
        here they do not. ``tests/terminal/test_reflow_vs_tmux.py`` shows both."""
        self.grid.wrapped[self.y] = True
        self.x = 0
        self.index()

    def draw_narrow(self, text: str) -> None:
        """Write characters that are each one cell wide.

        As in tmux, writing the last column leaves ``x == cols`` (the pending-wrap state): the
        next character wraps, while LF/RI keep it and cursor motion clamps it back."""
        cols = self._cols
        autowrap = self.modes.autowrap
        grid = self.grid
        while text:
            overwrite = 0
            if self.x >= cols:
                if not autowrap:
                    return  # tmux drops what cannot fit
                self.wrap_line()
                # In insert mode tmux makes room before it wraps (past the edge: none), so the
                # first character on the new row overwrites; the rest are inserted.
                overwrite = 1
            x, y = self.x, self.y
            space = cols - x
            if len(text) <= space:
                chunk, text = text, ""
            elif autowrap:
                chunk, text = text[:space], text[space:]
            else:  # without autowrap the last column is overwritten again and again
                chunk, text = text[: space - 1] + text[-1], ""
            n = len(chunk)
            end = x + n
            if self.modes.insert and n > overwrite:
                grid.insert_cells(y, x + overwrite, n - overwrite, blank_style(self.pen))
            row = grid.chars[y]
            if x and row[x] == "":
                row[x - 1] = " "
            if end < cols and row[end] == "":
                row[end] = " "
            row[x:end] = chunk
            grid.styles[y][x:end] = [self.pen] * n
            if end == cols:
                grid.wrapped[y] = False  # rewritten to the edge: wrapped only if text goes on
            self.dirty.add(y)
            self.x = end if autowrap or end < cols else cols - 1
            self.last_char = chunk[-1]

    def draw_wide(self, ch: str) -> None:
        """Write one two-cell character; at the last column it wraps first (or is dropped
        when autowrap is off, as tmux does)."""
        cols = self._cols
        insert = self.modes.insert
        if self.x > cols - 2:
            if not self.modes.autowrap:
                return
            if insert and self.x < cols:  # tmux makes room before it wraps, then overwrites
                self.grid.insert_cells(self.y, self.x, 2, blank_style(self.pen))
            insert = False
            self.wrap_line()
        x, y, grid = self.x, self.y, self.grid
        if insert:
            grid.insert_cells(y, x, 2, blank_style(self.pen))
        grid.fix_edges(y, x, x + 2)
        grid.chars[y][x : x + 2] = [ch, ""]
        grid.styles[y][x : x + 2] = [self.pen, self.pen]
        if x + 2 == cols:
            grid.wrapped[y] = False
        self.dirty.add(y)
        self.x = x + 2 if self.modes.autowrap or x + 2 < cols else cols - 1
        self.last_char = ch

    def after_wide(self) -> bool:
        """Whether the cell before the cursor is the right half of a wide character."""
        x = self.x - 1
        return x > 0 and self.grid.chars[self.y][x] == ""

    def combine(self, ch: str) -> bool:
        """Append a zero-width character (combining mark, ZWJ, variation selector) to the
        cell before the cursor, if the cell has room for it (``MAX_CELL_BYTES``); returns
        whether it did. As in tmux, the character after a ZWJ joins the same cell too, so an
        emoji family takes the width of its first emoji."""
        x = self.x - 1
        y = self.y
        row = self.grid.chars[y]
        if x < 0:
            if y == 0 or not self.grid.wrapped[y - 1]:
                return False
            y -= 1
            row = self.grid.chars[y]
            x = self._cols - 1
        if row[x] == "" and x:
            x -= 1
        cell = row[x]
        if len(cell) > 4 and len(cell.encode()) + len(ch.encode()) > MAX_CELL_BYTES:
            return False  # (up to 5 code points always fit: 4 bytes at most each)
        row[x] = cell + ch
        self.dirty.add(y)
        return True

    # --------------------------------------------------------------------------- motion
    def index(self) -> None:
        """IND / LF: down one line, scrolling the region at its bottom margin."""
        if self.y == self.bottom:
            self.scroll_up(1)
        elif self.y < self._rows - 1:
            self.y += 1

    def reverse_index(self) -> None:
        """RI: up one line, scrolling the region down at its top margin."""
        if self.y == self.top:
            self.scroll_down(1)
        elif self.y > 0:
            self.y -= 1

    def scroll_up(self, n: int) -> None:
        """Scroll the region up; lines leaving a full-screen main buffer go to scrollback."""
        gone = self.grid.scroll_up(self.top, self.bottom, n, blank_style(self.pen))
        if self.top == 0 and self.bottom == self._rows - 1 and self.grid is self.main_grid:
            for chars, styles, wrapped in gone:
                self.scrollback.append(row_to_entry(chars, styles, wrapped), wrapped)
        self.mark_region()

    def scroll_down(self, n: int) -> None:
        """Scroll the region down (SD, RI at the top margin)."""
        self.grid.scroll_down(self.top, self.bottom, n, blank_style(self.pen))
        self.mark_region()

    def mark_region(self) -> None:
        """Flag the scroll region's rows as changed."""
        if self.top == 0 and self.bottom == self._rows - 1:
            self.all_dirty = True
        else:
            self.dirty.update(range(self.top, self.bottom + 1))

    def move_to(self, y: int, x: int) -> None:
        """Put the cursor at an absolute position, clamped, clearing any pending wrap."""
        self.y = min(max(y, 0), self._rows - 1)
        self.x = min(max(x, 0), self._cols - 1)

    def move_vertical(self, delta: int) -> None:
        """CUU/CUD: move, stopping at the margin when starting inside the region."""
        y = self.y + delta
        if delta < 0:
            y = max(y, self.top if self.y >= self.top else 0)
        else:
            y = min(y, self.bottom if self.y <= self.bottom else self._rows - 1)
        self.move_to(y, self.x)

    def tab(self, count: int = 1) -> None:
        """HT / CHT: to the next tab stop (or the last column)."""
        x = self.x
        if x >= self._cols:
            return
        for _ in range(max(1, count)):
            x += 1
            while x < self._cols - 1 and not self.tabstops[x]:
                x += 1
        self.x = min(x, self._cols - 1)

    def back_tab(self, count: int = 1) -> None:
        """CBT: to the previous tab stop (or column 0)."""
        x = self.x
        for _ in range(max(1, count)):
            x -= 1
            while x > 0 and not self.tabstops[x]:
                x -= 1
        self.move_to(self.y, max(0, x))

    # ---------------------------------------------------------------------- erase & edit
    def erase_display(self, how: int) -> None:
        """ED 0 (to end), 1 (to cursor), 2 (all), 3 (scrollback)."""
        sid = blank_style(self.pen)
        grid = self.grid
        if how == 0:
            grid.erase(self.y, self.x, self._cols, sid)
            for y in range(self.y + 1, self._rows):
                grid.clear_row(y, sid)
            self.dirty.update(range(self.y, self._rows))
        elif how == 1:
            grid.erase(self.y, 0, self.x + 1, sid)
            for y in range(self.y):
                grid.clear_row(y, sid)
            self.dirty.update(range(self.y + 1))
        elif how == 2:
            if grid is self.main_grid:
                self.save_screen_to_scrollback()
            for y in range(self._rows):
                grid.clear_row(y, sid)
            self.all_dirty = True
        elif how == 3:
            self.scrollback.clear()

    def save_screen_to_scrollback(self) -> None:
        """Before clearing the main screen, keep its lines (tmux's ``scroll-on-clear``)."""
        grid = self.grid
        last = self._rows - 1
        while last >= 0 and grid.is_blank(last):
            last -= 1
        for y in range(last + 1):
            wrapped = grid.wrapped[y] and y < last
            self.scrollback.append(row_to_entry(grid.chars[y], grid.styles[y], wrapped), wrapped)
        self.scrollback.forget_scrolled()

    def erase_line(self, how: int) -> None:
        """EL 0 (to end), 1 (to cursor), 2 (whole line)."""
        sid = blank_style(self.pen)
        if how == 0:
            self.grid.erase(self.y, self.x, self._cols, sid)
        elif how == 1:
            self.grid.erase(self.y, 0, self.x + 1, sid)
        elif how == 2:
            self.grid.erase(self.y, 0, self._cols, sid)
        self.dirty.add(self.y)

    def insert_lines(self, n: int) -> None:
        """IL at the cursor row, within the region; the cursor does not move."""
        if not self.top <= self.y <= self.bottom:
            self._insert_lines_outside_region(n)
            return
        self.grid.scroll_down(self.y, self.bottom, n, blank_style(self.pen))
        self.dirty.update(range(self.y, self.bottom + 1))

    def _insert_lines_outside_region(self, n: int) -> None:
        """IL with the cursor outside the region, exactly as tmux does it (the reference):
        the rows that still fit move down to the bottom and only the rows they left are
        blanked, so inserting more lines than half the rows below leaves some rows as they
        were, and inserting as many as there are rows below changes nothing."""
        grid, y, rows = self.grid, self.y, self._rows
        n = min(n, rows - y)
        count = rows - y - n
        if count <= 0:
            return
        grid.chars[y + n : rows] = grid.chars[y : y + count]
        grid.styles[y + n : rows] = grid.styles[y : y + count]
        grid.wrapped[y + n : rows] = grid.wrapped[y : y + count]
        sid = blank_style(self.pen)
        for row in range(y, y + min(count, n)):
            grid.chars[row] = [" "] * grid.cols
            grid.styles[row] = [sid] * grid.cols
            grid.wrapped[row] = False
        self.dirty.update(range(y, rows))

    def delete_lines(self, n: int) -> None:
        """DL at the cursor row; the same bounds as :meth:`insert_lines`."""
        bottom = self.bottom if self.top <= self.y <= self.bottom else self._rows - 1
        self.grid.scroll_up(self.y, bottom, n, blank_style(self.pen))
        self.dirty.update(range(self.y, bottom + 1))

    # ------------------------------------------------------------------- cursor & buffers
    def save_cursor(self) -> SavedCursor:
        """The cursor state as DECSC saves it."""
        return SavedCursor(
            self.x,
            self.y,
            self.pen,
            self.modes.origin,
            self.g0,
            self.g1,
            self.shift,
        )

    def restore_cursor(self, saved: SavedCursor) -> None:
        """Apply a saved cursor state (clamped to the current size)."""
        self.move_to(saved.y, saved.x)
        self.pen = saved.pen
        self.modes.origin = saved.origin
        self.g0, self.g1, self.shift = saved.g0, saved.g1, saved.shift
        self.update_charset()

    def enter_alternate(self, save_cursor: bool) -> None:
        """Switch to a fresh, cleared alternate buffer (as tmux does for 47, 1047 and 1049)."""
        if self.grid is not self.main_grid:
            return
        if save_cursor:
            self.alt_saved = self.save_cursor()
        self.grid = Grid(self._rows, self._cols)
        self.set_mode("alternate_screen", True)
        self.set_mode("kitty_keyboard", self.keyboard.current(True))
        self.all_dirty = True

    def leave_alternate(self, restore_cursor: bool) -> None:
        """Back to the main buffer, which kept its contents; 1049 also restores the cursor."""
        if self.grid is self.main_grid:
            return
        self.grid = self.main_grid
        if restore_cursor and self.alt_saved is not None:
            self.restore_cursor(self.alt_saved)
        self.alt_saved = None
        self.set_mode("alternate_screen", False)
        self.set_mode("kitty_keyboard", self.keyboard.current(False))
        self.all_dirty = True
