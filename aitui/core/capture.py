"""One ``execute`` call's view of the output stream.

A :class:`Capture` is fed every chunk the reader sees while the command runs, together with the
OSC 133 marks found in it (absolute offsets). It keeps the bytes between the end of the ``C``
mark and the start of the ``D`` mark, up to a cap, and resolves when ``D`` arrives. Before ``C``
it keeps a little of the stream too: a shell that rejects a command (a syntax error) prints its
complaint and a ``D`` mark without ever printing ``C``.
"""

from __future__ import annotations

import asyncio

from aitui.core.marks import NONCE_PREFIX, Mark

PRE_START_LIMIT = 256 * 1024


class Capture:
    def __init__(self, limit: int, nonce: str | None, *, prompt_rejects: bool = False) -> None:
        """``prompt_rejects``: a prompt drawn (``B`` mark) before the command started means
        the shell rejected the line. fish, on a syntax error, prints its complaint and draws
        its prompt again with the line still in it, and no event fires (neither
        ``fish_preexec``, ``fish_postexec`` nor ``fish_prompt``): no ``D`` mark ever came, and
        ``execute`` waited its whole timeout and left the session refusing commands."""
        self.limit = limit
        self.nonce = nonce
        self.prompt_rejects = prompt_rejects
        self.rejected = False  # the shell drew its prompt again instead of running the line
        self.pre_start = bytearray()
        self.output = bytearray()
        self.started_at: int | None = None  # absolute offset where the output begins
        self.truncated = False
        self.exit_code: int | None = None
        self.finished = asyncio.get_running_loop().create_future()
        self.prompt_seen = False
        self.output_closed = False  # an "O" mark ended the output before the "D" mark
        self.shell_exited = False  # the stream ended before the "D" mark

    def _ours(self, mark: Mark) -> bool:
        """Hook marks (signed: the scanner dropped the others) when there is no nonce; else
        only the marks carrying this command's nonce."""
        nonced = bool(mark.params) and mark.params[-1].startswith(NONCE_PREFIX)
        if self.nonce is None:
            return not nonced
        return nonced and mark.params[-1] == self.nonce

    def feed(self, data: bytes, offset: int, marks: list[Mark]) -> None:
        """``data`` starts at absolute ``offset``; ``marks`` are the marks completed in it."""
        if self.finished.done():
            return
        cursor = offset  # absolute offset of the next byte of ``data`` to account for
        end = offset + len(data)
        for mark in marks:
            if mark.kind == "A":
                self.prompt_seen = True
            if not self._ours(mark):
                continue
            if mark.kind == "C" and self.started_at is None:
                self._keep(data, offset, cursor, max(cursor, mark.start))
                self.started_at = mark.end
                cursor = max(cursor, mark.end)
            elif mark.kind == "O" and self.started_at is not None and not self.output_closed:
                self._keep(data, offset, cursor, max(cursor, mark.start))
                self._trim_split_mark(mark)
                self.output_closed = True
                cursor = max(cursor, mark.end)
            elif mark.kind == "B" and self.started_at is None and self.prompt_rejects:
                self._keep(data, offset, cursor, max(cursor, mark.start))
                self.rejected = True
                self.finished.set_result(None)
                return
            elif mark.kind == "D" and (self.started_at is not None or self.nonce is None):
                self._keep(data, offset, cursor, max(cursor, mark.start))
                if self.started_at is not None and not self.output_closed:
                    # A D mark split across chunks left its first bytes in ``output``.
                    self._trim_split_mark(mark)
                self.exit_code = mark.exit_code
                self.finished.set_result(None)
                return
        self._keep(data, offset, cursor, end)

    def _trim_split_mark(self, mark: Mark) -> None:
        assert self.started_at is not None
        del self.output[max(0, mark.start - self.started_at) :]

    def _keep(self, data: bytes, offset: int, start: int, stop: int) -> None:
        if stop <= start or self.output_closed:
            return
        piece = data[start - offset : stop - offset]
        if self.started_at is None:
            room = PRE_START_LIMIT - len(self.pre_start)
            self.pre_start += piece[: max(room, 0)]
            return
        room = self.limit - len(self.output)
        if len(piece) > room:
            self.truncated = True
            piece = piece[: max(room, 0)]
        self.output += piece

    def end_of_stream(self, exit_code: int | None) -> None:
        """The shell exited while the command ran (``exit``, a crash, a kill)."""
        if not self.finished.done():
            self.exit_code = exit_code
            self.shell_exited = True
            self.finished.set_result(None)
