"""Re-wrap the main screen's lines at a new width, as tmux does when a pane is resized.

Without it, narrowing a pane (the dashboard's grid view does, for every session) cut every row
at the new width, and widening it again could not bring the cut text back. A line a program
wrote is kept whole instead: the rows it wrapped onto (``Grid.wrapped``, and the scrollback's
record of the same) are joined and split again at the new width, the cursor keeps its place in
its line, and the screen shows the last rows (rows pushed off the top go to the scrollback, a
wider screen brings lines back from it, joined). ``tests/terminal/test_reflow_vs_tmux.py``
compares the result with tmux after each of several resizes.

Not done as tmux does: lines deeper in the scrollback keep the rows they had when they scrolled
off until a resize brings them back; the cells do not record whether a blank was written, so a
space a program wrote at the end of a line, or just before a wide character that moved to the
next row, is taken for an unwritten blank; the alternate screen is cut, not re-wrapped (tmux
does not re-wrap it either, but keeps the cells a narrowing hid and shows them again when the
pane widens; full-screen programs redraw on SIGWINCH anyway); a row's wrap mark ends when a
program rewrites the row to its edge or erases the edge (``EditingScreen.wrap_line``), where
tmux keeps it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from aitui.core.terminal.grid import Grid


@dataclass
class Line:
    """One logical line: its cells across every row it wrapped onto."""

    chars: list[str] = field(default_factory=list)
    styles: list[int] = field(default_factory=list)


def reflow(grid: Grid, cols: int, cy: int, cx: int, head: Line | None = None) -> tuple[int, int]:
    """Re-wrap ``grid`` at ``cols`` columns; return the cursor's new ``(row, column)``.

    ``head``: cells that come before the top row in the same line (scrollback lines that
    wrapped onto it); they become the first rows. ``cx`` may equal the old width (a pending
    wrap); the returned column may equal ``cols`` for the same state. Every row is kept (a
    blank one is an empty line), so ``grid.rows`` becomes the number of rows the lines need at
    the new width: the caller fits them to the height, from the bottom, as tmux does.
    """
    lines, cursor_line, offset = _logical_lines(grid, cy, cx)
    if head is not None:
        lines[0] = Line(head.chars + lines[0].chars, head.styles + lines[0].styles)
        if cursor_line == 0:
            offset += len(head.chars)
    chars: list[list[str]] = []
    styles: list[list[int]] = []
    wrapped: list[bool] = []
    ny = nx = 0
    for index, line in enumerate(lines):
        first = len(chars)
        starts = split_line(line, cols, chars, styles, wrapped)
        if index == cursor_line:
            ny, nx = _place_cursor(offset, cols, first, starts, chars)
    grid.chars, grid.styles, grid.wrapped = chars, styles, wrapped
    grid.cols, grid.rows = cols, len(chars)
    return ny, nx


def _logical_lines(grid: Grid, cy: int, cx: int) -> tuple[list[Line], int, int]:
    """The lines of every row, the index of the cursor's line and the cursor's offset in it
    (in cells)."""
    last = grid.rows - 1
    lines: list[Line] = []
    cursor_line = offset = 0
    chain: list[tuple[list[str], list[int]]] = []  # the rows of the line being read
    for y in range(last + 1):
        row = (grid.chars[y], grid.styles[y])
        if y == cy:
            cursor_line = len(lines)
            offset = len(join_rows(chain, row[0]).chars) + min(cx, grid.cols)
        chain.append(row)
        if not (grid.wrapped[y] and y < last):
            line = join_rows(chain, [])
            _trim(line)
            lines.append(line)
            chain = []
    return lines, cursor_line, offset


def pushed_wide_char(chars: list[str], styles: list[int], after: list[str]) -> bool:
    """Whether a wrapped row ends with the blank left when the wide character that starts
    the next row (``after``) did not fit (a written space there is taken for one too)."""
    return (
        bool(chars) and chars[-1] == " " and styles[-1] == 0 and len(after) > 1 and after[1] == ""
    )


def _trim(line: Line) -> None:
    """Drop trailing default blanks (the cursor's offset is kept separately)."""
    end = len(line.chars)
    while end and line.chars[end - 1] == " " and line.styles[end - 1] == 0:
        end -= 1
    del line.chars[end:], line.styles[end:]


def join_rows(rows: list[tuple[list[str], list[int]]], after: list[str]) -> Line:
    """Rows that wrapped onto one another as one line (``after``: the row that follows the
    last, to tell a pushed wide character's blank from a written space)."""
    line = Line()
    if not rows:
        return line
    for (chars, styles), (following, _) in zip(rows, [*rows[1:], (after, [])], strict=True):
        if pushed_wide_char(chars, styles, following):
            chars, styles = chars[:-1], styles[:-1]
        line.chars += chars
        line.styles += styles
    return line


def split_line(
    line: Line,
    cols: int,
    chars: list[list[str]],
    styles: list[list[int]],
    wrapped: list[bool],
) -> list[int]:
    """Append ``line``'s rows at ``cols`` columns, never splitting a wide character; return
    the offset in the line at which each row starts."""
    starts: list[int] = []
    pos, size = 0, len(line.chars)
    while True:
        starts.append(pos)
        end = pos + cols
        if end < size and line.chars[end] == "":
            end -= 1  # the wide character at end-1 moves to the next row
        row_chars = line.chars[pos:end]
        row_styles = line.styles[pos:end]
        pad = cols - len(row_chars)
        chars.append(row_chars + [" "] * pad)
        styles.append(row_styles + [0] * pad)
        wrapped.append(True)
        pos = end
        if pos >= size:
            break
    wrapped[-1] = False
    return starts


def _place_cursor(
    offset: int, cols: int, first: int, starts: list[int], chars: list[list[str]]
) -> tuple[int, int]:
    """The cursor's row and column for ``offset`` cells into the line whose rows start at
    ``first``. Past the end of the line's last row it stays on that row, at most one column
    past the edge (a pending wrap), as tmux puts it."""
    row = bisect_right(starts, offset) - 1
    x = min(offset - starts[row], cols)
    row += first
    if 0 < x < cols and chars[row][x] == "":  # never on the right half of a wide character
        x -= 1
    return row, x
