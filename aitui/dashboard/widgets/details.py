"""The details screen (prefix ``i``): everything the list and the status line had to shorten.

A session's row has room for 21 characters of status; a failure's reason, a command line or a
working directory rarely fit. This screen shows the current session's facts in full, then what
the status line said recently, newest first. It renders plain strings handed to it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from aitui.dashboard.widgets.dialog import Dialog
from aitui.dashboard.widgets.status_line import StatusEntry


class DetailsScreen(Dialog[None]):
    BINDINGS = [Binding("escape,enter,q,i", "close", "Close")]

    def __init__(self, title: str, facts: list[tuple[str, str]], said: list[StatusEntry]):
        super().__init__()
        self._title = title
        self._facts = facts
        self._said = said

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog details"):
            yield Label(Content(self._title), classes="dialog-title")
            for label, value in self._facts:
                yield Static(Content.assemble((f"{label}: ", "bold"), value), classes="fact")
            yield Label("Recent messages", classes="dialog-title details-said")
            if not self._said:
                yield Static("nothing yet", classes="panel-empty")
            for entry in reversed(self._said):
                yield Static(
                    Content.assemble((f"{entry.time} ", "dim"), entry.text),
                    classes=f"said -{entry.severity}",
                )

    def action_close(self) -> None:
        self.dismiss(None)
