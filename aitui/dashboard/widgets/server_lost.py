"""The dialog shown when the server holding the sessions goes away."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, Static

from aitui.dashboard.widgets.dialog import Dialog


class ServerLostScreen(Dialog[bool]):
    """You should see why the server is gone and two choices: start it again (Enter, which
    re-attaches and lists the sessions it can restore) or quit (q / Escape)."""

    BINDINGS = [
        Binding("enter,s", "start", "Start the server"),
        Binding("escape,q", "quit_dashboard", "Quit"),
    ]

    def __init__(self, reason: str) -> None:
        super().__init__()
        self._reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog server-lost"):
            yield Label(Content("The aitui server is gone"), classes="dialog-title")
            yield Static(Content(self._reason), classes="fact")
            yield Static(
                Content("Enter: start it again and re-attach · q: quit the dashboard"),
                classes="panel-empty",
            )

    def action_start(self) -> None:
        self.dismiss(True)

    def action_quit_dashboard(self) -> None:
        self.dismiss(False)
