"""Kitty's keyboard protocol, as a terminal offers it to the program: the flags it asks for.

A program pushes the enhancements it wants (``CSI > flags u``), pops them when it is done
(``CSI < n u``), changes the current ones (``CSI = flags ; mode u``) and asks which are on
(``CSI ? u``, answered ``CSI ? flags u``). With them on, keys the legacy encodings cannot tell
apart reach it distinctly: Shift+Enter is ``CSI 13;2u`` (a new line in Claude Code and Codex,
which ask for the protocol at start), Esc is ``CSI 27u`` (no timing guess). The keys are
encoded by ``aitui.core.keyboard_encoding``; this module only keeps the flags, one stack for
the main screen and one for the alternate screen, as the specification asks
(https://sw.kovidgoyal.net/kitty/keyboard-protocol/). tmux 3.3 offers none of it, so inside
it these programs fall back to the legacy keys.
"""

from __future__ import annotations

#: The five enhancements the specification defines (disambiguate, event types, alternate keys,
#: all keys as escape codes, associated text); other bits are ignored.
ALL_FLAGS = 0b11111
#: Entries kept per stack; a push beyond it drops the oldest, as the specification allows.
STACK_LIMIT = 32


class KeyboardFlags:
    """The flags' stacks, main screen first; the current flags are the top of the stack of
    the screen shown. A bottom entry of 0 is never popped."""

    __slots__ = ("_stacks",)

    def __init__(self) -> None:
        self._stacks: tuple[list[int], list[int]] = ([0], [0])

    def current(self, alternate: bool) -> int:
        return self._stacks[alternate][-1]

    def push(self, alternate: bool, flags: int) -> None:
        stack = self._stacks[alternate]
        stack.append(flags & ALL_FLAGS)
        if len(stack) > STACK_LIMIT + 1:
            del stack[1]

    def pop(self, alternate: bool, count: int) -> None:
        """Pop ``count`` entries; popping them all resets the flags to none."""
        stack = self._stacks[alternate]
        if count >= len(stack) - 1:
            stack[:] = [0]
        else:
            del stack[len(stack) - count :]

    def change(self, alternate: bool, flags: int, mode: int) -> None:
        """``CSI = flags ; mode u``: 1 sets the flags, 2 adds them, 3 removes them."""
        stack = self._stacks[alternate]
        flags &= ALL_FLAGS
        if mode == 2:
            stack[-1] |= flags
        elif mode == 3:
            stack[-1] &= ~flags
        elif mode == 1:
            stack[-1] = flags


def keyboard_sequence(flags: KeyboardFlags, alternate: bool, marker: str, params: list[int]) -> str:
    """Apply ``CSI <marker> params u``; the answer to send back (``CSI ? u``) or ``""``.
    A missing parameter is -1 (``csi_params``)."""
    first = params[0] if params and params[0] >= 0 else None
    if marker == "?":
        return f"\x1b[?{flags.current(alternate)}u"
    if marker == ">":
        flags.push(alternate, first or 0)
    elif marker == "<":
        flags.pop(alternate, max(first or 1, 1))
    elif marker == "=":
        mode = params[1] if len(params) > 1 and params[1] >= 0 else 1
        flags.change(alternate, first or 0, mode)
    return ""
