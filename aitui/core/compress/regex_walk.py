"""A walk over a ``re`` pattern's structure, for the code that splits or rewrites patterns.

``scan.top_level_alternatives`` (split at top-level ``|``) and ``re2_twin.group_end`` (the
end of a group) both need the characters that are neither escaped nor inside a character
class: one walk serves both, so they agree on what a class is (``[^]...]`` and ``[]...]``
hold their leading ``]``).
"""

from __future__ import annotations

from collections.abc import Iterator


def structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """``(index, character)`` of each character from ``start`` outside escapes and classes
    (a class's opening ``[`` is yielded, its members and closing ``]`` are not)."""
    i = start
    in_class = False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        else:
            yield i, c
            if c == "[":
                in_class = True
                if pattern[i + 1 : i + 2] == "^":
                    i += 1
                if pattern[i + 1 : i + 2] == "]":  # a leading ] is a member
                    i += 1
        i += 1
