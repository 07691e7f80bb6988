"""The visible cells of one screen buffer (main or alternate).

Each row is two parallel lists, ``chars[y]`` (one string per cell) and ``styles[y]`` (one style id
per cell), rather than a list of cell objects: writing a run of text is a single slice
assignment (``chars[y][x:x + n] = text``), done in C. A cell's string is ``" "`` when blank, a
character plus any combining marks, or ``""`` for the right half of a wide character. Rows that
scroll off are turned into compact scrollback entries by :func:`row_to_entry`.
"""

from __future__ import annotations

from aitui.core.terminal.charwidth import char_width
from aitui.core.terminal.scrollback import Entry


def row_to_entry(chars: list[str], styles: list[int], wrapped: bool = False) -> Entry:
    """A row as scrollback stores it: text with trailing default blanks stripped (unless the
    row ``wrapped`` onto the next, where they are part of the line), plus runs."""
    if styles.count(0) == len(styles):
        return "".join(chars) if wrapped else "".join(chars).rstrip(" ")
    end = len(chars)
    while end and not wrapped and chars[end - 1] == " " and styles[end - 1] == 0:
        end -= 1
    text = "".join(chars[:end])
    flat: list[int] = []
    run_sid = styles[0] if end else 0
    run_len = 0
    for x in range(end):
        sid = styles[x]
        if sid != run_sid:
            if run_len:
                flat += (run_len, run_sid)
            run_sid, run_len = sid, 0
        run_len += len(chars[x])
    if run_len:
        flat += (run_len, run_sid)
    if not flat or (len(flat) == 2 and flat[1] == 0):
        return text
    return (text, tuple(flat))


def entry_cells(entry: Entry) -> tuple[list[str], list[int]]:
    """A scrollback entry's cells, as many as it has."""
    flat: tuple[int, ...]
    if isinstance(entry, str):
        text, flat = entry, (len(entry), 0)
    else:
        text, flat = entry
    chars: list[str] = []
    styles: list[int] = []
    pos = 0
    for i in range(0, len(flat), 2):
        for ch in text[pos : pos + flat[i]]:
            w = char_width(ch)
            if w == 0 and chars:
                chars[-1 if chars[-1] else -2] += ch
                continue
            chars.append(ch)
            styles.append(flat[i + 1])
            if w == 2:
                chars.append("")
                styles.append(flat[i + 1])
        pos += flat[i]
    return chars, styles


class Grid:
    """``rows`` x ``cols`` cells plus, per row, whether it wrapped onto the next one."""

    __slots__ = ("chars", "cols", "rows", "styles", "wrapped")

    def __init__(self, rows: int, cols: int) -> None:
        self.rows = rows
        self.cols = cols
        self.chars = [[" "] * cols for _ in range(rows)]
        self.styles = [[0] * cols for _ in range(rows)]
        self.wrapped = [False] * rows

    def clear_row(self, y: int, sid: int) -> None:
        """Blank row ``y`` with background style ``sid``; a line that wrapped onto it ends
        above it now."""
        self.chars[y] = [" "] * self.cols
        self.styles[y] = [sid] * self.cols
        self.wrapped[y] = False
        if y:
            self.wrapped[y - 1] = False

    def fix_edges(self, y: int, x0: int, x1: int) -> None:
        """Before cells ``[x0, x1)`` are overwritten: blank the halves of wide characters that
        straddle either edge, so no half character is left behind."""
        row = self.chars[y]
        if 0 < x0 < self.cols and row[x0] == "":
            row[x0 - 1] = " "
        if x1 < self.cols and row[x1] == "":
            row[x1] = " "

    def erase(self, y: int, x0: int, x1: int, sid: int) -> None:
        """Blank cells ``[x0, x1)`` of row ``y``. Erasing the last column ends the row's line
        (its text no longer runs on to the next row); erasing the whole row ends the line that
        wrapped onto it."""
        x0, x1 = max(0, x0), min(self.cols, x1)
        if x0 >= x1:
            return
        self.fix_edges(y, x0, x1)
        self.chars[y][x0:x1] = [" "] * (x1 - x0)
        self.styles[y][x0:x1] = [sid] * (x1 - x0)
        if x1 == self.cols:
            self.wrapped[y] = False
            if x0 == 0 and y:
                self.wrapped[y - 1] = False

    def insert_cells(self, y: int, x: int, n: int, sid: int) -> None:
        """ICH: shift cells from ``x`` right by ``n``; cells pushed past the edge are lost."""
        cols = self.cols
        n = min(n, cols - x)
        if n <= 0:
            return
        row, st = self.chars[y], self.styles[y]
        self.fix_edges(y, x, x)
        if row[cols - n] == "":  # a wide char loses its right half off the edge
            row[cols - n - 1] = " "
        row[x:x] = [" "] * n
        st[x:x] = [sid] * n
        del row[cols:], st[cols:]

    def delete_cells(self, y: int, x: int, n: int, sid: int) -> None:
        """DCH: remove ``n`` cells at ``x``, pulling the rest left and blanking the end."""
        cols = self.cols
        n = min(n, cols - x)
        if n <= 0:
            return
        self.fix_edges(y, x, x + n)
        row, st = self.chars[y], self.styles[y]
        del row[x : x + n], st[x : x + n]
        row += [" "] * n
        st += [sid] * n

    def scroll_up(
        self, top: int, bottom: int, n: int, sid: int
    ) -> list[tuple[list[str], list[int], bool]]:
        """Move rows ``top..bottom`` up by ``n``; returns the rows that left the region (cells
        and whether each wrapped onto the next)."""
        n = min(n, bottom - top + 1)
        chars, styles, wrapped = self.chars, self.styles, self.wrapped
        gone = [(chars[y], styles[y], wrapped[y]) for y in range(top, top + n)]
        del chars[top : top + n], styles[top : top + n], wrapped[top : top + n]
        cols = self.cols
        at = bottom - n + 1
        chars[at:at] = [[" "] * cols for _ in range(n)]
        styles[at:at] = [[sid] * cols for _ in range(n)]
        wrapped[at:at] = [False] * n
        return gone

    def scroll_down(self, top: int, bottom: int, n: int, sid: int) -> None:
        """Move rows ``top..bottom`` down by ``n``, blank rows appearing at ``top``."""
        n = min(n, bottom - top + 1)
        chars, styles, wrapped = self.chars, self.styles, self.wrapped
        del chars[bottom - n + 1 : bottom + 1], styles[bottom - n + 1 : bottom + 1]
        del wrapped[bottom - n + 1 : bottom + 1]
        cols = self.cols
        chars[top:top] = [[" "] * cols for _ in range(n)]
        styles[top:top] = [[sid] * cols for _ in range(n)]
        wrapped[top:top] = [False] * n

    def resize_cols(self, cols: int) -> None:
        """Cut or pad every row to ``cols`` cells (no reflow), never leaving half a wide char."""
        for y in range(self.rows):
            row, st = self.chars[y], self.styles[y]
            if cols < self.cols:
                del row[cols:], st[cols:]
                if row and row[-1] and char_width(row[-1][0]) == 2:
                    row[-1] = " "
            else:
                row += [" "] * (cols - self.cols)
                st += [0] * (cols - self.cols)
        self.cols = cols

    def is_blank(self, y: int) -> bool:
        """Whether row ``y`` shows nothing (all default blanks)."""
        return self.chars[y].count(" ") == self.cols and self.styles[y].count(0) == self.cols
