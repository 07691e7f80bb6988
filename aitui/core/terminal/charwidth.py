"""How many cells a character takes, cached.

tmux (and xterm) size characters with the C library's ``wcwidth``; the ``wcwidth`` package follows
the same Unicode tables. Looking a character up is slow, and programs print the same few
non-ASCII characters over and over (box drawing, CJK, emoji), so widths are memoised.
"""

from __future__ import annotations

from wcwidth import wcwidth

_CACHE: dict[str, int] = {}


def char_width(ch: str) -> int:
    """0 (combines with the previous cell), 1 or 2. Unprintable characters count as 1 so that
    no text is ever dropped (control characters never reach here: the parser takes them)."""
    w = _CACHE.get(ch)
    if w is None:
        raw = wcwidth(ch)
        w = _CACHE[ch] = 1 if raw < 0 else min(int(raw), 2)
    return w
