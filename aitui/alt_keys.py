"""Let Alt+digit reach the dashboard as ``alt+1`` … ``alt+9``.

Textual's sequence table maps ``ESC 1`` … ``ESC 0`` to the characters macOS's Option key types
on a US layout (``¡™£¢∞§¶•ªº``), a workaround for WezTerm on macOS. Every other terminal (and
tmux) sends ``ESC <digit>`` for Alt+digit, which aitui uses to jump between sessions; with those
entries gone, Textual's parser reports them as ``alt+<digit>`` like any other Alt combination.
"""

from __future__ import annotations

from typing import Any

from textual import _ansi_sequences


def restore_alt_digits() -> None:
    table: Any = _ansi_sequences.ANSI_SEQUENCES_KEYS
    for digit in "1234567890":
        table.pop(f"\x1b{digit}", None)
