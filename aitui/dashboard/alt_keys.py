"""Make Textual report Alt combinations the way terminals send them, so panes can forward them.

Two gaps in Textual's key parser (checked against Textual 8.2), closed at start-up:

* Its sequence table maps ``ESC 1`` … ``ESC 0`` to the characters macOS's Option key types on a
  US layout (``¡™£¢∞§¶•ªº``), a workaround for WezTerm on macOS. Every other terminal (and tmux)
  sends ``ESC <digit>`` for Alt+digit, which aitui uses to jump between sessions; with those
  entries gone, the parser reports them as ``alt+<digit>`` like any other Alt combination.
* For ``ESC`` followed by a symbol it drops the Alt: ``ESC .`` (Alt+. — readline's "insert the
  last argument") arrives as a plain ``full_stop``, because it adds ``alt+`` only to one-letter
  key names. The pane would type ``.``. The same happens to Escape and ``:`` arriving in one read
  (vim's "leave insert mode, then a command"). :func:`keep_alt_on_symbols` restores the
  ``alt+`` so the pane sends ``ESC .`` on, as a terminal would.
* It reports ``ESC <key>`` only once no further byte follows: when another ``ESC`` comes in the
  same read (Alt+1 Alt+2 typed fast, a held Alt+B repeating, keys sent by a script), it gives
  up on the first and types its ``ESC`` as ``^``: Alt+1 then Alt+2 typed ``^1`` into the
  program instead of switching sessions. The same wrapper reports ``ESC <key>`` as Alt+key at
  once, for every printable key that starts no sequence a terminal sends (``[`` and ``O`` for
  keys, ``P ] _ X ^ \\`` for replies) and that Textual's table does not map otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import _ansi_sequences, events
from textual._xterm_parser import XTermParser


def restore_alt_digits() -> None:
    table: Any = _ansi_sequences.ANSI_SEQUENCES_KEYS
    for digit in "1234567890":
        table.pop(f"\x1b{digit}", None)


def keep_alt_on_symbols() -> None:
    """Wrap the parser's key mapping (once) so Alt is kept on every key it reissues with Alt."""
    original: Any = XTermParser._sequence_to_key_events
    if getattr(original, "_aitui_keeps_alt", False):
        return

    def sequence_to_key_events(
        self: XTermParser, sequence: str, alt: bool = False
    ) -> Iterable[events.Key]:
        if _alt_key(sequence):
            sequence, alt = sequence[1], True
        for event in original(self, sequence, alt=alt):
            if alt and not event.key.startswith("alt+") and event.key != "escape":
                event = events.Key(f"alt+{event.key}", event.character)
            yield event

    sequence_to_key_events._aitui_keeps_alt = True  # type: ignore[attr-defined]
    XTermParser._sequence_to_key_events = sequence_to_key_events  # type: ignore[method-assign]


#: What may follow ``ESC`` at the start of a sequence a terminal sends (CSI, SS3, DCS, OSC,
#: APC, SOS, PM, ST): kept for the parser to read on.
_INTRODUCERS = frozenset("[OP]_X^\\")


def _alt_key(sequence: str) -> bool:
    """``ESC`` and one printable key that is nothing but Alt+key."""
    return (
        len(sequence) == 2
        and sequence[0] == "\x1b"
        and sequence[1].isprintable()
        and sequence[1] not in _INTRODUCERS
        and sequence not in _ansi_sequences.ANSI_SEQUENCES_KEYS
    )


def install() -> None:
    """Both fixes; idempotent (called when the dashboard is created)."""
    restore_alt_digits()
    keep_alt_on_symbols()
