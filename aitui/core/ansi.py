"""Turn raw terminal bytes into the plain text a person would read.

Used for ``ExecResult.output``: escape sequences removed, ``\\r\\n`` normalised to ``\\n``, a
bare ``\\r`` overwriting the line the way a terminal shows it (progress bars collapse to their
final state), backspaces applied. Within a line, the cursor moves a line editor or a progress
bar draws with (forward, back, to a column: CSI ``C``, ``D``, ``G``) and erasing to its end
(CSI ``K``) are applied too: fish draws a command line as ``\\r ESC[25C echo``, which read as
plain text overwrote the prompt with the command.
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


#: Cursor motion within a line: forward, back, to a column; and erase in line.
_MOTION = re.compile(r"\x1b\[(\d{0,4})([CDGK])")
#: What a line is made of, in order: a motion, another escape sequence, \r or \b, or text.
_PIECES = re.compile(
    rf"(?P<motion>{_MOTION.pattern})|(?P<escape>{_ANSI.pattern})|(?P<move>[\r\b])"
    r"|(?P<text>[^\x1b\x9b\r\b]+)|(?P<other>.)",
    re.VERBOSE | re.DOTALL,
)
#: Cursor positions beyond this are clamped (a hostile CSI 9999C must not allocate).
MAX_COLUMN = 4096


def _overwrite_line(line: str) -> str:
    """Apply ``\\r``, ``\\b``, cursor motion and erasing within one line as a terminal would."""
    if "\r" not in line and "\b" not in line and _MOTION.search(line) is None:
        return strip_ansi(line)
    cells: list[str] = []
    col = 0
    for piece in _PIECES.finditer(line):
        kind = piece.lastgroup
        if kind == "motion":
            count, final = piece.group(2), piece.group(3)
            n = int(count) if count else 0
            if final == "C":
                col = min(col + max(n, 1), MAX_COLUMN)
            elif final == "D":
                col = max(col - max(n, 1), 0)
            elif final == "G":
                col = min(max(n, 1) - 1, MAX_COLUMN)
            elif n == 0:  # K: to the end of the line
                del cells[col:]
            elif n == 1:  # K: from the start of the line
                cells[: col + 1] = [" "] * min(col + 1, len(cells))
            else:
                cells.clear()
        elif kind == "move":
            col = 0 if piece.group() == "\r" else max(0, col - 1)
        elif kind == "text":
            text = _CONTROLS.sub("", piece.group())
            if col > len(cells):
                cells.extend(" " * (col - len(cells)))
            cells[col : col + len(text)] = text
            col += len(text)
    return "".join(cells)


def terminal_text(data: bytes) -> str:
    """Decode ``data`` and return it as plain text with ``\\n`` line endings."""
    text = data.decode("utf-8", "replace").replace("\r\n", "\n")
    if "\r" not in text and "\b" not in text and _MOTION.search(text) is None:
        return strip_ansi(text)
    return "\n".join(_overwrite_line(line) for line in text.split("\n"))
