"""Turn raw terminal bytes into the plain text a person would read.

Used for ``ExecResult.output``: escape sequences removed, ``\\r\\n`` normalised to ``\\n``, a
bare ``\\r`` overwriting the line the way a terminal shows it (progress bars collapse to their
final state), backspaces applied.
"""

from __future__ import annotations

import re

# CSI, OSC (BEL or ST terminated), DCS/SOS/PM/APC strings, two-byte escapes, and C1 CSI.
_ANSI = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]
  | \x9b[0-?]*[ -/]*[@-~]
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?
  | \x1b[PX^_][^\x1b]*(?:\x1b\\)?
  | \x1b[ -/]*[0-~]
    """,
    re.VERBOSE,
)
# Controls other than \t \n \r \b that a terminal does not print.
_CONTROLS = re.compile(r"[\x00-\x07\x0b\x0c\x0e-\x1f\x7f]")


def strip_ansi(text: str) -> str:
    """Remove escape sequences and unprintable controls (keeps \\t, \\n, \\r, \\b)."""
    return _CONTROLS.sub("", _ANSI.sub("", text))


def _overwrite_line(line: str) -> str:
    """Apply ``\\r`` and ``\\b`` within one line as a terminal would."""
    if "\r" not in line and "\b" not in line:
        return line
    cells: list[str] = []
    col = 0
    for ch in line:
        if ch == "\r":
            col = 0
        elif ch == "\b":
            col = max(0, col - 1)
        elif col < len(cells):
            cells[col] = ch
            col += 1
        else:
            cells.append(ch)
            col += 1
    return "".join(cells)


def terminal_text(data: bytes) -> str:
    """Decode ``data`` and return it as plain text with ``\\n`` line endings."""
    text = strip_ansi(data.decode("utf-8", "replace"))
    text = text.replace("\r\n", "\n")
    if "\r" not in text and "\b" not in text:
        return text
    return "\n".join(_overwrite_line(line) for line in text.split("\n"))
