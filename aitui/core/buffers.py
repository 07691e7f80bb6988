"""Bounded byte buffers of a session's output.

The reader appends every chunk to all of them; none ever blocks it. When a buffer is full it
drops its oldest bytes and counts them, so a consumer can tell it missed something.
"""

from __future__ import annotations

import codecs
import re
from collections import deque

from aitui.core.ansi import strip_ansi


class RingBuffer:
    """The last ``capacity`` bytes of output (the reference's ``output_buffer_size``)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._chunks: deque[bytes] = deque()
        self._size = 0
        self.dropped = 0  # bytes dropped from the front since creation

    def __len__(self) -> int:
        return self._size

    def append(self, data: bytes) -> None:
        if len(data) >= self.capacity:
            self.dropped += self._size + len(data) - self.capacity
            self._chunks.clear()
            self._chunks.append(data[-self.capacity :])
            self._size = self.capacity
            return
        self._chunks.append(data)
        self._size += len(data)
        while self._size > self.capacity:
            head = self._chunks[0]
            excess = self._size - self.capacity
            if len(head) <= excess:
                self._chunks.popleft()
                self._size -= len(head)
                self.dropped += len(head)
            else:
                self._chunks[0] = head[excess:]
                self._size -= excess
                self.dropped += excess

    def getvalue(self) -> bytes:
        return b"".join(self._chunks)

    def take(self) -> bytes:
        """Return everything and empty the buffer."""
        data = self.getvalue()
        self._chunks.clear()
        self._size = 0
        return data


class ExpectBuffer:
    """Output not yet consumed by ``expect`` (pexpect's ``before``), as the text a person sees.

    The reader only appends bytes (cheap, bounded); decoding and removing escape sequences and
    carriage returns happens when ``expect`` searches, for the new part only. Patterns are
    written against the visible text, with ``\n`` line ends.
    """

    MAX_BYTES = 1 << 20
    #: An escape sequence may be split across chunks: hold back a short unterminated tail.
    _PARTIAL_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]{0,256}|[ -/]*)?$")

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._raw = bytearray()
        self._pending = ""
        self.text = ""

    def append(self, data: bytes) -> None:
        self._raw += data
        if len(self._raw) > self.MAX_BYTES:
            del self._raw[: len(self._raw) - self.MAX_BYTES]

    def _catch_up(self) -> None:
        if not self._raw:
            return
        chunk = self._pending + self._decoder.decode(bytes(self._raw))
        self._raw.clear()
        match = self._PARTIAL_ESCAPE.search(chunk)
        if match:
            self._pending = chunk[match.start() :]
            chunk = chunk[: match.start()]
        else:
            self._pending = ""
        self.text += strip_ansi(chunk).replace("\r", "")
        if len(self.text) > self.MAX_BYTES:
            self.text = self.text[-self.MAX_BYTES :]

    def search(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        self._catch_up()
        match = pattern.search(self.text)
        if match is not None:
            self.text = self.text[match.end() :]
        return match
