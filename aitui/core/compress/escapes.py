"""Escape sequences removed: one ``re`` substitution, or piece by piece when they are sparse.

``ANSI_RE`` is what a terminal consumes as escapes; ``strip_escapes`` removes them with the
same result as ``ANSI_RE.sub("", text)`` (tests/compress/test_clean_equivalence.py).
"""

from __future__ import annotations

import re

# OSC, DCS/SOS/PM/APC strings, CSI (7- and 8-bit), nF escapes, two-byte escapes, a lone ESC.
# The ESC alternatives share their first character (``re`` then tests it once per position).
ANSI_RE = re.compile(
    r"""
    \x1b(?:
        \][^\x07\x1b]*(?:\x07|\x1b\\)?
      | [PX^_][^\x1b]*(?:\x1b\\)?
      | \[[0-?]*[ -/]*[@-~]
      | [ -/]+[0-~]
      | [0-~]
      |
    )
  | \x9b[0-?]*[ -/]*[@-~]
    """,
    re.VERBOSE,
)

#: ``ANSI_RE``'s ESC alternatives without the ESC: what follows one, up to the next ESC
#: (the empty alternative is a lone ESC; tests/compress/test_clean_equivalence.py checks
#: this is ``ANSI_RE``'s own text).
_AFTER_ESC = r"""
        \][^\x07\x1b]*(?:\x07|\x1b\\)?
      | [PX^_][^\x1b]*(?:\x1b\\)?
      | \[[0-?]*[ -/]*[@-~]
      | [ -/]+[0-~]
      | [0-~]
      |
"""
_AFTER_ESC_RE = re.compile(_AFTER_ESC, re.VERBOSE)
#: Characters per escape above which escapes are removed piece by piece (``_strip_sparse``):
#: ``re`` scans every character of a non-ASCII text at ~8 ns, the pieces cost ~0.5 µs each.
SPARSE_ESCAPES = 100


#: Characters at each end of a text whose escapes decide the way (counting all of them cost
#: 2% of a 10 MB ANSI-dense text's time; either way gives the same text).
ESCAPE_SAMPLE = 32_768


def strip_escapes(text: str) -> str:
    """``ANSI_RE.sub("", text)``; sparse escapes found with ``str.split`` (a 0.5 MB CI log
    with 714 escapes: 4.3 -> 0.7 ms)."""
    if "\x9b" in text:
        return ANSI_RE.sub("", text)
    n = len(text)
    if n <= 2 * ESCAPE_SAMPLE:
        sampled, escapes = n, text.count("\x1b")
    else:
        sampled = 2 * ESCAPE_SAMPLE
        escapes = text.count("\x1b", 0, ESCAPE_SAMPLE) + text.count("\x1b", n - ESCAPE_SAMPLE)
    if escapes * SPARSE_ESCAPES > sampled:
        return ANSI_RE.sub("", text)
    return _strip_sparse(text)


def _strip_sparse(text: str) -> str:
    """``ANSI_RE.sub("", text)`` for a text without ``\\x9b``: every match then starts at an
    ESC, and each ESC starts one (a lone ESC matches alone) unless an OSC or DCS string just
    before takes it with the ``\\`` after it as its terminator. So each piece after an ESC
    loses what ``_AFTER_ESC_RE`` matches at its start, or its leading ``\\`` when the piece
    before was such a string running to its end (an OSC ended by BEL is not)."""
    pieces = text.split("\x1b")
    out = [pieces[0]]
    after_string = False  # the previous piece was an OSC/DCS body reaching this ESC
    match = _AFTER_ESC_RE.match
    for piece in pieces[1:]:
        if after_string and piece[:1] == "\\":
            out.append(piece[1:])
            after_string = False
            continue
        end = match(piece).end()  # type: ignore[union-attr]  # the empty alternative
        after_string = (
            end == len(piece)
            and piece[:1] in ("]", "P", "X", "^", "_")
            and not (piece[:1] == "]" and piece.endswith("\x07"))
        )
        out.append(piece[end:])
    return "".join(out)
