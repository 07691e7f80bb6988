"""The status line: one row at the bottom saying, in full, what the dashboard last had to say.

Toasts vanish and the session list has 21 characters for a reason ("could not star…"), so
whatever the dashboard reports — a refused keystroke, a worker's failure, a recording's path —
is also said here and kept: ``history`` holds the last ``HISTORY`` entries, which the details
screen (prefix ``i``) shows whole. Severity is a class, coloured by the theme in ``app.tcss``.

A line said long ago fades: after ``STALE_AFTER`` seconds it loses its severity's colour and
says when it was said. A "keys not sent to build" left in warning colour for an hour reads as
news about whatever the user is doing now.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

HISTORY = 50
SEVERITIES = ("information", "warning", "error")
#: Seconds a line keeps its severity's colour.
STALE_AFTER = 30.0


@dataclass(frozen=True)
class StatusEntry:
    time: str
    severity: str
    text: str


class StatusLine(Static):
    """Plain text in, one line out (longer text is cut by the layout, kept in ``history``)."""

    def __init__(self, *, id: str | None = None, stale_after: float = STALE_AFTER) -> None:
        super().__init__("", id=id, markup=False)
        self.history: deque[StatusEntry] = deque(maxlen=HISTORY)
        self._stale_after = stale_after
        self._fade: Timer | None = None

    def say(self, text: str, severity: str = "information", time: str = "") -> None:
        if severity not in SEVERITIES:
            severity = "information"
        self.history.append(StatusEntry(time, severity, text))
        for name in SEVERITIES:
            self.set_class(name == severity, f"-{name}")
        self.remove_class("-stale")
        self.update(Content(self._first_line(text)))
        if self._fade is not None:
            self._fade.stop()
        self._fade = self.set_timer(self._stale_after, self._go_stale, name="status fade")

    def _go_stale(self) -> None:
        self._fade = None
        if not self.history:
            return
        entry = self.history[-1]
        self.add_class("-stale")
        first_line = self._first_line(entry.text)
        self.update(Content(f"{entry.time}  {first_line}" if entry.time else first_line))

    @staticmethod
    def _first_line(text: str) -> str:
        return text.strip().split("\n", 1)[0]

    @property
    def stale(self) -> bool:
        """The line has faded: what it says is old news."""
        return self.has_class("-stale")

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
