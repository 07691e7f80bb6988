"""Find OSC 133 shell-integration marks in a raw PTY byte stream.

``execute`` needs the exact byte offsets where a command's output starts (mark ``C``) and ends
(mark ``D;<exit>``), so marks are found on the raw stream as it is read, before any emulation,
and across arbitrary chunk boundaries. Offsets are absolute positions in the session's output.

Marks are trusted only when signed. Anything a program prints can contain ``ESC ] 133 ; D ; 0``
(``cat`` an untrusted file), and an unsigned mark told ``execute`` that a failed command had
succeeded, with the output cut where the fake mark stood. So a session's shell hooks append the
session's secret key as the mark's last parameter; a scanner given that key drops every mark
without it (counted in ``unsigned``) and strips the key from those it keeps. ``execute``'s
sentinel marks carry a one-time nonce instead (``NONCE_PREFIX``...), which the capture checks.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = b"\x1b]133;"
#: A mark longer than this is not one of ours: skip it rather than buffer forever.
MAX_MARK = 512
#: How the one-time nonces of ``execute``'s sentinel marks begin.
NONCE_PREFIX = "aitui-"


@dataclass(frozen=True)
class Mark:
    kind: str  # "A" prompt start, "B" prompt end, "C" command start, "D" command done
    params: tuple[str, ...]
    start: int  # absolute offset of the ESC
    end: int  # absolute offset just past the terminator

    @property
    def exit_code(self) -> int | None:
        """The status a ``D;<status>`` mark carries (``None`` if absent or not a number)."""
        if not self.params:
            return None
        try:
            return int(self.params[0])
        except ValueError:
            return None


class MarkScanner:
    """Incremental scanner: ``feed`` each chunk in order, get the marks it completed.

    With a ``key``, only marks whose last parameter is the key (which is removed) or a sentinel
    nonce are returned; without one (tests, tools reading a recording), every mark is."""

    def __init__(self, key: str | None = None) -> None:
        self.key = key
        #: Marks dropped for want of the key: output imitating shell integration.
        self.unsigned = 0
        self._carry = b""
        self._carry_start = 0  # absolute offset of _carry[0]
        self.position = 0  # absolute offset just past everything fed so far

    def feed(self, data: bytes) -> list[Mark]:
        if not self._carry and data.find(b"]") < 0 and data.find(b"\x1b", -(len(PREFIX) - 1)) < 0:
            # No mark can start here nor be cut at the end (most output): one pass in C.
            self.position += len(data)
            return []
        buf = self._carry + data if self._carry else data
        base = self._carry_start if self._carry else self.position
        self.position += len(data)
        marks: list[Mark] = []
        # Most output has no "]" at all: one memchr rules a mark out ~20x faster than
        # searching for the whole prefix among the colour escapes.
        bracket = buf.find(b"]")
        i = max(bracket - 1, 0) if bracket >= 0 else len(buf)
        n = len(buf)
        while True:
            j = buf.find(PREFIX, i)
            if j < 0:
                break
            k = j + len(PREFIX)
            end, stop = _find_terminator(buf, k)
            if end < 0:
                if n - j <= MAX_MARK:
                    self._keep(buf, j, base)
                    return marks
                i = k
                continue
            body = buf[k:end].decode("utf-8", "replace")
            kind, _, rest = body.partition(";")
            params = self._verified(tuple(rest.split(";")) if rest else ())
            if params is not None:
                marks.append(Mark(kind, params, base + j, base + stop))
            i = stop
        # Keep a tail that might be the beginning of a prefix split across chunks.
        tail = _partial_prefix_len(buf)
        if tail:
            self._keep(buf, n - tail, base)
        else:
            self._carry = b""
        return marks

    def _verified(self, params: tuple[str, ...]) -> tuple[str, ...] | None:
        """``params`` without the key, or ``None`` for a mark this session did not sign."""
        if self.key is None:
            return params
        if params and params[-1] == self.key:
            return params[:-1]
        if params and params[-1].startswith(NONCE_PREFIX):
            return params
        self.unsigned += 1
        return None

    def _keep(self, buf: bytes, index: int, base: int) -> None:
        self._carry = buf[index:]
        self._carry_start = base + index


def _find_terminator(buf: bytes, start: int) -> tuple[int, int]:
    """(index of terminator, index after it) for BEL or ST; (-1, -1) if not yet seen."""
    bel = buf.find(b"\x07", start)
    st = buf.find(b"\x1b\\", start)
    if bel < 0 and st < 0:
        return -1, -1
    if st < 0 or (0 <= bel < st):
        return bel, bel + 1
    return st, st + 2


def _partial_prefix_len(buf: bytes) -> int:
    """Length of the longest tail of ``buf`` that is a proper prefix of ``PREFIX``."""
    tail = buf[-(len(PREFIX) - 1) :]
    i = tail.find(b"\x1b")
    while i >= 0:
        if PREFIX.startswith(tail[i:]):
            return len(tail) - i
        i = tail.find(b"\x1b", i + 1)
    return 0
