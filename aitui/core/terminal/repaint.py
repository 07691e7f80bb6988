"""The fast path for full-screen repaints: a row painted in place per regex match.

A full-screen program (htop, top, vim, an Ink UI) redraws by moving the cursor to a row (CUP,
VPA, or CR LF onto the next row; a program that writes CR LF itself reaches the screen as CR CR
LF, the PTY adding a CR to each LF), writing printable text in a few colours and erasing what is
left (EL). The general path pays a loop turn per text run and per sequence, about fifteen per
row of an htop-like table; here one match takes the row (its first ``PAIRS`` SGRs captured one
by one), and the row is written with one slice assignment for its characters and one for its
styles, or built anew when it is written from column 0 to an erase. What a row's SGRs and
texts make of the style ids (the "plan") is cached by starting pen, the SGRs and where the
texts are (the row with its text masked: lengths, not contents, decide the styles), so a
program that redraws the same layout with new numbers parses each SGR once.

A row written whole exactly as it was written there last time (the same pen, text and SGRs,
as most rows of an Ink UI's frame are at every spinner tick) is not worked out again: the
screen keeps, per row, the last whole paint and what it wrote (``paint_memo``, one more copy
of the grid at most), and the row's cells are compared with that and copied when they differ.
That took a 41-row Ink frame from ~175 to ~90 µs (the regex match alone is ~55), measured.
What it keeps is the row's text and the plan's style ids (no list writes into a plan's), the
cells' list made only when the paint repeats: a program whose rows never repeat (a table of
changing numbers) paid 5% of its instructions copying every row for the memo.

A row painted whole is written into the grid when the call ends (or when a partial write
needs the row), not at each paint: 64 KB of an htop-like stream paints each row about twenty
times, so the cells' and styles' lists are built once, not twenty times (-16% of the
instructions, measured). A PTY read cuts a row: the next piece's text, SGRs and erase at the
cursor are taken as its rest (``REST``), not left to the general path.

The result is exactly what the general path would produce (``test_terminal_repaint.py``
compares the two on generated input, cut anywhere): a row whose text would run past the last
column, a line feed that would scroll, and any state the path does not model (insert mode, a
DEC graphics charset or another G0, a pending ZWJ) leave the rest to the general path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from aitui.core.terminal.paint_plans import (
    MOVES,
    PAINT_PLANS,
    SGR,
    TARGETS,
    cup_move,
    make_plan,
    pen_after,
    sgr_bodies,
    target,
)
from aitui.core.terminal.parser import CACHEABLE
from aitui.core.terminal.style import blank_style

if TYPE_CHECKING:
    from aitui.core.terminal.editing import EditingScreen

#: An SGR, maybe after the ``ESC ( B`` that ncurses puts before each reset (with G0 already
#: ASCII, as ``can_paint`` requires, designating it again changes nothing).
_SGR_BODY = rf"\x1b(?:\[|\(B\x1b\[)[0-9;:]{{0,{CACHEABLE - 3}}}+m"  # (faster than "(?:...)?")
_TEXT = r"[\x20-\x7e]*+"
#: SGR and text pairs a row's match captures one by one (more go to one group, split after).
PAIRS = 6
_MOVE = (  # one group: a CUP's or VPA's parameters and final, empty for CR LF
    r"(?:\x1b\[([0-9;]{0,32}[Hf]"  # CUP (or HVP)
    r"|[0-9]{0,16}d)"  # VPA: to a row, in the same column
    r"|\r++\n)"  # CR LF onto the next row (CR CR LF too: a program's own CR LF, through ONLCR)
)
_PAINT = (
    rf"(({_TEXT})"  # the row's text and SGRs, whole, then one by one: text,
    + rf"(?:\x1b(?:\[|\(B\x1b\[)([0-9;:]{{0,{CACHEABLE - 3}}}+m)({_TEXT}))?+" * PAIRS  # SGR, text,
    + rf"((?:{_SGR_BODY}{_TEXT})*+))"  # and the rest
    + rf"(\x1b\[0?K((?:{_SGR_BODY})*+))?+"  # erase to the end of the row, then SGR
)
#: One painted row: how the cursor gets to it, its text and SGRs, the EL and any SGRs after.
ROW = re.compile(_MOVE + _PAINT)
#: The rest of a row that the last piece of output cut (the cursor is where that part ended):
#: the same groups, the move's empty.
REST = re.compile(r"()" + _PAINT)
_T0 = 2  # the first text's index in ``groups()``
_TEXTS = slice(_T0, _T0 + 2 * PAIRS + 1, 2)
_SGRS = slice(_T0 + 1, _T0 + 2 * PAIRS, 2)
if PAIRS != 6 or ROW.groups != 18:  # ``paint_rows`` names the groups by number (a global
    # index costs a lookup and an addition a row): 0 the move, 1 the body, 2 its first text, 3
    # to 13 the SGRs one by one (the plan key), 15 the rest, 16 the erase, 17 the SGRs after
    raise RuntimeError("repaint: the row's groups changed; update their numbers in paint_rows")
#: Printable ASCII to "x", ESC kept: a row's text and SGRs with this applied, beside its SGRs,
#: say where each text begins and ends (hashing it is cheaper than a tuple of lengths).
_SHAPE = bytes(range(256)).replace(bytes(range(0x20, 0x7F)), b"x" * 95)
#: Where the general path stops to let this one try again: the next CUP or VPA (an ``ESC [``
#: always begins a sequence, so the text before it is split as the whole would be).
NEXT_ROW = re.compile(r"\x1b\[(?:[0-9;]{0,32}[Hf]|[0-9]{0,16}d)")


def can_paint(s: EditingScreen) -> bool:
    """Whether the screen is in a state the fast path models: text is written as it comes
    (no insert mode, no DEC graphics translation, no ZWJ waiting to join) and G0 is ASCII."""
    return s.charset_table is None and s.g0 == "B" and not s.modes.insert and not s.joining


def _write(
    chars: list[list[str]],
    styles: list[list[int]],
    dirty_add: Callable[[int], None],
    cols: int,
    y: int,
    cells: str | list[str],
    row_styles: list[int],
) -> None:
    """Row ``y`` painted whole: ``cells`` (its text, or the cells a repeated paint keeps) and
    ``row_styles`` (a plan's or a memo's, never written into: the row gets copies)."""
    if isinstance(cells, str):
        chars[y] = [*cells.ljust(cols)]  # (cheaper than [*cells, *blanks[n:]])
        styles[y] = row_styles[:]
        dirty_add(y)
    elif chars[y] != cells or styles[y] != row_styles:  # (an Ink frame's unchanged rows)
        chars[y] = cells[:]
        styles[y] = row_styles[:]
        dirty_add(y)


def paint_rows(s: EditingScreen, text: str, pos: int, resume: bool = False) -> int:
    """Consume painted rows from ``text[pos:]``; returns the new position (``pos`` when the
    first row is not one this path takes). With ``resume`` (the last piece of output ended
    inside a row this path took, ``s.paint_open``), text, SGRs and an erase at the cursor are
    taken as the rest of that row: what they do there does not depend on how the cursor got
    there, so this is exact whatever came before (the general path would otherwise take the
    rest of every row a PTY read cuts, ~9% more instructions in 4 KB pieces, measured)."""
    m = ROW.match(text, pos)
    stay = False  # the first match is the rest of a row: no move
    if m is None:
        if not resume or s.x >= s.cols:  # (a pending wrap: the general path's)
            return pos
        m = REST.match(text, pos)
        if m is None or m.end() == pos:
            return pos
        stay = True
    # The rows after it: each match anchored where the last ended, with no arguments to parse
    # and no ``end()`` to ask for (2% of a repaint's instructions, measured). ``scanner`` is
    # undocumented but the stdlib's own ``re.Scanner`` is built on it (typeshed omits it).
    scan = ROW.scanner(text, m.end()).match  # type: ignore[attr-defined]
    done = m  # the last match consumed (the scanner does not say where it stopped)
    grid = s.grid
    chars, styles, wrapped = grid.chars, grid.styles, grid.wrapped
    rows, cols = s.rows, s.cols
    origin, top, bottom = s.modes.origin, s.top, s.bottom
    autowrap = s.modes.autowrap
    dirty_add = s.dirty.add
    memo = s.paint_memo
    targets, plans = TARGETS, PAINT_PLANS
    frame = (rows, cols, origin, top, bottom)
    moves = MOVES.get(frame)
    if moves is None:
        if len(MOVES) > 64:
            MOVES.clear()
        moves = MOVES[frame] = {}
    x, y, pen, last = s.x, s.y, s.pen, s.last_char
    blank_pen, blank = -1, 0  # (worked out when an erase needs it)
    #: Rows painted whole, by row: their text (or cells) and styles, written into the grid
    #: once this call ends or a partial write needs the row: a row painted again in the same
    #: output (twenty times in 64 KB of an htop-like stream) builds its lists once.
    written: dict[int, tuple[str | list[str], list[int]]] = {}
    while m is not None:
        g = m.groups("")
        move = g[0]
        if stay:
            nx, ny, stay = x, y, False
        elif not move:  # CR LF
            if y == bottom:
                break  # it scrolls: the general path's
            ny = y + 1 if y < rows - 1 else y
            nx = 0
        elif move[-1] == "d":  # VPA: to a row, the column kept
            r = (targets.get(move) or target(move))[0]
            if origin:
                r = min(r + top, bottom)
            ny = r if r < rows else rows - 1
            nx = x if x < cols else cols - 1
        else:
            ny, nx = moves.get(move) or cup_move(moves, move, rows, cols, frame)
        erase = g[16]
        whole = cols if erase and not nx else 0  # the row is written whole: built anew
        if whole:
            body, pen_before = g[1], pen
            before = memo.get(ny)
            if (  # painted so last time (flat, not a key tuple: no tuple a row): again
                before is not None
                and before[1] == body
                and before[0] == pen
                and before[2] == g[17]
                and before[3] == cols
            ):
                row_chars, row_styles, n, pen = before[4:]
                if isinstance(row_chars, str):  # its first repeat: the cells kept from now on
                    row_chars = [*row_chars.ljust(cols)]
                    memo[ny] = (*before[:4], row_chars, row_styles, n, pen)
                y, x, last = ny, n, ""
                written[y] = (row_chars, row_styles)
                wrapped[y] = False
                if not n and y:
                    wrapped[y - 1] = False
                done, m = m, scan()
                continue
        if not g[3]:  # no SGR
            joined = g[2]
            n = len(joined)
            if nx + n > cols:
                break  # it wraps: the general path's
            if whole:
                if blank_pen != pen:
                    blank_pen, blank = pen, blank_style(pen)
                row_styles = [pen] * n + [blank] * (cols - n)  # (a new list: the memo's own)
            else:
                row_styles = [pen] * n
            ends_in_text = True  # (``joined[-1:]`` below: "" when there is no text)
        else:
            if g[15]:
                parts = SGR.split(g[1])
                texts: Sequence[str] = parts[::2]
                key: tuple[object, ...] = (pen, whole, *parts[1::2], *map(len, texts))
                plan = plans.get(key) or make_plan(key, whole, pen, parts[1::2], texts)
            else:
                texts = g[_TEXTS]
                # The SGRs' groups one by one, not as a slice: one tuple fewer a row (-2% of
                # the instructions of a repaint, measured); the shape first, so this key never
                # equals one of the branch above (whose first item is the pen).
                shape = g[1].encode().translate(_SHAPE)
                key = (shape, pen, whole, g[3], g[5], g[7], g[9], g[11], g[13])
                plan = plans.get(key) or make_plan(key, whole, pen, sgr_bodies(g[_SGRS]), texts)
            n, end_pen, row_styles, end_blank, ends_in_text = plan
            if nx + n > cols:
                break
            pen = blank_pen = end_pen
            blank = end_blank
            joined = "".join(texts)
        x, y = nx, ny
        if whole and (n < cols or autowrap):
            written[y] = (joined, row_styles)
            wrapped[y] = False
            if not n and y:
                wrapped[y - 1] = False
            x = n
            last = ""
            if n < cols:  # (a full row's result depends on autowrap too: not kept)
                if g[17]:
                    pen = pen_after(pen, g[17])
                memo[y] = (pen_before, body, g[17], cols, joined, row_styles, n, pen)
                done, m = m, scan()
                continue
        else:
            last = joined[-1:] if ends_in_text else ""  # (REP repeats it)
            if (n or erase) and y in written:  # this writes into the row: it holds its cells
                _write(chars, styles, dirty_add, cols, y, *written.pop(y))
            if n:
                end = x + n
                row = chars[y]
                if x and row[x] == "":
                    row[x - 1] = " "
                if end < cols and row[end] == "":
                    row[end] = " "
                row[x:end] = joined
                styles[y][x:end] = row_styles[:n] if whole else row_styles
                if end == cols:
                    wrapped[y] = False
                dirty_add(y)
                x = end if autowrap or end < cols else cols - 1
            if erase:
                last = ""
                if x < cols:
                    if blank_pen != pen:
                        blank_pen, blank = pen, blank_style(pen)
                    row = chars[y]
                    if x and row[x] == "":
                        row[x - 1] = " "
                    row[x:] = " " * (cols - x)
                    styles[y][x:] = [blank] * (cols - x)
                    wrapped[y] = False
                    if x == 0 and y:
                        wrapped[y - 1] = False
                dirty_add(y)
        if g[17]:
            pen = pen_after(pen, g[17])
        done, m = m, scan()
    for row_y, cells in written.items():
        _write(chars, styles, dirty_add, cols, row_y, *cells)
    s.x, s.y, s.pen, s.last_char = x, y, pen, last
    if m is not None:
        return m.start()
    end = done.end()
    s.paint_open = end == len(text)  # the next piece may go on with this row
    return end
