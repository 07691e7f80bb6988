"""Every command a shell runs, seen through shell integration, as a ``CommandCompleted`` event.

Typed by a person in the dashboard, by an agent CLI, or sent by ``execute``: the shell marks the
end of its prompt (``B``), the start of the command (``C``), the end of the output (``O``, zsh)
and the end of the command with its exit status (``D``). Between ``B`` and ``C`` the terminal
shows the command line as typed (rendered, so line editing is applied); between ``C`` and ``D``
its output. When ``execute`` typed the command, its exact text is used instead of the echo.
Output is kept up to a cap; beyond it the event says it was truncated.

A full-screen program (vim, htop, less: anything that switched to the alternate screen) leaves
nothing an agent would be given as its output, only the bytes of every repaint: counted as
context, three such screens once filled a 4,096-token window (111%). Its output is replaced by
``FULL_SCREEN_NOTE``; the command itself is still reported.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from aitui.core.ansi import terminal_text
from aitui.core.events import SessionEvent
from aitui.core.marks import NONCE_PREFIX, Mark

OUTPUT_CAP = 1024 * 1024
COMMAND_LINE_CAP = 64 * 1024
#: DECSET 1049/1047/47: the program switched to the alternate screen.
ALTERNATE_SCREEN = re.compile(rb"\x1b\[\?(?:\d+;)*(?:1049|1047|47)(?:;\d+)*h")
FULL_SCREEN_NOTE = "[full-screen program: its screens are not output]"


@dataclass(frozen=True)
class CommandCompleted(SessionEvent):
    command: str
    output: str
    exit_code: int | None
    duration_ms: float
    truncated: bool


class CommandObserver:
    """Fed every chunk with its marks (hook mode only: sentinel marks carry a nonce)."""

    def __init__(self, emit: Callable[[str, str, int | None, float, bool], None]) -> None:
        self._emit = emit
        self._line: bytearray | None = None  # between B and C
        self._output: bytearray | None = None  # between C and O/D
        self._closed: bytes | None = None  # output ended by an O mark, D not seen yet
        self._in_command = False
        self._command = ""
        self._started = 0.0
        self._truncated = False
        #: Set by ``execute`` just before it types a command: the exact text to report.
        self.expected_command: str | None = None

    def feed(self, data: bytes, offset: int, marks: list[Mark]) -> None:
        if not marks and self._output is None and self._line is None:
            return  # outside a command and its line: the reader's commonest case, kept cheap
        cursor = offset
        for mark in marks:
            if mark.params and mark.params[-1].startswith(NONCE_PREFIX):
                continue  # sentinel marks: execute reports those commands itself
            self._keep(data, offset, cursor, mark.start)
            cursor = max(cursor, mark.end)
            if mark.kind == "B":
                self._line, self._output = bytearray(), None
            elif mark.kind == "C":
                self._begin()
            elif mark.kind == "O" and self._output is not None:
                self._finish_output()
            elif mark.kind == "D":
                self._end(mark)
        self._keep(data, offset, cursor, offset + len(data))

    def _keep(self, data: bytes, offset: int, start: int, stop: int) -> None:
        if stop <= start or (self._output is None and self._line is None):
            return
        begin, end = max(0, start - offset), stop - offset
        if self._output is not None:
            room = OUTPUT_CAP - len(self._output)
            if end - begin > room:
                self._truncated = True
            if room > 0:  # a full-screen program fills the cap once, then costs no copy
                self._output += data[begin : min(end, begin + room)]
        elif self._line is not None and len(self._line) < COMMAND_LINE_CAP:
            self._line += data[begin:end]

    def _begin(self) -> None:
        echoed = terminal_text(bytes(self._line or b"")).strip().split("\n")[-1].strip()
        self._command = self.expected_command or echoed
        self.expected_command = None
        self._line = None
        self._output = bytearray()
        self._closed = None
        self._in_command = True
        self._truncated = False
        self._started = time.perf_counter()

    def _finish_output(self) -> None:
        self._closed = bytes(self._output or b"")
        self._output = None

    def _end(self, mark: Mark) -> None:
        if not self._in_command:
            return  # a D without a command (the first prompt, an empty line)
        raw = self._closed if self._closed is not None else bytes(self._output or b"")
        self._output = self._closed = None
        self._in_command = False
        elapsed = (time.perf_counter() - self._started) * 1000
        output = FULL_SCREEN_NOTE if ALTERNATE_SCREEN.search(raw) else terminal_text(raw)
        self._emit(self._command, output, mark.exit_code, elapsed, self._truncated)
