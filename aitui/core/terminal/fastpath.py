"""The fast path for output that scrolls: whole lines of text and colours ending in CR LF.

When a program streams lines (``ls -lR``, logs, ``cat``), the screen is at its bottom row and
every line scrolls the one before it off. Only the last screenful will ever be seen as cells;
everything before goes straight to scrollback. So a run of such lines is cut with one regex
match and one ``split``, each line becomes a compact scrollback entry (text + style runs), and
only the lines that end up on the screen are materialised into cells. The result is exactly
what the general path would produce (the tests compare the two); any line that needs more than
printable ASCII and SGR (tabs, wide characters, cursor motion...) leaves it to the general path.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aitui.core.terminal.grid import row_to_entry
from aitui.core.terminal.scrollback import Entry
from aitui.core.terminal.style import apply_sgr, blank_style

if TYPE_CHECKING:
    from aitui.core.terminal.editing import EditingScreen

#: One or more lines of printable ASCII and SGR sequences, each ending in CR LF.
LINES = re.compile(r"(?:(?:[\x20-\x7e]++|\x1b\[[0-9;]*+m)*+\r\n)+")  # possessive: no backtracking
_SGR = re.compile(r"\x1b\[([0-9;]*)m")

#: Below this many characters the general path is as fast.
MIN_BLOCK = 256


def can_stream(s: EditingScreen) -> bool:
    """Whether the screen is in the state the fast path assumes: cursor at the start of a blank
    bottom row of a full-screen main buffer, plain modes, an erase colour of the default."""
    return (
        s.x == 0
        and s.y == s.bottom == s.rows - 1
        and s.top == 0
        and s.grid is s.main_grid
        and s.charset_table is None
        and s.modes.autowrap
        and not s.modes.insert
        and not s.joining
        and blank_style(s.pen) == 0
        and s.grid.is_blank(s.y)
    )


def _line_rows(line: str, pen: int, cols: int) -> tuple[list[tuple[str, list[int]]], int]:
    """Split one line into rows of ``(text, flat runs)``; returns them and the pen after."""
    if "\x1b" not in line:
        text = line
        runs = [len(line), pen] if line else []
    else:
        pieces = _SGR.split(line)
        texts: list[str] = []
        runs = []
        for i, piece in enumerate(pieces):
            if i % 2:
                pen = apply_sgr(pen, piece)
            elif piece:
                texts.append(piece)
                if runs and runs[-1] == pen:
                    runs[-2] += len(piece)
                else:
                    runs += (len(piece), pen)
        text = "".join(texts)
    if len(text) <= cols:
        return [(text, runs)], pen
    rows: list[tuple[str, list[int]]] = []
    for start in range(0, len(text), cols):
        rows.append((text[start : start + cols], _slice_runs(runs, start, start + cols)))
    return rows, pen


def _slice_runs(runs: list[int], start: int, end: int) -> list[int]:
    out: list[int] = []
    pos = 0
    for i in range(0, len(runs), 2):
        n, sid = runs[i], runs[i + 1]
        lo, hi = max(pos, start), min(pos + n, end)
        if lo < hi:
            out += (hi - lo, sid)
        pos += n
    return out


def _entry(text: str, runs: list[int]) -> Entry:
    """The scrollback entry of a row holding ``text`` on a default blank row."""
    if not runs or (len(runs) == 2 and runs[1] == 0):
        return text.rstrip(" ")
    if runs[-1] == 0:  # default-styled trailing blanks are not kept
        stripped = text.rstrip(" ")
        cut = len(text) - len(stripped)
        if cut:
            runs = runs[:]
            runs[-2] -= cut
            if runs[-2] <= 0:
                del runs[-2:]
            text = stripped
    if all(runs[i] == 0 for i in range(1, len(runs), 2)):
        return text
    return (text, tuple(runs))


def stream_lines(s: EditingScreen, text: str, pos: int) -> int:
    """Consume whole lines from ``text[pos:]`` if the fast path applies; returns the new
    position (``pos`` when it did not apply)."""
    m = LINES.match(text, pos)
    if m is None or m.end() - pos < MIN_BLOCK:
        return pos
    cols, rows = s.cols, s.rows
    lines = m.group().split("\r\n")
    lines.pop()  # after the last CR LF
    new_rows: list[tuple[str, list[int]]] = []
    continued: list[bool] = []  # per new row: whether its line goes on in the next row
    pen = s.pen
    consumed = pos
    for line in lines:
        line_rows, end_pen = _line_rows(line, pen, cols)
        if blank_style(end_pen) != 0:
            break  # the next row would be erased in a colour: leave it to the general path
        new_rows += line_rows
        continued += [True] * (len(line_rows) - 1)
        continued.append(False)
        pen = end_pen
        consumed += len(line) + 2
    if not new_rows:
        return pos
    grid, sb = s.grid, s.scrollback
    keep_old = max(0, rows - 1 - len(new_rows))  # old rows still on screen, moved up
    gone_old = rows - 1 - keep_old
    for y in range(gone_old):
        sb.append(row_to_entry(grid.chars[y], grid.styles[y]))
    on_screen = rows - 1 - keep_old
    if len(new_rows) > on_screen:
        sb.extend([_entry(t, r) for t, r in new_rows[: len(new_rows) - on_screen]])
    chars = grid.chars[gone_old : rows - 1]
    styles = grid.styles[gone_old : rows - 1]
    wrapped = grid.wrapped[gone_old : rows - 1]
    first = len(new_rows) - on_screen
    wrapped += continued[first:]
    for text_row, runs in new_rows[first:]:
        pad = cols - len(text_row)
        chars.append(list(text_row) + [" "] * pad if pad else list(text_row))
        row_styles: list[int] = []
        for i in range(0, len(runs), 2):
            row_styles += [runs[i + 1]] * runs[i]
        styles.append(row_styles + [0] * pad)
    chars.append([" "] * cols)
    styles.append([0] * cols)
    wrapped.append(False)
    grid.chars, grid.styles, grid.wrapped = chars, styles, wrapped
    s.pen = pen
    last = next((t for t, _ in reversed(new_rows) if t), "")
    if last:
        s.last_char = last[-1]
    s.all_dirty = True
    return consumed
