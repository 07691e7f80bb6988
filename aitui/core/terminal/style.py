"""Cell styles, interned to small integers, and SGR (``ESC [ ... m``) applied to them.

A screen holds thousands of cells but only a handful of distinct styles, so every cell (and every
run in scrollback) stores an ``int`` style id instead of an object. Ids index one process-wide
table: two screens showing the same colours share the entries, and comparing styles is comparing
ints. SGR is applied through a cache keyed by ``(style id, parameter string)`` because programs
repeat the same few sequences (``ls`` sends ``01;34`` and ``0`` thousands of times).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from aitui.core.terminal.parser import CACHEABLE, number

#: A colour: ``None`` (the default), an index 0-255 (0-15 are the 16 ANSI colours) or "#rrggbb".
Color = int | str | None


@dataclass(frozen=True, slots=True)
class CellStyle:
    """How a cell is drawn. Frozen and hashable so it can be interned."""

    fg: Color = None
    bg: Color = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: bool = False
    blink: bool = False
    reverse: bool = False
    hidden: bool = False
    strike: bool = False


DEFAULT_STYLE = CellStyle()

_STYLES: list[CellStyle] = [DEFAULT_STYLE]
_IDS: dict[CellStyle, int] = {DEFAULT_STYLE: 0}
_SGR_CACHE: dict[tuple[int, str], int] = {}
_BG_ONLY: dict[int, int] = {0: 0}
_SGR_CACHE_LIMIT = 65_536

#: The table is compacted (``style_gc``) once it holds this many styles more than it kept the
#: last time (and at least twice as many): each distinct colour is interned, so output cycling
#: through truecolor colours (a gradient, a video in a terminal) would otherwise grow it for
#: good, 300 MB for a million colours.
COMPACT_AFTER = 65_536
_compact_at = COMPACT_AFTER


def style_id(style: CellStyle) -> int:
    """The id of ``style``, interning it on first use."""
    sid = _IDS.get(style)
    if sid is None:
        sid = len(_STYLES)
        _STYLES.append(style)
        _IDS[style] = sid
    return sid


def style_of(sid: int) -> CellStyle:
    """The style with id ``sid``."""
    return _STYLES[sid]


def compaction_due() -> bool:
    """Whether the table has grown enough since its last compaction to compact it."""
    return len(_STYLES) > _compact_at


def compact(used: set[int]) -> dict[int, int]:
    """Keep only the styles ``used`` (and the default, 0), renumbered in their order; return
    the new id of each. Every id held anywhere must be renumbered with it (``style_gc``)."""
    global _compact_at
    keep = sorted(used | {0})
    renumber = {old: new for new, old in enumerate(keep)}
    _STYLES[:] = [_STYLES[old] for old in keep]
    _IDS.clear()
    _IDS.update((style, sid) for sid, style in enumerate(_STYLES))
    _SGR_CACHE.clear()
    _BG_ONLY.clear()
    _BG_ONLY[0] = 0
    _compact_at = len(_STYLES) + max(COMPACT_AFTER, len(_STYLES))
    return renumber


def blank_style(sid: int) -> int:
    """The style erased cells get under pen ``sid``: only its background (xterm's ``bce``)."""
    out = _BG_ONLY.get(sid)
    if out is None:
        bg = _STYLES[sid].bg
        out = _BG_ONLY[sid] = 0 if bg is None else style_id(CellStyle(bg=bg))
    return out


def apply_sgr(sid: int, params: str) -> int:
    """The pen after ``ESC [ params m`` is applied to pen ``sid``. Never raises."""
    key = (sid, params)
    out = _SGR_CACHE.get(key)
    if out is None:
        out = style_id(_apply(_STYLES[sid], params))
        if len(params) <= CACHEABLE:
            if len(_SGR_CACHE) > _SGR_CACHE_LIMIT:
                _SGR_CACHE.clear()
            _SGR_CACHE[key] = out
    return out


_FLAGS_ON = {
    1: "bold",
    2: "dim",
    3: "italic",
    4: "underline",
    5: "blink",
    6: "blink",
    7: "reverse",
    8: "hidden",
    9: "strike",
    21: "underline",
}
_FLAGS_OFF: dict[int, tuple[str, ...]] = {
    22: ("bold", "dim"),
    23: ("italic",),
    24: ("underline",),
    25: ("blink",),
    27: ("reverse",),
    28: ("hidden",),
    29: ("strike",),
}


def _extended_color(parts: list[str], colon: bool) -> tuple[Color, int]:
    """Decode the colour after a 38/48/58 selector; returns (colour, parameters consumed).

    ``parts`` starts at the colour kind (5 or 2). In the colon form (``38:2::r:g:b``) the
    parts are exactly the sub-parameters and may carry a colour-space id before r, g, b."""
    if not parts:
        return None, 0
    kind = number(parts[0])
    if kind == 5 and len(parts) >= 2:
        return min(number(parts[1]), 255), 2
    if kind == 2:
        rgb = parts[-3:] if colon and len(parts) >= 5 else parts[1:4]
        if len(rgb) == 3:
            r, g, b = (min(number(p), 255) for p in rgb)
            return f"#{r:02x}{g:02x}{b:02x}", 4
    return None, 1


def _apply(style: CellStyle, params: str) -> CellStyle:
    changes: dict[str, object] = {}
    fields = params.split(";") if params else ["0"]
    i = 0
    while i < len(fields):
        field = fields[i]
        i += 1
        if ":" in field:  # ITU sub-parameters: 4:3 (curly underline), 38:2::r:g:b
            sub = field.split(":")
            code = number(sub[0])
            if code in (38, 48):
                color, _ = _extended_color(sub[1:], colon=True)
                changes["fg" if code == 38 else "bg"] = color
            elif code == 4:
                changes["underline"] = number(sub[1]) != 0 if len(sub) > 1 else True
            continue
        code = number(field)
        if code == 0:
            style = DEFAULT_STYLE
            changes.clear()
        elif code in _FLAGS_ON:
            changes[_FLAGS_ON[code]] = True
        elif code in _FLAGS_OFF:
            for name in _FLAGS_OFF[code]:
                changes[name] = False
        elif 30 <= code <= 37:
            changes["fg"] = code - 30
        elif 40 <= code <= 47:
            changes["bg"] = code - 40
        elif 90 <= code <= 97:
            changes["fg"] = code - 90 + 8
        elif 100 <= code <= 107:
            changes["bg"] = code - 100 + 8
        elif code == 39:
            changes["fg"] = None
        elif code == 49:
            changes["bg"] = None
        elif code in (38, 48, 58):
            color, used = _extended_color(fields[i : i + 4], colon=False)
            i += used
            if code != 58:  # 58 is the underline colour: parsed, not drawn
                changes["fg" if code == 38 else "bg"] = color
    return replace(style, **changes) if changes else style  # type: ignore[arg-type]


def sgr_codes(style: CellStyle) -> str:
    """The SGR parameters that draw ``style`` from the default (for ANSI export)."""
    codes: list[str] = []
    for name, code in (
        ("bold", "1"),
        ("dim", "2"),
        ("italic", "3"),
        ("underline", "4"),
        ("blink", "5"),
        ("reverse", "7"),
        ("hidden", "8"),
        ("strike", "9"),
    ):
        if getattr(style, name):
            codes.append(code)
    for color, base in ((style.fg, 30), (style.bg, 40)):
        if isinstance(color, str):
            codes.append(
                f"{base + 8};2;{int(color[1:3], 16)};{int(color[3:5], 16)};{int(color[5:7], 16)}"
            )
        elif color is not None:
            if color < 8:
                codes.append(str(base + color))
            elif color < 16:
                codes.append(str(base + 60 + color - 8))
            else:
                codes.append(f"{base + 8};5;{color}")
    return ";".join(codes)
