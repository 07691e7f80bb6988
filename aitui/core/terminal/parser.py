"""Splitting decoded output into text runs and control sequences.

One compiled regex splits a chunk into alternating ``text, sequence, text, sequence...``: text
runs come out whole (so they can be written with one slice assignment) and the regex engine,
in C, does the scanning that a per-character state machine (pyte's) does in Python. A sequence
cut by a chunk boundary is cut off by :func:`split_tail` and held back by
:class:`HeldSequence` until the rest arrives.

Output is a program's to choose, so every step costs time linear in it and memory bounded per
sequence: numbers are clamped without converting them, a sequence longer than
``MAX_SEQUENCE`` is skipped, and no text is scanned again for each piece or newline that
follows it (``tests/terminal/test_hostile_input.py``).
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

#: Longest sequence acted on. A longer one (a huge DCS image, hostile output) is skipped,
#: whether it arrives whole or in pieces, and while it lasts nothing of it is kept.
MAX_SEQUENCE = 1 << 16

#: Longest sequence whose parse is cached (a program repeats short ones; a long one would make
#: each cache entry as big as itself).
CACHEABLE = 64

#: Numeric parameters are capped here, as xterm caps them.
MAX_PARAM = 65535


def number(text: str) -> int:
    """The value of a numeric parameter (0 when it is not digits), at most ``MAX_PARAM``.

    A long digit run is clamped without being converted: Python refuses ``int()`` of more than
    4,300 digits (``sys.get_int_max_str_digits``), which a program can send."""
    if not (text.isascii() and text.isdigit()):
        return 0
    if len(text) > 5:
        text = text.lstrip("0")
        if len(text) > 5:
            return MAX_PARAM
    return min(int(text or "0"), MAX_PARAM)


def csi_params(body: str) -> list[int]:
    """Numeric parameters of a CSI body (no private marker or intermediates), capped; a
    missing parameter is -1 (some sequences treat "missing" and "0" differently)."""
    if not body:
        return []
    return [number(p) if p else -1 for p in body.replace(":", ";").split(";")]


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


def segment_end(text: str, pos: int) -> int:
    """The end of the first line after ``pos`` that does not end inside a sequence (an OSC or
    DCS string, even a CSI, may contain a newline), or the end of ``text``.

    A newline inside a sequence moves the search past that sequence's end, so each sequence is
    scanned once: scanning it again for each newline in it made 40,000 newlines in one OSC
    cost 2 s."""
    start = pos
    while True:
        nl = text.find("\n", start)
        if nl < 0:
            return len(text)
        esc = text.rfind("\x1b", start, nl)
        if esc < 0:
            return nl + 1
        m = SEQUENCE.match(text, esc)
        end = m.end() if m else esc + 1
        if end <= nl:
            return nl + 1
        start = end


_STRINGS = frozenset("]P_^X")  # the characters after ESC that open a string sequence
_CSI_BODY = re.compile(rf"[{_C0_IN_CSI}\x20-\x3f\x7f]*")
_ESC_BODY = re.compile(r"[\x20-\x2f]*")
_OSC_STOP = re.compile(r"[\x07\x1b\x18\x1a]")
_STRING_STOP = re.compile(r"[\x1b\x18\x1a]")


def _end_in(kind: str, text: str) -> int:
    """Where a sequence opened by ESC ``kind`` (and continued before ``text``) ends in
    ``text``: the index after its last character, or -1 when it goes on past the end. It ends
    where :data:`SEQUENCE` would end it: a CSI or ESC sequence after its final byte or before
    anything that cannot be part of it; a string after BEL (OSC only) or ST, or before the
    ESC, CAN or SUB that aborts it. An ESC at the very end of a string may be half an ST:
    -1."""
    if kind not in _STRINGS:
        body, lowest_final = (_CSI_BODY, "\x40") if kind == "[" else (_ESC_BODY, "\x30")
        m = body.match(text)
        end = m.end() if m else 0
        if end == len(text):
            return -1
        return end + 1 if lowest_final <= text[end] <= "\x7e" else end
    m = (_OSC_STOP if kind == "]" else _STRING_STOP).search(text)
    if m is None:
        return -1
    end = m.start()
    if text[end] == "\x07":
        return end + 1
    if text[end] == "\x1b":
        if end + 1 == len(text):
            return -1
        return end + 2 if text[end + 1] == "\\" else end
    return end


class HeldSequence:
    """An unfinished sequence held back until the rest arrives, in pieces.

    The pieces are joined once the sequence ends, so a sequence arriving a byte at a time costs
    linear time (joining the held part to each new byte and scanning it again took 6 s for a
    64 KB title). Past ``MAX_SEQUENCE`` the pieces are dropped and the rest is skipped up to
    where the sequence ends, whatever its kind (a long CSI used to be skipped up to the next
    BEL, swallowing the output after it)."""

    __slots__ = ("_after_esc", "_kind", "_parts", "_size", "_skipping")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._kind = ""  # the character after its ESC ("" for a lone ESC)
        self._size = 0
        self._after_esc = False  # a string that ends in ESC: the next character decides
        self._skipping = False

    def __bool__(self) -> bool:
        return bool(self._parts) or self._skipping

    def hold(self, pending: str) -> None:
        """Keep ``pending``, the unfinished sequence ``split_tail`` cut off."""
        self._kind = pending[1] if len(pending) > 1 else ""
        self._after_esc = self._kind in _STRINGS and len(pending) > 2 and pending[-1] == "\x1b"
        self._size = len(pending)
        self._parts = [pending]
        self._skipping = False
        self._check_size()

    def resume(self, text: str) -> str:
        """What to process now that ``text`` has arrived: the held sequence and ``text`` once
        the sequence ends in it (what follows a skipped one), else ``""``."""
        if not self:
            return text
        if not text:
            return ""
        if not self._kind:  # a lone ESC: the next character tells what it starts
            return self._release() + text
        # After a string's ESC, a backslash completes ST; anything else aborts the string.
        end = int(text[0] == "\\") if self._after_esc else _end_in(self._kind, text)
        if end < 0:
            self._after_esc = self._kind in _STRINGS and text[-1] == "\x1b"
            if not self._skipping:
                self._parts.append(text)
                self._size += len(text)
                self._check_size()
            return ""
        if self._skipping:
            aborted_by_esc = self._after_esc and end == 0
            self._release()
            return ("\x1b" if aborted_by_esc else "") + text[end:]
        return self._release() + text

    def _check_size(self) -> None:
        if self._size > MAX_SEQUENCE:
            self._parts = []
            self._skipping = True

    def _release(self) -> str:
        held = "".join(self._parts)
        self._parts = []
        self._size = 0
        self._skipping = self._after_esc = False
        return held
