"""The status line: one row at the bottom saying, in full, what the dashboard last had to say.

Toasts vanish and the session list has 21 characters for a reason ("could not star…"), so
whatever the dashboard reports — a refused keystroke, a worker's failure, a recording's path —
is also said here and kept: ``history`` holds the last ``HISTORY`` entries, which the details
screen (prefix ``i``) shows whole. Severity is a class, coloured by the theme in ``app.tcss``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static

HISTORY = 50
SEVERITIES = ("information", "warning", "error")


@dataclass(frozen=True)
class StatusEntry:
    time: str
    severity: str
    text: str


class StatusLine(Static):
    """Plain text in, one line out (longer text is cut by the layout, kept in ``history``)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.history: deque[StatusEntry] = deque(maxlen=HISTORY)

    def say(self, text: str, severity: str = "information", time: str = "") -> None:
        if severity not in SEVERITIES:
            severity = "information"
        self.history.append(StatusEntry(time, severity, text))
        for name in SEVERITIES:
            self.set_class(name == severity, f"-{name}")
        first_line = text.strip().split("\n", 1)[0]
        self.update(Content(first_line))

    @property
    def text(self) -> str:
        """What the line says now (its whole first line)."""
        return self.history[-1].text if self.history else ""


class WaitingLine(Static):
    """Who waits on the user and for how long, at the right of the status line; not shown
    while nobody waits."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.display = False
        self._text = ""

    def show(self, text: str) -> None:
        """Say ``text`` (asked every second): only a change is drawn, since each update lays
        the whole screen out again (3% of the dashboard's samples while an agent's UI
        redrew, nobody waiting, py-spy 2026-12-07)."""
        if text == self._text:
            return
        self._text = text
        self.display = bool(text)
        self.update(Content(text))
