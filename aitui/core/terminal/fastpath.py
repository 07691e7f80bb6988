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
from aitui.core.terminal.parser import CACHEABLE
from aitui.core.terminal.scrollback import Entry
from aitui.core.terminal.style import apply_sgr, blank_style

if TYPE_CHECKING:
    from aitui.core.terminal.editing import EditingScreen

#: One or more lines of printable ASCII and SGR sequences, each ending in CR LF (possessive: no
#: backtracking). An SGR longer than ``CACHEABLE`` ends the block: the general path decides
#: what an over-long one does.
LINES = re.compile(rf"(?:(?:[\x20-\x7e]++|\x1b\[[0-9;]{{0,{CACHEABLE - 3}}}+m)*+\r\n)+")
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


def _parse(line: str, pen: int) -> tuple[str, list[int], int]:
    """A line with SGR sequences: its text, flat (length, style) runs and the pen after it."""
    pieces = _SGR.split(line)
    texts: list[str] = []
    runs: list[int] = []
    for i, piece in enumerate(pieces):
        if i % 2:
            pen = apply_sgr(pen, piece)
        elif piece:
            texts.append(piece)
            if runs and runs[-1] == pen:
                runs[-2] += len(piece)
            else:
                runs += (len(piece), pen)
    return "".join(texts), runs, pen


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


def _entry(text: str, runs: list[int], wrapped: bool = False) -> Entry:
    """The scrollback entry of a default blank row with ``text`` written over it. A row that
    ``wrapped`` onto the next keeps its trailing blanks: they were written, and re-wrapping
    joins the line from the rows' full text (as ``row_to_entry`` keeps them)."""
    if not runs or (len(runs) == 2 and runs[1] == 0):
        return text if wrapped else text.rstrip(" ")
    if runs[-1] == 0 and not wrapped:  # default-styled trailing blanks are not kept
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


def _cells(entry: Entry, cols: int) -> tuple[list[str], list[int]]:
    """An ASCII entry back into ``cols`` cells."""
    if isinstance(entry, str):
        return list(entry) + [" "] * (cols - len(entry)), [0] * cols
    text, flat = entry
    styles: list[int] = []
    for i in range(0, len(flat), 2):
        styles += [flat[i + 1]] * flat[i]
    pad = cols - len(text)
    return list(text) + [" "] * pad, styles + [0] * pad


def stream_lines(s: EditingScreen, text: str, pos: int) -> int:
    """Consume whole lines from ``text[pos:]`` if the fast path applies; returns the new
    position (``pos`` when it did not apply)."""
    m = LINES.match(text, pos)
    if m is None or m.end() - pos < MIN_BLOCK:
        return pos
    cols, rows = s.cols, s.rows
    lines = m.group().split("\r\n")
    lines.pop()  # after the last CR LF
    entries: list[Entry] = []  # one per row the lines take, oldest first
    continued: list[bool] = []  # per row: whether its line goes on in the next row
    pen = s.pen
    consumed = pos
    for line in lines:
        if "\x1b" not in line:
            if len(line) <= cols:
                entries.append(line.rstrip(" ") if pen == 0 else _entry(line, [len(line), pen]))
                continued.append(False)
                consumed += len(line) + 2
                continue
            line_text, runs = line, [len(line), pen]
        else:
            line_text, runs, end_pen = _parse(line, pen)
            if end_pen != pen:
                if blank_style(end_pen) != 0:
                    break  # the next row would be erased in a colour: leave it to the general path
                pen = end_pen
        if len(line_text) <= cols:
            entries.append(_entry(line_text, runs))
            continued.append(False)
        else:
            for start in range(0, len(line_text), cols):
                piece = line_text[start : start + cols]
                more = start + cols < len(line_text)
                entries.append(_entry(piece, _slice_runs(runs, start, start + cols), more))
                continued.append(True)
            continued[-1] = False
        consumed += len(line) + 2
    if not entries:
        return pos
    grid, sb = s.grid, s.scrollback
    on_screen = min(len(entries), rows - 1)  # new rows that stay visible (above the cursor)
    gone_old = on_screen  # old rows pushed off the top, oldest first
    old = [row_to_entry(grid.chars[y], grid.styles[y], grid.wrapped[y]) for y in range(gone_old)]
    leaving = len(entries) - on_screen
    flags = None  # which of them wrapped: rarely any, so the list is built only then
    if True in continued or True in grid.wrapped:
        flags = grid.wrapped[:gone_old] + continued[:leaving]
    sb.extend(old + entries[:leaving], flags)
    chars = grid.chars[gone_old : rows - 1]
    styles = grid.styles[gone_old : rows - 1]
    wrapped = grid.wrapped[gone_old : rows - 1] + continued[len(entries) - on_screen :]
    for entry in entries[len(entries) - on_screen :]:
        row_chars, row_styles = _cells(entry, cols)
        chars.append(row_chars)
        styles.append(row_styles)
    chars.append([" "] * cols)
    styles.append([0] * cols)
    wrapped.append(False)
    grid.chars, grid.styles, grid.wrapped = chars, styles, wrapped
    s.pen = pen
    s.last_char = ""  # the block ended with CR LF
    s.all_dirty = True
    return consumed
