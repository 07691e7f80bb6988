"""A session's raw output, kept once and bounded, and the views consumers take of it.

The reader appends every chunk to one :class:`OutputLog` and does nothing else for its
consumers (the reader's time per chunk is what paces a fast program, see ``pty.py``): each
consumer keeps a :class:`Cursor` and catches up when it is asked for data.
"""

from __future__ import annotations

import codecs
import re
from collections import deque

from aitui.core.ansi import strip_ansi


class OutputLog:
    """The last ``capacity`` bytes of output, addressed by absolute offset (the reference's
    ``output_buffer_size``).

    One copy serves every consumer: ``read_output`` and ``expect`` keep their own offsets
    (cursors) into it instead of each holding the bytes again, so the reader's work per chunk
    is one append. Whole chunks are dropped from the front, so up to one chunk more than
    ``capacity`` may be held; reads never return more than ``capacity`` bytes.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._chunks: deque[bytes] = deque()
        self._size = 0
        self.end = 0  # absolute offset just past the newest byte

    @property
    def start(self) -> int:
        """Absolute offset of the oldest byte still readable."""
        return self.end - min(self._size, self.capacity)

    def append(self, data: bytes) -> None:
        self._chunks.append(data)
        self._size += len(data)
        self.end += len(data)
        while self._size - len(self._chunks[0]) >= self.capacity:
            self._size -= len(self._chunks.popleft())

    def since(self, offset: int) -> bytes:
        """Everything from absolute ``offset`` (or the oldest byte kept, if later) to the end."""
        want = self.end - max(offset, self.start)
        if want <= 0:
            return b""
        parts: list[bytes] = []
        got = 0
        for chunk in reversed(self._chunks):
            parts.append(chunk)
            got += len(chunk)
            if got >= want:
                break
        data = parts[0] if len(parts) == 1 else b"".join(reversed(parts))
        return data[len(data) - want :]

    def getvalue(self) -> bytes:
        return self.since(0)


class Cursor:
    """A consumer's position in an :class:`OutputLog`: ``take`` returns what it has not read."""

    def __init__(self, log: OutputLog) -> None:
        self._log = log
        self.offset = log.end

    def __len__(self) -> int:
        return self._log.end - max(self.offset, self._log.start)

    def take(self) -> bytes:
        data = self._log.since(self.offset)
        self.offset = self._log.end
        return data


class ExpectBuffer:
    """Output not yet consumed by ``expect`` (pexpect's ``before``), as the text a person sees.

    The reader does nothing for it: when ``expect`` searches, the output that arrived since the
    last search is taken from the session's :class:`OutputLog`, decoded and stripped of escape
    sequences and carriage returns (the new part only). Patterns are written against the
    visible text, with ``\n`` line ends.
    """

    MAX_BYTES = 1 << 20
    #: An escape sequence may be split across chunks: hold back a short unterminated tail.
    _PARTIAL_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]{0,256}|[ -/]*)?$")

    def __init__(self, log: OutputLog) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._unread = Cursor(log)
        self._pending = ""
        self.text = ""

    def _catch_up(self) -> None:
        raw = self._unread.take()
        if not raw:
            return
        chunk = self._pending + self._decoder.decode(raw[-self.MAX_BYTES :])
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
