"""The prefix key's second stroke: a small modal that takes one key for the dashboard.

Pressed in a focused terminal, the prefix (``Ctrl+]`` by default, configurable) opens this; the
next key is a dashboard command, so programs keep every other key. The prefix pressed twice sends
it to the program.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Static

from aitui.dashboard.widgets.dialog import Dialog

#: key -> (action name on the app, description shown in the help)
PREFIX_COMMANDS: dict[str, tuple[str, str]] = {
    "n": ("new_session", "new session"),
    "l": ("focus_list", "session list"),
    "o": ("next_session", "next session"),
    "a": ("next_attention", "next needing attention"),
    "y": ("approve", "approve oldest request"),
    "N": ("deny", "deny oldest request"),
    "g": ("toggle_grid", "grid / single view"),
    "z": ("zoom", "zoom this session"),
    "b": ("toggle_panels", "side panels"),
    "r": ("rename_session", "rename"),
    "w": ("toggle_recording", "record / stop"),
    "R": ("restart_session", "restart"),
    "x": ("kill_session", "kill"),
    "X": ("dismiss_session", "dismiss exited"),
    "d": ("detach", "detach (sessions go on)"),
    "i": ("details", "details, full messages"),
    "t": ("submit_task", "submit a task"),
    "m": ("broadcast", "broadcast a message"),
    "/": ("search_history", "search history"),
    "p": ("command_palette", "command palette"),
    "q": ("quit", "quit aitui"),
}


#: The two-column help's width (``.prefix-help`` in app.tcss, border, padding and scrollbar
#: gutter included): narrower terminals get one column (the second was cut off).
TWO_COLUMNS_FROM = 72


def help_text(width: int) -> str:
    """Every prefix command with its key, in two columns when ``width`` has room for them."""
    entries = [(key, text) for key, (_, text) in PREFIX_COMMANDS.items()]
    entries += [("1-9", "jump to session"), ("prefix", "send it to the program")]
    if width < TWO_COLUMNS_FROM:
        return "\n".join(f"[b]{key:>6}[/b]  {text}" for key, text in entries)
    half = (len(entries) + 1) // 2
    lines = []
    right_column = entries[half:] + [("", "")] * (half - len(entries[half:]))
    for left, right in zip(entries[:half], right_column, strict=True):
        cell = f"[b]{left[0]:>6}[/b]  {left[1]:<24}"
        lines.append(cell + (f"[b]{right[0]:>6}[/b]  {right[1]}" if right[0] else ""))
    return "\n".join(lines)


class PrefixScreen(Dialog[str | None]):
    """Returns the action to run, ``"send-prefix"``, a digit ``"goto:N"``, or ``None``.

    The app hands it the next key itself (``aitui.dashboard.key_order``), so the keys after
    that one go to whatever the command opens, as tmux's own prefix does."""

    def __init__(self, prefix_key: str) -> None:
        super().__init__()
        self._prefix_key = prefix_key

    def compose(self) -> ComposeResult:
        with Vertical(classes="prefix-help"):
            yield Label("prefix — press a key (Esc cancels)", classes="dialog-title")
            yield Static(help_text(self.app.size.width), id="prefix-keys")

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#prefix-keys", Static).update(help_text(event.size.width))

    def choose(self, event: events.Key) -> None:
        """Dismiss with what ``event`` asks for (any other key: nothing)."""
        if event.key == "escape":
            self.dismiss(None)
        elif event.key == self._prefix_key:
            self.dismiss("send-prefix")
        elif event.character and event.character.isdigit() and event.character != "0":
            self.dismiss(f"goto:{event.character}")
        elif event.character in PREFIX_COMMANDS:
            self.dismiss(PREFIX_COMMANDS[event.character][0])
        else:
            self.dismiss(None)
