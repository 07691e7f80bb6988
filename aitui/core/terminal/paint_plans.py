"""What the repaint fast path works out once and looks up after: where a cursor move goes and
what a row's SGRs make of its style ids (the "plan").

A full-screen program moves to the same few rows and repeats the same layouts with new
numbers, so each of these is computed on its first use and then found in a dict; every cache
is bounded (cleared when full) because a program's output chooses the keys. The style ids in
``PAINT_PLANS`` are renumbered by style compaction, which clears it (``style_gc``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aitui.core.terminal.parser import csi_params
from aitui.core.terminal.style import apply_sgr, blank_style

#: An SGR (maybe after ncurses' ``ESC ( B``), its parameters captured: to split the SGRs after
#: a row's erase, or a row with more of them than the row's match captures one by one.
SGR = re.compile(r"\x1b(?:\[|\(B\x1b\[)([0-9;:]*)m")

#: CUP parameters -> (row, column), 0-based and not yet clamped or offset by origin mode.
TARGETS: dict[str, tuple[int, int]] = {}
#: (rows, cols, origin mode, scroll region) -> CUP parameters -> where the cursor goes, clamped
#: and offset: one lookup a row instead of the computation (-3% of a repaint's instructions).
MOVES: dict[tuple[int, ...], dict[str, tuple[int, int]]] = {}
#: (pen, whole, the SGRs, where the texts are) -> what ``make_plan`` computes, for all screens.
PAINT_PLANS: dict[tuple[object, ...], tuple[int, int, list[int], int, bool]] = {}
CACHE_LIMIT = 1024  # plans hold a row of style ids each: about 0.7 MB at 80 columns


def target(params: str) -> tuple[int, int]:
    """Where CUP with ``params`` (and its final) goes, as the general path's ``_cup`` computes
    it (for VPA, the row)."""
    p = csi_params(params[:-1])
    row = p[0] if p and p[0] > 0 else 1
    col = p[1] if len(p) > 1 and p[1] > 0 else 1
    if len(TARGETS) > 4 * CACHE_LIMIT:
        TARGETS.clear()
    out = TARGETS[params] = (row - 1, col - 1)
    return out


def cup_move(
    moves: dict[str, tuple[int, int]], params: str, rows: int, cols: int, frame: tuple[int, ...]
) -> tuple[int, int]:
    """Where CUP with ``params`` puts the cursor (row, column) on a screen of ``rows`` x
    ``cols`` with origin mode, top and bottom ``frame[2:]``, as the general path's ``_cup``."""
    r, c = target(params)
    origin, top, bottom = frame[2:]
    if origin:
        r = min(r + top, bottom)
    if len(moves) > 4 * CACHE_LIMIT:
        moves.clear()
    moved = moves[params] = (r if r < rows else rows - 1, c if c < cols else cols - 1)
    return moved


def make_plan(
    key: tuple[object, ...], width: int, pen: int, sgrs: list[str | None], texts: Sequence[str]
) -> tuple[int, int, list[int], int, bool]:
    """What a row's ``texts`` write, each after the SGR before it (``sgrs``: their bodies,
    ``None`` past the last), starting with ``pen``: cells written, the pen after, the style
    ids of the cells (padded to ``width`` with the erase's when the row is written whole),
    the style an erase gets after them, and whether the row ends in text."""
    out = [pen] * len(texts[0])
    ends_in_text = bool(texts[0])
    for body, piece in zip(sgrs, texts[1:], strict=False):
        if body is None:
            break
        pen = apply_sgr(pen, body)
        out += [pen] * len(piece)
        ends_in_text = bool(piece)
    n, blank = len(out), blank_style(pen)
    if n < width:
        out += [blank] * (width - n)
    if len(PAINT_PLANS) > CACHE_LIMIT:
        PAINT_PLANS.clear()
    plan = PAINT_PLANS[key] = (n, pen, out, blank, ends_in_text)
    return plan


def sgr_bodies(sgrs: Sequence[str]) -> list[str | None]:
    """The parameters of each SGR a row's match captured (their groups hold them with the
    final ``m``, so an SGR with none is not the ``""`` of a pair not matched: ``None``).
    (The groups held the whole SGR before, cut here: 1.5 of the 5.9 us a new plan took.)"""
    return [sgr[:-1] if sgr else None for sgr in sgrs]


def pen_after(pen: int, sgrs: str) -> int:
    """The pen after the SGRs that follow a row's erase."""
    for body in SGR.split(sgrs)[1::2]:
        pen = apply_sgr(pen, body)
    return pen
