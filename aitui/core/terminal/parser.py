"""Splitting decoded output into text runs and control sequences.

One compiled regex splits a chunk into alternating ``text, sequence, text, sequence...``: text
runs come out whole (so they can be written with one slice assignment) and the regex engine,
in C, does the scanning that a per-character state machine (pyte's) does in Python. A sequence
cut by a chunk boundary is held back by :func:`split_tail` until the rest arrives.
"""

from __future__ import annotations

import re

#: C0 controls allowed (and executed) inside a CSI sequence, as xterm does.
_C0_IN_CSI = r"\x00-\x17\x19\x1c-\x1f"

SEQUENCE = re.compile(
    "("
    rf"\x1b\[[{_C0_IN_CSI}\x20-\x3f\x7f]*[\x40-\x7e]"  # CSI
    r"|\x1b\][^\x07\x1b\x18\x1a]*(?:\x07|\x1b\\)"  # OSC ... BEL/ST
    r"|\x1b[P_^X][^\x1b\x18\x1a]*\x1b\\"  # DCS, APC, PM, SOS ... ST
    r"|\x1b[\]P_^X][^\x1b\x18\x1a]*"  # a string aborted by ESC/CAN/SUB: swallowed
    rf"|\x1b\[[{_C0_IN_CSI}\x20-\x3f\x7f]*"  # a CSI aborted the same way
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"  # ESC sequence
    r"|\x1b"  # a lone ESC (followed by a control)
    r"|[\x00-\x1a\x1c-\x1f\x7f-\x9f]"  # one control character
    ")"
)

#: A chunk ending in any of these is waiting for the rest of a sequence.
INCOMPLETE = re.compile(
    rf"\x1b(?:\[[{_C0_IN_CSI}\x20-\x3f\x7f]*|[\x20-\x2f]*"
    r"|\][^\x07\x1b\x18\x1a]*\x1b?|[P_^X][^\x1b\x18\x1a]*\x1b?)\Z"
)

#: Longest unfinished sequence held back; a longer one (a huge DCS image) is skipped.
MAX_PENDING = 1 << 16


def split_tail(text: str) -> tuple[str, str]:
    """Split ``text`` into what can be processed now and an unfinished trailing sequence."""
    esc = text.rfind("\x1b")
    if esc < 0:
        return text, ""
    if esc == len(text) - 1 and esc:
        # Maybe the first half of the ST that ends a string begun at the previous ESC.
        prev = text.rfind("\x1b", 0, esc)
        if prev >= 0 and INCOMPLETE.match(text, prev):
            return text[:prev], text[prev:]
    if INCOMPLETE.match(text, esc):
        return text[:esc], text[esc:]
    return text, ""


def skip_string(text: str) -> tuple[str, bool]:
    """Drop the rest of an over-long string sequence: ``(text after it, still skipping)``."""
    ends = [
        i
        for i in (text.find("\x07"), text.find("\x1b\\"), text.find("\x18"), text.find("\x1a"))
        if i >= 0
    ]
    if not ends:
        return ("\x1b" if text.endswith("\x1b") else ""), True
    end = min(ends)
    return text[end + (2 if text.startswith("\x1b\\", end) else 1) :], False


def csi_params(body: str) -> list[int]:
    """Numeric parameters of a CSI body (no private marker or intermediates), capped; a
    missing parameter is -1 (some sequences treat "missing" and "0" differently)."""
    if not body:
        return []
    return [
        min(int(p), 65535) if p.isdigit() else (-1 if not p else 0)
        for p in body.replace(":", ";").split(";")
    ]
