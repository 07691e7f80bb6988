"""Events a :class:`~aitui.core.terminal.TerminalScreen` reports while it digests output.

They are plain frozen dataclasses so the session engine can queue them, compare them in tests and
send them over the HTTP API without knowing anything about the emulator's internals.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PromptMark:
    """A shell-integration mark (OSC 133): ``A`` prompt start, ``B`` command start,
    ``C`` output start, ``D`` command finished (``params`` then holds the exit status).

    ``row`` is the visible row the cursor was on when the mark arrived, so the dashboard can
    jump between prompts and the engine can cut a command's output out of the screen.
    """

    kind: str
    params: tuple[str, ...]
    row: int


@dataclass(frozen=True, slots=True)
class TitleChanged:
    """The program set the window title (OSC 0 or OSC 2)."""

    title: str


@dataclass(frozen=True, slots=True)
class Bell:
    """The program rang the bell (BEL outside a string): the dashboard may flag the session."""


@dataclass(frozen=True, slots=True)
class ModeChanged:
    """A mode the pane cares about changed (alternate screen, mouse tracking, bracketed paste...).

    ``name`` is the :class:`~aitui.core.terminal.modes.TerminalModes` field name and ``value`` its
    new value, so a pane can react (e.g. start forwarding mouse events) without polling.
    """

    name: str
    value: object


ScreenEvent = PromptMark | TitleChanged | Bell | ModeChanged
